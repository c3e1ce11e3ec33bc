"""CloudFunc Python runtime.

Runs inside a function container. Listens on a unix socket ($CLOUDFUNC_SOCKET, default /cloudfunc/runtime.sock),
accepts ONE connection from the container-manager, loads the user's module once on "init" and then calls the handler
once per "invoke" frame, in this same process. Frames are a 4-byte big-endian length followed by a UTF-8 JSON object.
The protocol is specified in docs/runtime-contract.md.

Standard library only, and only cheap modules at start-up: every millisecond here is part of a cold start.
"""
import codecs
import io
import json
import os
import socket
import struct
import sys
import time

SOCKET_PATH = os.environ.get("CLOUDFUNC_SOCKET", "/cloudfunc/runtime.sock")
MAX_FRAME = 64 * 1024 * 1024
LOG_CAP = 64 * 1024
TRUNCATED = "...[truncated]"

_HEADER = struct.Struct(">I")
# Results that are never awaitable: the common case skips the (lazily imported) inspect check.
_PLAIN = frozenset((dict, list, str, int, float, bool, type(None)))
_CO_VARARGS = 0x04
_CO_ASYNC = 0x80 | 0x100  # CO_COROUTINE | CO_ITERABLE_COROUTINE

# The real streams, for the runtime's own diagnostics (they end up in `docker logs`).
_REAL_STDOUT = sys.stdout
_REAL_STDERR = sys.stderr


def _diag(message):
    _REAL_STDERR.write("cloudfunc-runtime: " + message + "\n")
    _REAL_STDERR.flush()


def _end_leftover_processes():
    """Ends every process left in the container once no call runs (what a call forked and did not wait for: a
    daemon, a fork bomb's survivors), so that the next call gets the container's whole pids limit. Only in a
    container: the runtime unprivileged and its parent the container's init. kill(-1) signals every process this
    user may signal but the caller and init; the runtime's own children are then reaped (init reaps the others)."""
    if os.getuid() == 0 or os.getppid() != 1:
        return
    try:
        os.kill(-1, 9)  # SIGKILL, without importing signal
    except OSError:  # ESRCH: no other process
        return
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
        except InterruptedError:
            continue
    _await_others_ended()


def _await_others_ended(limit=1.0):
    """A SIGKILLed process ends when it is next scheduled, not when kill() returns: on a busy machine an orphan can
    still run when the next call arrives. Waits (at most `limit` seconds) until every process but init and this one
    is gone or a zombie (ended, only not yet reaped by init)."""
    import time
    deadline = time.monotonic() + limit
    own = os.getpid()
    while True:
        running = False
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) in (1, own):
                continue
            try:
                with open("/proc/" + name + "/stat", "rb") as stat:
                    line = stat.read()
            except OSError:  # gone meanwhile
                continue
            state = line[line.rindex(b")") + 2:line.rindex(b")") + 3]
            if state not in (b"Z", b"X"):
                running = True
                break
        if not running or time.monotonic() >= deadline:
            return
        time.sleep(0.001)


class _Capture:
    """What the handler prints during one call (stdout and stderr interleaved), up to LOG_CAP UTF-8 bytes."""

    __slots__ = ("parts", "size", "truncated")

    def __init__(self):
        self.parts = []
        self.size = 0
        self.truncated = False

    def add(self, text):
        if self.truncated or not text:
            return
        data = text.encode("utf-8", "replace")
        room = LOG_CAP - self.size
        if len(data) <= room:
            self.parts.append(text)
            self.size += len(data)
        else:
            self.parts.append(data[:room].decode("utf-8", "ignore"))
            self.size = LOG_CAP
            self.truncated = True

    def text(self):
        out = "".join(self.parts)
        if self.truncated:
            if out and not out.endswith("\n"):
                out += "\n"
            out += TRUNCATED
        return out


class _RouterBuffer(io.BufferedIOBase):
    """sys.stdout.buffer / sys.stderr.buffer: bytes written here are decoded as UTF-8 and go where the text would.

    There is no file descriptor behind it (fileno() raises io.UnsupportedOperation, as libraries expect of a stream
    that has none): the real descriptors 1 and 2 are the container's own output, never a call's logs.
    """

    def __init__(self, router):
        super().__init__()
        self._router = router
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")  # a character may span two writes

    def writable(self):
        return True

    def write(self, data):
        if isinstance(data, str):
            raise TypeError("a bytes-like object is required, not 'str'")
        data = bytes(data)
        text = self._decoder.decode(data)
        if text:
            self._router.write(text)
        return len(data)

    def flush(self):
        self._router.flush()


