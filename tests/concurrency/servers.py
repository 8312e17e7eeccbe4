"""The portal served for real (Werkzeug's threaded server or gunicorn) and raw-socket requests.

The test client hands the app a whole body; a server reads it from a socket, so only a real
server shows what the portal does with a body that stops before its Content-Length.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def werkzeug_server(app: Flask) -> Iterator[int]:
    """The app under Werkzeug's threaded server on a loopback port; yields the port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _environment(config: dict) -> dict[str, str]:
    """The test configuration as the PORTAL_* variables a deployment would set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env["GUNICORN_WORKERS"] = "1"
    for key, value in config.items():
        if value is not None and key != "TESTING":
            env[f"PORTAL_{key}"] = value if isinstance(value, str) else json.dumps(value)
    return env


@contextmanager
def gunicorn_server(config: dict) -> Iterator[int]:
    """The portal under gunicorn with the shipped deploy/gunicorn.conf.py (one worker), on the
    database and storage of `config`; yields the port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "portal:create_app()"],
        cwd=ROOT,
        env=_environment(config),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = request(port, b"GET /static/portal.css HTTP/1.1\r\nHost: x\r\n\r\n")
                if status:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def request(port: int, head: bytes, body: bytes = b"", timeout: float = 30) -> tuple[int, bytes]:
    """Send the head and the body, close our sending side, and read the whole answer.

    The body may be shorter than the head's Content-Length: the server then sees the end of
    the stream there, as when a client's connection drops mid-upload.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head)
        if body:
            sock.sendall(body)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    if not answer:
        return 0, b""
    status = int(answer.split(b" ", 2)[1])
    return status, answer.partition(b"\r\n\r\n")[2]
