"""A real HTTP server on 127.0.0.1 that records what webhooks send it.

``receiver.fail_next(500, 500)`` makes the next two requests answer 500 (then 200 again), so
retries can be watched; ``receiver.wait_for(n)`` blocks until ``n`` requests arrived.
"""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query)


class Receiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self._statuses: list[int] = []
        self._changed = threading.Condition()
        self.url = ""
        self.echo = False
        """Answer with what was received (path and body), as some CI systems do."""

    def fail_next(self, *statuses: int) -> None:
        with self._changed:
            self._statuses.extend(statuses)

    def record(self, request: Received) -> int:
        with self._changed:
            self.received.append(request)
            self._changed.notify_all()
            return self._statuses.pop(0) if self._statuses else 200

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        with self._changed:
            arrived = self._changed.wait_for(lambda: len(self.received) >= count, timeout)
            if not arrived:
                raise AssertionError(
                    f"expected {count} webhook requests within {timeout}s, got {len(self.received)}"
                )
            return list(self.received)

    def count(self) -> int:
        with self._changed:
            return len(self.received)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            status = receiver.record(
                Received(self.command, self.path, dict(self.headers.items()), body)
            )
            answer = {"path": self.path, "body": body} if receiver.echo else {"received": True}
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_POST = do_PUT = do_GET = do_PATCH = do_DELETE = _handle  # noqa: N815

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="webhook-receiver", daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


WEBHOOK_SETTINGS: dict[str, Any] = {
    "webhook_allowed_hosts": ["127.0.0.1"],
    "webhook_allowed_schemes": ["http", "https"],
    "webhook_allowed_methods": ["POST", "PUT", "GET"],
    "webhook_retry_schedule": [0.2, 0.4],
    "webhook_poll_interval_seconds": 0.05,
    "webhook_timeout_seconds": 5.0,
}
"""Broker settings for webhook tests: the loopback receiver allowed, a fast retry schedule."""


def webhook_body(url: str, *events: str, **extra: Any) -> dict[str, Any]:
    """A webhook body as ``pact broker create-webhook`` sends it."""
    body: dict[str, Any] = {
        "description": "notify CI",
        "events": [{"name": name} for name in events or ("contract_content_changed",)],
        "request": {
            "method": "POST",
            "url": url,
            "headers": {"Content-Type": "application/json"},
            "body": {"pact": "${pactbroker.pactUrl}"},
        },
    }
    body.update(extra)
    return body
