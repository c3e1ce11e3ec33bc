def handler(event, context=None):
    """An HTTP function: a request to /fn/__NAME__ (any path below it too) calls it with the request as the event
    (AWS Lambda's function URL payload 2.0); a dict with a statusCode is the response."""
    method = event.get("requestContext", {}).get("http", {}).get("method")
    if method != "GET":
        return {"statusCode": 405, "headers": {"allow": "GET"}, "body": {"error": f"{method} is not allowed"}}
    name = (event.get("queryStringParameters") or {}).get("name", "World")
    return {"statusCode": 200, "headers": {"content-type": "text/plain"}, "body": f"Hello {name}!"}
