import os


def handler(event, context=None):
    """Greets the event's name; says whether its secret API_TOKEN was given, never the secret itself."""
    name = event.get("name", "World") if isinstance(event, dict) else "World"
    return {"message": f"{os.environ['GREETING']} {name}!", "tokenSet": bool(os.environ.get("API_TOKEN"))}
