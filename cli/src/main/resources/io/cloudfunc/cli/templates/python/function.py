def handler(event, context=None):
    """Called once per invocation with the event (parsed JSON); the return value is the result (any JSON value)."""
    name = event.get("name", "World") if isinstance(event, dict) else "World"
    return {"message": f"Hello {name}!"}
