"""Measures the cold start of each runtime image by hand, without the platform: creates a container as the manager
does (no network, read-only root, /tmp tmpfs, 256 MiB, 1 CPU, --init, a bind-mounted /cloudfunc with the example's
code), then times `docker start`, the socket accepting, init -> ready, the first call and warm calls (median of 200).

    python3 runtimes/measure_cold_start.py [RUNS] [all]

RUNS (default 5) containers per runtime; `all` adds Java without its AOT cache and with the JVM's defaults. Needs
the three runtime images and the Java example jar (./mvnw -pl runtimes/java/example/hello-fn -am package).
Figures in runtimes/java/README.md. Standard library only.
"""
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def frame(message):
    body = json.dumps(message).encode()
    return struct.pack(">I", len(body)) + body


def receive(sock):
    head = b""
    while len(head) < 4:
        head += sock.recv(4 - len(head))
    size = struct.unpack(">I", head)[0]
    body = b""
    while len(body) < size:
        body += sock.recv(size - len(body))
    return json.loads(body)


def invoke(sock, invocation_id, event):
    sock.sendall(frame({"type": "invoke", "id": invocation_id, "event": event,
                        "deadlineMs": int(time.time() * 1000) + 10000}))
    return receive(sock)


def run(image, handler, setup, options=(), args=()):
    work = tempfile.mkdtemp(prefix="cf-cold-")
    os.chmod(work, 0o777)
    code = os.path.join(work, "code")
    os.makedirs(code)
    setup(code)
    subprocess.run(["chmod", "-R", "a+rX", work], check=True)
    container = subprocess.run(
        ["docker", "create", "--network", "none", "--read-only", "--tmpfs", "/tmp", "-m", "256m", "--cpus", "1",
         "--init", "-v", work + ":/cloudfunc", *options, image, *args],
        capture_output=True, text=True, check=True).stdout.strip()
    try:
        t0 = time.perf_counter()
        subprocess.run(["docker", "start", container], capture_output=True, check=True)
        t1 = time.perf_counter()
        path = os.path.join(work, "runtime.sock")
        deadline = time.time() + 30
        while True:
            try:
                sock = socket.socket(socket.AF_UNIX)
                sock.connect(path)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.002)
        t2 = time.perf_counter()
        sock.sendall(frame({"type": "init", "handler": handler, "codeDir": "/cloudfunc/code", "env": {},
                            "function": {"name": "f", "version": 1, "memoryMb": 256, "timeoutMs": 10000}}))
        ready = receive(sock)
        t3 = time.perf_counter()
        first = invoke(sock, "first", {"name": "A"})
        t4 = time.perf_counter()
        assert ready["type"] == "ready", ready
        assert first["ok"], first
        warm = []
        for i in range(200):
            start = time.perf_counter()
            invoke(sock, str(i), {"name": "B"})
            warm.append(time.perf_counter() - start)
        sock.close()
        return [(t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, (t4 - t3) * 1000, sorted(warm)[100] * 1000]
    finally:
        subprocess.run(["docker", "rm", "-f", container], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


def python_code(code):
    shutil.copy(os.path.join(ROOT, "runtimes/python/example/hello_fn/function.py"), code)


def node_code(code):
    shutil.copy(os.path.join(ROOT, "runtimes/node/example/hello_fn/index.js"), code)


def java_code(code):
    zipfile.ZipFile(os.path.join(ROOT, "runtimes/java/example/hello-fn/target/hello-fn.jar")).extractall(code)


OPEN = ["--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED"]
FLAGS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-XX:MaxRAMPercentage=70", "-Xss1m"] + OPEN
JAR = ["-jar", "/opt/cloudfunc/runtime.jar"]
CASES = {
    "python": ("cloudfunc/runtime-python:latest", "function.handler", python_code),
    "node": ("cloudfunc/runtime-node:latest", "index.handler", node_code),
    "java": ("cloudfunc/runtime-java:latest", "com.example.Hello", java_code),
}
VARIANTS = {
    "java, no AOT cache": ("cloudfunc/runtime-java:latest", "com.example.Hello", java_code, ["--entrypoint", "java"],
                           FLAGS + JAR),
    "java, JVM defaults": ("cloudfunc/runtime-java:latest", "com.example.Hello", java_code, ["--entrypoint", "java"],
                           OPEN + JAR),
}


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    cases = dict(CASES, **(VARIANTS if "all" in sys.argv[2:] else {}))
    print("%-20s %8s %8s %8s %8s %8s   (ms, median of %d)" % ("runtime", "start", "listen", "init", "first", "warm",
                                                              runs))
    for name, case in cases.items():
        rows = [run(*case) for _ in range(runs)]
        medians = [sorted(column)[len(column) // 2] for column in zip(*rows)]
        print("%-20s %8.0f %8.0f %8.0f %8.1f %8.2f" % (name, *medians))


if __name__ == "__main__":
    main()