class _Slot:
    """Where the current call's capture is: one for the process, or a threading.local when calls run at once."""

    __slots__ = ("capture",)

    def __init__(self):
        self.capture = None


class _Router(io.TextIOBase):
    """Stands in for sys.stdout / sys.stderr for the whole life of the process.

    During a call it writes to that call's capture; outside calls (module import, background threads after the call)
    it passes through to the real stream. Because it is installed before the user's module is imported, handlers that
    keep a reference to sys.stderr (logging.basicConfig at import time) are captured too.
    """

    def __init__(self, real):
        super().__init__()
        self.real = real
        self._slot = _Slot()
        self.buffer = _RouterBuffer(self)

    @property
    def capture(self):
        return getattr(self._slot, "capture", None)

    @capture.setter
    def capture(self, value):
        self._slot.capture = value

    def per_thread(self):
        """Concurrency > 1: each serving thread captures its own call's output."""
        import threading
        self._slot = threading.local()

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "replace"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not " + type(text).__name__)
        capture = self.capture
        if capture is not None:
            capture.add(text)
        else:
            self.real.write(text)
        return len(text)

    def flush(self):
        if self.capture is None:
            self.real.flush()


class Context:
    """Second argument of a handler declared as handler(event, context)."""

    __slots__ = ("invocation_id", "function_name", "function_version", "memory_limit_in_mb", "timeout_ms",
                 "deadline_ms", "attempt", "trigger")

    def __init__(self, invocation_id, function, deadline_ms, attempt=1, trigger=None):
        self.invocation_id = invocation_id
        # 1 for the first run of a call, 2 for its first retry, ...; a manager that predates it sends none
        self.attempt = attempt if type(attempt) is int and attempt >= 1 else 1
        # what set the call off (a schedule's tick, a queue's message), a dict; None for a direct call
        self.trigger = trigger if type(trigger) is dict else None
        self.function_name = function.get("name")
        self.function_version = function.get("version")
        self.memory_limit_in_mb = function.get("memoryMb")
        self.timeout_ms = function.get("timeoutMs")
        self.deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        """Milliseconds left before the platform stops this call (same name as AWS Lambda's context)."""
        if self.deadline_ms is None:
            return None
        return max(0, int(self.deadline_ms - time.time() * 1000))

    @property
    def remaining_time_ms(self):
        return self.get_remaining_time_in_millis()

    def __repr__(self):
        return ("Context(invocation_id=%r, function_name=%r, function_version=%r, attempt=%r, trigger=%r,"
                " remaining_time_ms=%r)"
                % (self.invocation_id, self.function_name, self.function_version, self.attempt, self.trigger,
                   self.remaining_time_ms))


class Request:
    """The argument of seed 002's handler, ``def handle(request)``: one HTTP request.

    Built from the function URL payload (version 2.0, the shape of AWS Lambda's) when the call came through
    ``/fn/{name}``; for any other call (``/invoke``, the CLI, a queue) the event is a JSON request body to ``/``:
    ``get_json()`` is the event. Header names are lower case, as in the payload; ``get_header`` ignores case.
    """

    __slots__ = ("method", "path", "headers", "body", "query_params", "query_string", "source_ip", "cookies",
                 "event")

    def __init__(self, method, path, headers, body, query_params, query_string="", source_ip=None, cookies=(),
                 event=None):
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.query_params = query_params
        self.query_string = query_string
        self.source_ip = source_ip
        self.cookies = list(cookies)
        self.event = event

    @classmethod
    def of(cls, event):
        if _is_http_payload(event):
            http = event["requestContext"]["http"]
            body = event.get("body")
            if body is None:
                body = b""
            elif event.get("isBase64Encoded"):
                import base64  # only for binary bodies
                body = base64.b64decode(body)
            else:
                body = str(body).encode("utf-8")
            headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
            query = {str(k): str(v) for k, v in (event.get("queryStringParameters") or {}).items()}
            return cls(str(http.get("method") or "GET"), str(http.get("path") or event.get("rawPath") or "/"),
                       headers, body, query, str(event.get("rawQueryString") or ""), http.get("sourceIp"),
                       event.get("cookies") or (), event)
        body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return cls("POST", "/", {"content-type": "application/json"}, body, {}, event=event)

    def get_json(self):
        """The body as JSON (None when the body is empty); a body that is not JSON raises ValueError."""
        if not self.body:
            return None
        if self.event is not None and not _is_http_payload(self.event):
            return self.event  # the event itself, not a copy parsed again
        return json.loads(self.body)

    def get_text(self):
        """The body as text (UTF-8; bytes that are not are replaced)."""
        return self.body.decode("utf-8", "replace")

    def get_header(self, name, default=None):
        """A request header's value, whatever the case of ``name``; ``default`` when absent."""
        return self.headers.get(str(name).lower(), default)

    def __repr__(self):
        return "Request(method=%r, path=%r, query_params=%r, headers=%d, body=%d bytes)" % (
            self.method, self.path, self.query_params, len(self.headers), len(self.body))


