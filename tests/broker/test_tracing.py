"""OpenTelemetry traces of a real broker process (issue #19), exported over OTLP/HTTP to a
receiver on 127.0.0.1: a server span per request named by its route template with its status,
the request's SQL statements as its children, and each webhook delivery as a span with the
queue's statements under it.
"""

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from accord.testing import free_port, start_process
from tests.broker.conftest import RunningBroker, make_pact
from tests.broker.webhook_receiver import running_receiver, webhook_body

pytest.importorskip("opentelemetry.sdk", reason="the [otel] extra is part of [dev]")
trace_service = pytest.importorskip(
    "opentelemetry.proto.collector.trace.v1.trace_service_pb2",
    reason="the OTLP exporter is part of the [otel] extra",
)

SERVER_KIND = 2
CLIENT_KIND = 3
"""``Span.SpanKind`` values of the OTLP protocol."""
ERROR_STATUS = 2


@dataclass(frozen=True)
class ExportedSpan:
    name: str
    kind: int
    trace_id: str
    span_id: str
    parent_id: str
    status_code: int
    attributes: dict[str, Any]


class Collector:
    """What the broker exported, decoded from OTLP's protobuf."""

    def __init__(self) -> None:
        self.spans: list[ExportedSpan] = []
        self.service_names: set[str] = set()
        self._changed = threading.Condition()

    def receive(self, payload: bytes) -> None:
        request = trace_service.ExportTraceServiceRequest()
        request.ParseFromString(payload)
        with self._changed:
            for resource_spans in request.resource_spans:
                for attribute in resource_spans.resource.attributes:
                    if attribute.key == "service.name":
                        self.service_names.add(attribute.value.string_value)
                for scope_spans in resource_spans.scope_spans:
                    self.spans.extend(_decoded(span) for span in scope_spans.spans)
            self._changed.notify_all()

    def wait_for(self, description: str, found: Any, timeout: float = 20.0) -> list[ExportedSpan]:
        """The spans for which ``found(span)`` holds, once there is one (or fail, listing all)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                matching = [span for span in self.spans if found(span)]
                if matching:
                    return matching
                left = deadline - time.monotonic()
                if left <= 0:
                    names = sorted({span.name for span in self.spans})
                    raise AssertionError(f"no span {description} among {names}")
                self._changed.wait(left)

    def descendants_of(self, ancestor: ExportedSpan) -> list[ExportedSpan]:
        """Children, grandchildren…: FastAPI's own spans may sit between a request and its SQL."""
        with self._changed:
            found: list[ExportedSpan] = []
            parents = {ancestor.span_id}
            while parents:
                children = [
                    span
                    for span in self.spans
                    if span.parent_id in parents and span.trace_id == ancestor.trace_id
                ]
                found += children
                parents = {span.span_id for span in children}
            return found


def _decoded(span: Any) -> ExportedSpan:
    attributes: dict[str, Any] = {}
    for attribute in span.attributes:
        value = attribute.value
        attributes[attribute.key] = getattr(value, value.WhichOneof("value"))
    return ExportedSpan(
        name=span.name,
        kind=span.kind,
        trace_id=span.trace_id.hex(),
        span_id=span.span_id.hex(),
        parent_id=span.parent_span_id.hex(),
        status_code=span.status.code,
        attributes=attributes,
    )


@contextmanager
def otlp_receiver() -> Iterator[tuple[str, Collector]]:
    """An OTLP/HTTP trace endpoint on 127.0.0.1 (``POST /v1/traces``, protobuf)."""
    collector = Collector()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            payload = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == "/v1/traces":
                collector.receive(payload)
            answer = trace_service.ExportTraceServiceResponse().SerializeToString()
            self.send_response(200 if self.path == "/v1/traces" else 404)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="otlp-receiver", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", collector
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def traced_broker(database_url: str, endpoint: str) -> Iterator[RunningBroker]:
    port = free_port()
    env = {
        "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
        "OTEL_SERVICE_NAME": "broker-under-test",
        "OTEL_BSP_SCHEDULE_DELAY": "100",  # export every 0.1 s, not every 5 s
        "ACCORD_BROKER_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "ACCORD_BROKER_WEBHOOK_ALLOWED_SCHEMES": "http",
        "ACCORD_BROKER_WEBHOOK_POLL_INTERVAL_SECONDS": "0.05",
    }
    argv = [sys.executable, "-m", "accord_broker", "--port", str(port)]
    with start_process([*argv, "--database-url", database_url], port=port, env=env) as server:
        yield RunningBroker(url=server.url, database_url=database_url)


def test_requests_statements_and_webhook_deliveries_are_traced(database_url: str) -> None:
    with (
        otlp_receiver() as (endpoint, collector),
        running_receiver() as hooks,
        traced_broker(database_url, endpoint) as broker,
    ):
        hook = webhook_body(hooks.url + "/hook", "contract_published")
        assert broker.post("/webhooks", hook).status_code == 201
        assert broker.publish("Web", "1", make_pact()).status_code == 200
        assert broker.get("/pacticipants/Web").status_code == 200
        assert broker.get("/pacticipants/Nobody").status_code == 404
        hooks.wait_for(1)

        read = collector.wait_for(
            "for GET /pacticipants/{name} answered 200",
            lambda s: (
                s.name == "GET /pacticipants/{name}"
                and s.attributes.get("http.response.status_code") == 200
            ),
        )[0]
        missing = collector.wait_for(
            "for the 404",
            lambda s: (
                s.name == "GET /pacticipants/{name}"
                and s.attributes.get("http.response.status_code") == 404
            ),
        )[0]
        delivery = collector.wait_for("for the delivery", lambda s: s.name == "webhook delivery")
        delivered_at = collector.wait_for(
            "for the delivery's statements",
            lambda s: s.trace_id == delivery[0].trace_id and s.kind == CLIENT_KIND,
        )

    assert collector.service_names == {"broker-under-test"}
    assert read.kind == SERVER_KIND
    assert read.attributes["http.route"] == "/pacticipants/{name}"
    assert read.attributes["url.path"] == "/pacticipants/Web"
    assert missing.status_code != ERROR_STATUS, "a 404 is the client's, not a server error"
    statements = [s for s in collector.descendants_of(read) if s.kind == CLIENT_KIND]
    assert statements, "the request's SQL statements are not under its span"
    names = {s.name for s in statements}
    assert "SELECT" in names and not names & {"INSERT", "UPDATE", "DELETE"}, names
    assert all("db.statement" in s.attributes for s in statements)
    dialect = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    assert {s.attributes["db.system"] for s in statements} == {dialect}
    # the delivery is a trace of its own, with the queue's statements under it
    assert delivery[0].parent_id == ""
    assert delivery[0].attributes["accord.webhook.delivery_id"] >= 1
    under_delivery = {s.span_id for s in collector.descendants_of(delivery[0])}
    assert {s.span_id for s in delivered_at} <= under_delivery
    assert any("triggered_webhook" in s.attributes["db.statement"] for s in delivered_at)
