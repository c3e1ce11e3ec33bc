"""Unit tests of runtime.py: the protocol driven over a socket pair, in this process, standard library only.

    python3 -m unittest discover -s runtimes/python/tests -v

The container-manager's integration tests run them in the runtime image (PythonRuntimeIT), so they run on the
image's Python with every build.
"""
import io
import json
import os
import socket
import struct
import sys
import tempfile
import textwrap
import threading
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import runtime  # noqa: E402  (the module under test, found next to this directory)

_HEADER = struct.Struct(">I")


class RuntimeOverASocket(unittest.TestCase):
    """Starts runtime.serve on one end of a socket pair with a function loaded from a temporary code directory."""

    def setUp(self):
        self.saved = (sys.stdout, sys.stderr, list(sys.path), os.getcwd())
        self.code_dir = tempfile.TemporaryDirectory()
        self.manager, runtime_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.manager.settimeout(10)
        self.serving = threading.Thread(target=self._serve, args=(runtime_end,), daemon=True)
        self.serving.start()

    def _serve(self, conn):
        try:
            runtime.serve(conn, runtime.Runtime())
        finally:
            conn.close()

    def tearDown(self):
        self.manager.close()
        self.serving.join(5)
        sys.stdout, sys.stderr, sys.path[:], cwd = self.saved
        os.chdir(cwd)
        self.code_dir.cleanup()

    def load(self, source, function="handler"):
        """Writes the function's module (a fresh name each time: modules are cached by name) and sends init."""
        module = "fn_" + uuid.uuid4().hex[:12]
        with open(os.path.join(self.code_dir.name, module + ".py"), "w") as f:
            f.write(textwrap.dedent(source))
        answer = self.send({"type": "init", "handler": module + "." + function, "codeDir": self.code_dir.name,
                            "env": {}, "function": {"name": "fn", "version": 1, "memoryMb": 128,
                                                    "timeoutMs": 1000}})
        self.assertEqual({"type": "ready"}, answer)

    def call(self, event=None, **fields):
        invocation_id = str(uuid.uuid4())
        answer = self.send(dict({"type": "invoke", "id": invocation_id, "event": event, "deadlineMs": 0}, **fields))
        self.assertEqual("result", answer["type"])
        self.assertEqual(invocation_id, answer["id"])
        return answer

    def send(self, message):
        body = json.dumps(message).encode("utf-8")
        self.manager.sendall(_HEADER.pack(len(body)) + body)
        (size,) = _HEADER.unpack(self._receive(4))
        return json.loads(self._receive(size))

    def _receive(self, size):
        data = b""
        while len(data) < size:
            chunk = self.manager.recv(size - len(data))
            if not chunk:
                raise AssertionError("the runtime closed the connection (it died)")
            data += chunk
        return data


_EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "example")