def _is_http_payload(event):
    """An event in the shape of the function URL payload 2.0 (what the gateway sends for /fn/{name})."""
    if type(event) is not dict or event.get("version") != "2.0":
        return False
    context = event.get("requestContext")
    return type(context) is dict and type(context.get("http")) is dict


class FunctionError(Exception):
    """An error of the user's code or configuration found by the runtime itself (bad handler, missing module)."""

    def __init__(self, error_type, message, trace=()):
        super().__init__(message)
        self.error = {"type": error_type, "message": message, "trace": list(trace)}


def _user_trace(tb, code_dir):
    """Frames of the traceback that belong to the user's code, formatted like Python's own traceback."""
    lines = []
    prefix = code_dir + os.sep
    while tb is not None:
        frame_code = tb.tb_frame.f_code
        filename = frame_code.co_filename
        if filename.startswith(prefix):
            lines.append('  File "%s", line %d, in %s' % (filename[len(prefix):], tb.tb_lineno, frame_code.co_name))
            source = _source_line(filename, tb.tb_lineno)
            if source:
                lines.append("    " + source)
        tb = tb.tb_next
    return lines


def _source_line(filename, lineno):
    import linecache  # only on the error path
    return linecache.getline(filename, lineno).strip()


def _text_of(value):
    """str(value), which runs user code (__str__) and so may raise or return something else: never fails."""
    try:
        text = str(value)
        if isinstance(text, str):
            return text
    except BaseException:
        pass
    return "<unprintable %s object>" % type(value).__name__


def _error_of(exc, code_dir):
    """The error object for an exception of the user's code. Never raises: the runtime must survive any exception."""
    try:
        return _describe(exc, code_dir)
    except BaseException:
        return {"type": type(exc).__name__, "message": _text_of(exc), "trace": []}


def _describe(exc, code_dir):
    if isinstance(exc, FunctionError):
        return exc.error
    trace = _user_trace(exc.__traceback__, code_dir)
    if isinstance(exc, SyntaxError):
        # Raised by the compiler: the user's line is in the exception, not in a frame.
        filename = exc.filename or "?"
        if filename.startswith(code_dir + os.sep):
            filename = filename[len(code_dir) + 1:]
        trace.append('  File "%s", line %s' % (filename, exc.lineno))
        if exc.text:
            text = exc.text.rstrip("\n")
            stripped = text.lstrip()
            trace.append("    " + stripped)
            if exc.offset:
                trace.append("    " + " " * max(0, exc.offset - 1 - (len(text) - len(stripped))) + "^")
        message = _text_of(exc.msg)
    else:
        message = _text_of(exc)
    return {"type": type(exc).__name__, "message": message, "trace": trace}


def _arity(fn, depth=0):
    """How many of (event, context) the handler takes: 0, 1 or 2. Decided once, at init.

    A wrapper taking *args (a decorator's, e.g. with functools.wraps) says nothing about what it passes on: when it
    names what it wraps (__wrapped__), that function decides.
    """
    code = getattr(fn, "__code__", None)
    if code is not None and hasattr(code, "co_argcount"):
        count = code.co_argcount
        if getattr(fn, "__self__", None) is not None and hasattr(fn, "__func__"):
            count -= 1  # bound method: self is already given
        if code.co_flags & _CO_VARARGS:
            wrapped = getattr(fn, "__wrapped__", None)
            if wrapped is not None and wrapped is not fn and depth < 100 and callable(wrapped):
                return _arity(wrapped, depth + 1)
            count = 2
        return min(count, 2)
    import inspect  # callable objects, partials, builtins: rare, so the slow path is fine
    try:
        params = inspect.signature(fn).parameters.values()  # follows __wrapped__ by itself
    except (TypeError, ValueError):
        return 1
    count = 0
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            return 2
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            count += 1
    return min(count, 2)


