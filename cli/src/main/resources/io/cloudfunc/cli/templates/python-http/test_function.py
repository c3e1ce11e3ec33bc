# A local test, no platform needed: python3 -m unittest (in this folder)
import json
import pathlib
import unittest

from function import handler


def request():
    """The example request: GET /fn/__NAME__?name=Alice as the function gets it."""
    return json.loads(pathlib.Path(__file__).with_name("request.json").read_text())


class HandlerTest(unittest.TestCase):

    def test_greets_the_name_in_the_query(self):
        self.assertEqual(handler(request()),
                         {"statusCode": 200, "headers": {"content-type": "text/plain"}, "body": "Hello Alice!"})

    def test_greets_the_world_without_a_name(self):
        event = request()
        del event["queryStringParameters"]
        self.assertEqual(handler(event)["body"], "Hello World!")

    def test_refuses_other_methods(self):
        event = request()
        event["requestContext"]["http"]["method"] = "DELETE"
        response = handler(event)
        self.assertEqual(response["statusCode"], 405)
        self.assertEqual(response["headers"], {"allow": "GET"})


if __name__ == "__main__":
    unittest.main()
