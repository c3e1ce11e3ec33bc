"""Reads one event (JSON) on stdin, writes one result (JSON) on stdout. What goes to stderr is the call's log."""
import json
import os
import sys

raw = sys.stdin.read()
event = json.loads(raw) if raw.strip() else {}
name = event.get("name", "World") if isinstance(event, dict) else "World"
print(f"greeting {name}", file=sys.stderr)
print(json.dumps({"message": f"Hello {name}!", "greeting": os.environ.get("GREETING", "Hello")}))