class Runtime:

    def __init__(self):
        self.handler = None
        self.arity = 1
        self.request_model = False  # seed 002's handle(request): the handler gets a Request, not the event
        self.loop = None
        self.function = {}
        self.code_dir = "/cloudfunc/code"
        self.init_error = None
        self.concurrency = 1
        self._loops = None
        self._running = 0
        self._running_lock = None
        self.end_leftovers = _end_leftover_processes
        self.stdout = _Router(_REAL_STDOUT)
        self.stderr = _Router(_REAL_STDERR)

    def init(self, message):
        if self.handler is not None or self.init_error is not None:
            return {"type": "error", "error": {"type": "ProtocolError", "message": "init was already received",
                                               "trace": []}}
        self.function = message.get("function") or {}
        concurrency = message.get("concurrency")
        self.concurrency = concurrency if isinstance(concurrency, int) and concurrency > 1 else 1
        if self.concurrency > 1:
            import threading
            self._running_lock = threading.Lock()
            self.stdout.per_thread()
            self.stderr.per_thread()
            self._loops = threading.local()
        self.code_dir = os.path.abspath(message.get("codeDir") or self.code_dir)
        try:
            self._load(message.get("handler") or "function.handler", message.get("env") or {})
        except BaseException as exc:  # anything the user's module raises at import, SystemExit included
            self.init_error = _error_of(exc, self.code_dir)
            return {"type": "error", "error": self.init_error}
        return {"type": "ready"}

    def _load(self, handler_name, env):
        module_name, _, function_name = handler_name.rpartition(".")
        if not module_name or not function_name:
            raise FunctionError("InvalidHandler",
                                "handler %r is not of the form module.function" % handler_name)
        for key, value in env.items():
            os.environ[str(key)] = str(value)
        sys.dont_write_bytecode = True  # the code directory is read-only
        sys.path.insert(0, self.code_dir)
        os.chdir(self.code_dir)  # relative paths in the function find its bundled files
        sys.stdout, sys.stderr = self.stdout, self.stderr
        import importlib
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
                raise FunctionError("HandlerNotFound", "module %r not found in the function's code (expected %s.py)"
                                    % (module_name, module_name.replace(".", "/"))) from None
            raise
        handler = getattr(module, function_name, None)
        if handler is None:
            raise FunctionError("HandlerNotFound", "module %r has no function %r" % (module_name, function_name))
        if not callable(handler):
            raise FunctionError("InvalidHandler", "%s is not callable" % handler_name)
        self.arity = _arity(handler)
        self.request_model = function_name == "handle" and self.arity == 1
        code = getattr(handler, "__code__", None)
        if code is not None and code.co_flags & _CO_ASYNC:
            self._event_loop()  # now rather than in the first call
        self.handler = handler

    def _event_loop(self):
        """The event loop awaitable results run on, one for the container's life (one per serving thread when calls
        run at once); made on first need."""
        holder = self if self._loops is None else self._loops
        loop = getattr(holder, "loop", None)
        if loop is None:
            import asyncio  # only for async handlers: it costs ~30 ms to import
            loop = asyncio.new_event_loop()
            holder.loop = loop
        return loop

    def invoke(self, message):
        invocation_id = message.get("id")
        if self.handler is None:
            error = self.init_error or {"type": "ProtocolError", "message": "invoke before init", "trace": []}
            return {"type": "result", "id": invocation_id, "ok": False, "error": error, "logs": ""}
        event = message.get("event")
        self._started()
        capture = _Capture()
        self.stdout.capture = capture
        self.stderr.capture = capture
        try:
            arity = self.arity
            if arity == 1:
                result = self.handler(Request.of(event) if self.request_model else event)
            elif arity == 2:
                result = self.handler(event, Context(invocation_id, self.function, message.get("deadlineMs"),
                                                          message.get("attempt"), message.get("trigger")))
            else:
                result = self.handler()
            if type(result) not in _PLAIN and _is_awaitable(result):
                # async def, or a plain function that returns a coroutine (a decorator's wrapper, a partial)
                result = self._event_loop().run_until_complete(result)
            response = {"type": "result", "id": invocation_id, "ok": True, "result": result}
        except BaseException as exc:  # SystemExit from a handler is the handler's error, not the runtime's end
            response = {"type": "result", "id": invocation_id, "ok": False, "error": _error_of(exc, self.code_dir)}
        finally:
            self.stdout.capture = None
            self.stderr.capture = None
        response["logs"] = capture.text()
        return response

    def _started(self):
        if self._running_lock is None:
            self._running += 1
            return
        with self._running_lock:
            self._running += 1

    def call_ended(self):
        """After a call's result was sent: once no call runs, the processes left behind are ended."""
        if self._running_lock is None:
            self._running -= 1
            idle = self._running == 0
        else:
            with self._running_lock:
                self._running -= 1
                idle = self._running == 0
        if idle:
            self.end_leftovers()


