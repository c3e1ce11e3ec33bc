def handler(event):
    return f"Hello {event.get('name', 'World')} from a baked image!"
