# A local test, no platform needed: python3 -m unittest (in this folder)
import json
import pathlib
import unittest

from function import handler


class HandlerTest(unittest.TestCase):

    def test_greets_the_name_of_the_example_event(self):
        event = json.loads(pathlib.Path(__file__).with_name("event.json").read_text())
        self.assertEqual(handler(event), {"message": "Hello Alice!"})

    def test_greets_the_world_without_a_name(self):
        self.assertEqual(handler({}), {"message": "Hello World!"})


if __name__ == "__main__":
    unittest.main()