def _is_awaitable(value):
    import inspect  # only for results that are not plain JSON values
    return inspect.isawaitable(value)


def _encode(response):
    try:
        body = json.dumps(response, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except Exception as exc:  # whatever the result's own methods raise while it is written (any type, not only
        # TypeError/ValueError), or a MemoryError: the call fails, the runtime goes on
        if response.get("type") != "result":  # an init answer: only strings of ours, but never die of it
            response = {"type": "error", "error": {"type": "ProtocolError",
                                                   "message": "the answer could not be written as JSON: %s"
                                                              % _text_of(exc), "trace": []}}
            return _frame(json.dumps(response, ensure_ascii=False, separators=(",", ":")))
        if response.get("ok"):
            result = response.get("result")
            error = {"type": "ResultNotSerializable",
                     "message": "the handler returned a %s that is not JSON-serialisable: %s"
                                % (type(result).__name__, _text_of(exc)),
                     "trace": []}
        else:
            error = {"type": "ErrorNotSerializable",
                     "message": "the handler's error could not be written as JSON: %s" % _text_of(exc),
                     "trace": []}
        response = {"type": "result", "id": response.get("id"), "ok": False, "logs": response.get("logs", ""),
                    "error": error}
        body = json.dumps(response, ensure_ascii=False, separators=(",", ":"))
    return _frame(body)


def _frame(body):
    data = body.encode("utf-8", "replace")
    return _HEADER.pack(len(data)) + data


def _recv_exactly(conn, size):
    """Exactly size bytes, or None when the peer closed the connection first."""
    data = conn.recv(size, socket.MSG_WAITALL)  # one syscall in the usual case
    if len(data) == size:
        return data
    if not data:
        return None
    chunks = [data]
    got = len(data)
    while got < size:
        chunk = conn.recv(size - got)
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def serve(conn, runtime, server=None):
    """Serves one connection until the manager closes it. On the first connection (server given), once init asked
    for concurrency N > 1, accepts N - 1 more connections, one per call slot, each served by its own thread."""
    while True:
        head = _recv_exactly(conn, 4)
        if head is None:
            return  # the manager closed the connection: nothing left to do
        (size,) = _HEADER.unpack(head)
        if size > MAX_FRAME:
            _diag("frame of %d bytes exceeds the limit, closing" % size)
            return
        body = _recv_exactly(conn, size)
        if body is None:
            return
        try:
            message = json.loads(body)
            kind = message.get("type") if isinstance(message, dict) else None
        except ValueError as exc:
            message, kind = None, None
            _diag("unreadable frame: %s" % exc)
        if kind == "invoke":
            response = runtime.invoke(message)
        elif kind == "init":
            response = runtime.init(message)
            if server is not None and runtime.handler is not None and runtime.concurrency > 1:
                _accept_slots(server, runtime, runtime.concurrency - 1)
                server = None
        else:
            response = {"type": "error",
                        "error": {"type": "ProtocolError", "message": "unknown message type %r" % (kind,),
                                  "trace": []}}
        conn.sendall(_encode(response))
        if kind == "invoke" and runtime.handler is not None:
            runtime.call_ended()


def _accept_slots(server, runtime, count):
    import threading

    def accept():
        try:
            for _ in range(count):
                conn, _ = server.accept()
                threading.Thread(target=_serve_slot, args=(conn, runtime), daemon=True).start()
        finally:
            server.close()

    threading.Thread(target=accept, daemon=True).start()


def _serve_slot(conn, runtime):
    try:
        serve(conn, runtime)
    except (BrokenPipeError, ConnectionResetError, OSError):
        pass
    finally:
        conn.close()


def main():
    try:
        os.unlink(SOCKET_PATH)
    except FileNotFoundError:
        pass
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(SOCKET_PATH)
    # Access is controlled by the per-container directory (owned by the runtime user, 0700); the socket itself is
    # open so that a manager running under another uid during development can still connect.
    os.chmod(SOCKET_PATH, 0o666)
    server.listen(8)
    conn, _ = server.accept()
    try:
        # the listening socket stays open only if init asks for more call slots (concurrency > 1)
        serve(conn, Runtime(), server)
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        conn.close()
        server.close()


if __name__ == "__main__":
    main()
