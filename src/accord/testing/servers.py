"""Start servers on free loopback ports and wait until they accept connections."""

import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


def free_port(host: str = "127.0.0.1") -> int:
    """A port that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, *, timeout: float = 20.0) -> None:
    """Block until ``host:port`` accepts a TCP connection, or raise ``TimeoutError``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"nothing listens on {host}:{port} after {timeout:.0f}s"
                ) from None
            time.sleep(0.02)


@dataclass(frozen=True)
class ServerHandle:
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@contextmanager
def serve_app(
    app: Any, *, host: str = "127.0.0.1", log_level: str = "warning"
) -> Iterator[ServerHandle]:
    """Serve an ASGI app with uvicorn in a background thread for the duration of the block."""
    import uvicorn

    config = uvicorn.Config(app, host=host, port=0, log_level=log_level, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="accord-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the test server stopped before it started; see its log above")
        if time.monotonic() > deadline:
            raise TimeoutError("the test server did not start within 20s")
        time.sleep(0.01)
    port = int(server.servers[0].sockets[0].getsockname()[1])
    try:
        yield ServerHandle(host, port)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def start_process(
    argv: Sequence[str],
    *,
    port: int,
    host: str = "127.0.0.1",
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    timeout: float = 30.0,
) -> Iterator[ServerHandle]:
    """Run a server process that listens on ``port``; stop it (and wait) when the block ends."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.Popen(
        list(argv), env=full_env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        try:
            wait_for_port(host, port, timeout=timeout)
        except TimeoutError:
            proc.kill()
            out = proc.communicate()[0].decode(errors="replace")
            raise TimeoutError(
                f"{' '.join(argv)} did not listen on {port}:\n{out[-4000:]}"
            ) from None
        yield ServerHandle(host, port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