def _http_event(method="POST", path="/", body=None, base64_body=False, query="", headers=None):
    """A function URL payload 2.0, as the gateway builds it for /fn/{name}."""
    params = dict(p.split("=", 1) for p in query.split("&")) if query else None
    event = {"version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": query,
             "headers": headers or {"content-type": "application/json"}, "queryStringParameters": params,
             "requestContext": {"http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                                         "sourceIp": "10.0.0.7", "userAgent": "curl/8"}},
             "isBase64Encoded": base64_body}
    if body is not None:
        event["body"] = body
    return event


class SeedRequestModel(RuntimeOverASocket):
    """Seed 002's handler model: def handle(request), with the seed's own functions, unchanged."""

    def load_example(self, name):
        with open(os.path.join(_EXAMPLES, name, "function.py")) as f:
            self.load(f.read(), function="handle")

    def test_seed_echo_function_echoes_an_invoked_event_as_a_post(self):
        self.load_example("seed_echo")

        answer = self.call({"name": "AITest", "test": True})

        self.assertTrue(answer["ok"], answer)
        self.assertEqual({"echo": {"name": "AITest", "test": True}, "method": "POST"}, answer["result"])

    def test_seed_math_function_adds_and_multiplies(self):
        self.load_example("seed_math")

        added = self.call({"a": 2, "b": 3})["result"]
        multiplied = self.call({"a": 2, "b": 3, "operation": "multiply"})["result"]
        unsupported = self.call({"a": 2, "b": 3, "operation": "divide"})["result"]

        self.assertEqual({"result": 5, "operation": "add", "inputs": {"a": 2, "b": 3}}, added)
        self.assertEqual({"result": 6, "operation": "multiply", "inputs": {"a": 2, "b": 3}}, multiplied)
        self.assertEqual({"error": "Unsupported operation"}, unsupported)

    def test_seed_echo_function_gets_an_http_request_with_its_method_and_json_body(self):
        self.load_example("seed_echo")

        answer = self.call(_http_event(method="PUT", body='{"x": [1, 2]}'))

        self.assertEqual({"echo": {"x": [1, 2]}, "method": "PUT"}, answer["result"])

    def test_request_has_path_query_headers_and_bytes_body_of_an_http_call(self):
        self.load("""
            def handle(request):
                return {"method": request.method, "path": request.path, "query": request.query_params,
                        "type": request.get_header("Content-Type"), "missing": request.get_header("X-None", "-"),
                        "body": list(request.body), "text": request.get_text(), "ip": request.source_ip}
        """, function="handle")

        answer = self.call(_http_event(method="POST", path="/orders/7", body="aGk=", base64_body=True,
                                       query="page=2&q=a", headers={"content-type": "text/plain"}))

        self.assertEqual({"method": "POST", "path": "/orders/7", "query": {"page": "2", "q": "a"},
                          "type": "text/plain", "missing": "-", "body": [104, 105], "text": "hi",
                          "ip": "10.0.0.7"}, answer["result"])

    def test_get_json_of_an_empty_body_is_none(self):
        self.load("""
            def handle(request):
                return {"json": request.get_json(), "body": request.body.decode()}
        """, function="handle")

        self.assertEqual({"json": None, "body": ""}, self.call(_http_event(method="GET"))["result"])

    def test_a_handle_returning_a_response_returns_it_as_it_is(self):
        self.load("""
            def handle(request):
                return {"statusCode": 201, "headers": {"location": "/x"}, "body": request.get_text()}
        """, function="handle")

        answer = self.call(_http_event(body="made"))

        self.assertEqual({"statusCode": 201, "headers": {"location": "/x"}, "body": "made"}, answer["result"])

    def test_handler_event_context_gets_the_http_payload_itself(self):
        self.load("""
            def handler(event, context):
                return [event["version"], event["requestContext"]["http"]["method"], event["rawQueryString"]]
        """)

        self.assertEqual(["2.0", "DELETE", "a=1"], self.call(_http_event(method="DELETE", query="a=1"))["result"])

    def test_a_handler_named_handle_taking_event_and_context_gets_the_event(self):
        self.load("""
            def handle(event, context):
                return event
        """, function="handle")

        self.assertEqual({"a": 1}, self.call({"a": 1})["result"])


class HandlerSignatures(RuntimeOverASocket):

    def test_handler_decorated_with_functools_wraps_gets_the_event_alone(self):
        self.load("""
            import functools
            def logged(fn):
                @functools.wraps(fn)
                def wrapper(*args, **kwargs):
                    print("calling", fn.__name__)
                    return fn(*args, **kwargs)
                return wrapper
            @logged
            def handler(event):
                return {"got": event}
        """)

        answer = self.call({"name": "Ada"})

        self.assertTrue(answer["ok"], answer)
        self.assertEqual({"got": {"name": "Ada"}}, answer["result"])
        self.assertEqual("calling handler\n", answer["logs"])

    def test_decorated_handler_taking_a_context_gets_one(self):
        self.load("""
            import functools
            def logged(fn):
                @functools.wraps(fn)
                def wrapper(*args):
                    return fn(*args)
                return wrapper
            @logged
            def handler(event, context):
                return context.function_name
        """)

        self.assertEqual("fn", self.call({})["result"])

    def test_plain_varargs_handler_still_gets_event_and_context(self):
        self.load("""
            def handler(*args):
                return len(args)
        """)

        self.assertEqual(2, self.call({})["result"])


class AttemptInTheContext(RuntimeOverASocket):

    def test_context_attempt_is_the_attempt_the_manager_sends(self):
        self.load("""
            def handler(event, context):
                return context.attempt
        """)

        self.assertEqual(3, self.call({}, attempt=3)["result"])

    def test_context_attempt_is_1_when_the_manager_sends_none_or_nonsense(self):
        self.load("""
            def handler(event, context):
                return context.attempt
        """)

        self.assertEqual(1, self.call({})["result"])
        self.assertEqual(1, self.call({}, attempt="2")["result"])
        self.assertEqual(1, self.call({}, attempt=0)["result"])


class TriggerInTheContext(RuntimeOverASocket):

    def test_context_trigger_is_the_trigger_the_manager_sends(self):
        self.load("""
            def handler(event, context):
                return [context.trigger["name"], context.trigger["tick"]]
        """)

        trigger = {"kind": "schedule", "name": "nightly", "tick": "2026-12-07T21:05:00Z"}
        self.assertEqual(["nightly", "2026-12-07T21:05:00Z"], self.call({}, trigger=trigger)["result"])

    def test_context_trigger_is_none_for_a_direct_call_or_nonsense(self):
        self.load("""
            def handler(event, context):
                return context.trigger
        """)

        self.assertIsNone(self.call({})["result"])
        self.assertIsNone(self.call({}, trigger="schedule")["result"])


class LeftoverProcessesEndAfterEachCall(RuntimeOverASocket):
    """The cleanup itself (kill(-1) in the container) is run for real by the container-manager's IsolationIT."""

    def _serve(self, conn):
        self.ended = []
        served = runtime.Runtime()
        served.end_leftovers = lambda: self.ended.append(served._running)
        try:
            runtime.serve(conn, served)
        finally:
            conn.close()

    def _await_ended(self, count):
        for _ in range(200):
            if len(self.ended) >= count:
                break
            threading.Event().wait(0.01)
        self.assertEqual(count, len(self.ended))

    def test_after_every_call_once_no_call_runs_even_one_that_raised(self):
        self.load("""
            def handler(event):
                if event.get("fail"):
                    raise ValueError("no")
                return "ok"
        """)

        self.call({})
        self._await_ended(1)
        self.call({"fail": True})
        self._await_ended(2)
        self.assertEqual([0, 0], self.ended)


class AwaitableResults(RuntimeOverASocket):

    def test_plain_function_returning_a_coroutine_is_awaited(self):
        self.load("""
            import asyncio
            async def work(event):
                await asyncio.sleep(0)
                return event["n"] * 2
            def handler(event):
                return work(event)
        """)

        self.assertEqual(42, self.call({"n": 21})["result"])

    def test_async_handler_behind_a_sync_decorator_is_awaited(self):
        self.load("""
            import functools
            def traced(fn):
                @functools.wraps(fn)
                def wrapper(*args, **kwargs):
                    return fn(*args, **kwargs)
                return wrapper
            @traced
            async def handler(event):
                return "async " + event
        """)

        self.assertEqual("async ok", self.call("ok")["result"])
        self.assertEqual("async again", self.call("again")["result"])

    def test_async_def_handler_still_runs(self):
        self.load("""
            async def handler(event):
                return event
        """)

        self.assertEqual([1, 2], self.call([1, 2])["result"])


class UserCodeCannotKillTheRuntime(RuntimeOverASocket):

    def test_exception_whose_str_raises_is_reported_and_the_runtime_serves_on(self):
        self.load("""
            class Nasty(Exception):
                def __str__(self):
                    raise RuntimeError("no text for you")
            def handler(event):
                if event == "nasty":
                    raise Nasty()
                return "still here"
        """)

        failed = self.call("nasty")
        after = self.call("fine")

        self.assertFalse(failed["ok"])
        self.assertEqual("Nasty", failed["error"]["type"])
        self.assertEqual("<unprintable Nasty object>", failed["error"]["message"])
        self.assertTrue(failed["error"]["trace"])
        self.assertEqual("still here", after["result"])

    def test_result_whose_serialisation_raises_another_exception_is_not_serializable(self):
        self.load("""
            class Sneaky(dict):
                def items(self):
                    raise KeyError("gotcha")
            def handler(event):
                if event == "sneaky":
                    return {"inner": Sneaky(a=1)}
                return "still here"
        """)

        failed = self.call("sneaky")
        after = self.call("fine")

        self.assertFalse(failed["ok"])
        self.assertEqual("ResultNotSerializable", failed["error"]["type"])
        self.assertIn("dict", failed["error"]["message"])
        self.assertEqual("still here", after["result"])

    def test_exception_raised_while_loading_with_a_raising_str_is_an_init_error(self):
        module = "fn_" + uuid.uuid4().hex[:12]
        with open(os.path.join(self.code_dir.name, module + ".py"), "w") as f:
            f.write("class E(Exception):\n    def __str__(self):\n        raise ValueError()\nraise E()\n")

        answer = self.send({"type": "init", "handler": module + ".handler", "codeDir": self.code_dir.name,
                            "env": {}, "function": {}})

        self.assertEqual("error", answer["type"])
        self.assertEqual("E", answer["error"]["type"])
        self.assertEqual("<unprintable E object>", answer["error"]["message"])


class BinaryOutput(RuntimeOverASocket):

    def test_bytes_written_to_the_stdout_and_stderr_buffers_are_captured_as_text(self):
        self.load("""
            import sys
            def handler(event):
                sys.stdout.buffer.write("caf\\u00e9 ".encode("utf-8")[:4])  # the é split over two writes
                sys.stdout.buffer.write("caf\\u00e9 ".encode("utf-8")[4:])
                sys.stdout.buffer.write(b"au lait\\n")
                sys.stdout.buffer.flush()
                sys.stderr.buffer.write(bytearray(b"err\\n"))
                return "ok"
        """)

        answer = self.call()

        self.assertTrue(answer["ok"], answer)
        self.assertEqual("caf\u00e9 au lait\nerr\n", answer["logs"])

    def test_the_buffer_has_no_file_descriptor(self):
        self.load("""
            import io, sys
            def handler(event):
                try:
                    sys.stdout.buffer.fileno()
                except io.UnsupportedOperation:
                    return "unsupported"
                return "has one"
        """)

        self.assertEqual("unsupported", self.call()["result"])


class Encoding(unittest.TestCase):

    def test_encode_turns_any_serialisation_failure_into_result_not_serializable(self):
        class Exploding(dict):
            def items(self):
                raise LookupError("nope")

        frame = runtime._encode({"type": "result", "id": "x", "ok": True, "result": Exploding(a=1), "logs": "l"})

        answer = json.loads(frame[4:])
        self.assertEqual(len(frame) - 4, _HEADER.unpack(frame[:4])[0])
        self.assertEqual({"type": "result", "id": "x", "ok": False, "logs": "l"},
                         {k: answer[k] for k in ("type", "id", "ok", "logs")})
        self.assertEqual("ResultNotSerializable", answer["error"]["type"])

    def test_arity_follows_wrapped_functions(self):
        import functools

        def two(event, context):
            return None

        @functools.wraps(two)
        def wrapper(*args, **kwargs):
            return two(*args, **kwargs)

        self.assertEqual(2, runtime._arity(wrapper))
        self.assertEqual(1, runtime._arity(functools.wraps(lambda event: None)(lambda *a: None)))
        self.assertEqual(0, runtime._arity(lambda: None))


class ConcurrentCallSlots(unittest.TestCase):
    """init with concurrency N: the runtime accepts N - 1 more connections and serves their calls at once."""

    def setUp(self):
        self.saved = (sys.stdout, sys.stderr, list(sys.path), os.getcwd())
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "runtime.sock")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(self.path)
        server.listen(8)
        self.connections = []
        first = self._connect()
        conn, _ = server.accept()
        self.serving = threading.Thread(target=runtime.serve, args=(conn, runtime.Runtime(), server), daemon=True)
        self.serving.start()
        self.first = first

    def tearDown(self):
        for conn in self.connections:
            conn.close()
        self.serving.join(5)
        sys.stdout, sys.stderr, sys.path[:], cwd = self.saved
        os.chdir(cwd)
        self.dir.cleanup()

    def _connect(self):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(10)
        conn.connect(self.path)
        self.connections.append(conn)
        return conn

    @staticmethod
    def _send(conn, message):
        body = json.dumps(message).encode("utf-8")
        conn.sendall(_HEADER.pack(len(body)) + body)
        head = conn.recv(4, socket.MSG_WAITALL)
        (size,) = _HEADER.unpack(head)
        return json.loads(conn.recv(size, socket.MSG_WAITALL))

    def test_two_slots_run_calls_at_once_each_with_its_own_logs(self):
        code_dir = os.path.join(self.dir.name, "code")
        os.mkdir(code_dir)
        module = "fn_" + uuid.uuid4().hex[:12]
        with open(os.path.join(code_dir, module + ".py"), "w") as f:
            f.write(textwrap.dedent("""
                import threading, time
                both = threading.Barrier(2, timeout=5)
                def handler(event):
                    print("call", event)
                    both.wait()  # returns only if the other call runs at the same time
                    time.sleep(0.05)
                    print("done", event)
                    return event
            """))
        ready = self._send(self.first, {"type": "init", "handler": module + ".handler", "codeDir": code_dir,
                                        "env": {}, "concurrency": 2, "function": {"name": "fn", "version": 1}})
        self.assertEqual({"type": "ready"}, ready)
        second = self._connect()
        answers = {}

        def call(conn, n):
            answers[n] = self._send(conn, {"type": "invoke", "id": str(n), "event": n, "deadlineMs": 0})

        threads = [threading.Thread(target=call, args=(c, n)) for n, c in ((1, self.first), (2, second))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)

        self.assertEqual(True, answers[1]["ok"], answers[1])
        self.assertEqual(True, answers[2]["ok"], answers[2])
        self.assertEqual(1, answers[1]["result"])
        self.assertEqual("call 1\ndone 1\n", answers[1]["logs"])
        self.assertEqual("call 2\ndone 2\n", answers[2]["logs"])


if __name__ == "__main__":
    unittest.main()
