"""OpenTelemetry traces of requests and database statements, when the standard ``OTEL_*``
variables ask for them (``pip install "accord[otel]"``).

Nothing of OpenTelemetry is imported unless one of :data:`REQUESTING_VARIABLES` is set, so a
broker without tracing pays nothing for it. The exporter follows ``OTEL_TRACES_EXPORTER``:
``otlp`` (the default; endpoint, headers and protocol from the usual ``OTEL_EXPORTER_OTLP_*``
variables) or ``console`` (spans as JSON on stdout, for a first look). The service is named by
``OTEL_SERVICE_NAME``, else ``accord-broker``.
"""

import os
from collections.abc import Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.errors import BrokerConfigError
from accord_broker.db.engine import Database

REQUESTING_VARIABLES = (
    "OTEL_TRACES_EXPORTER",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
)
INSTALL_HINT = 'pip install "accord[otel]"'


def tracing_requested(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the environment asks for traces (and does not disable the SDK)."""
    if environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    if environ.get("OTEL_TRACES_EXPORTER", "").lower() == "none":
        return False
    return any(environ.get(name) for name in REQUESTING_VARIABLES)


def install_tracing(app: Starlette, database: Database) -> bool:
    """Trace ``app``'s requests and ``database``'s statements when asked; ``True`` if so."""
    if not tracing_requested():
        return False
    tracer = _tracer()
    app.add_middleware(TracedRequests, tracer=tracer)
    _trace_statements(database, tracer)
    return True


def _tracer() -> Any:
    try:
        from opentelemetry import trace
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
    except ImportError as exc:
        raise BrokerConfigError(
            f"OTEL_* variables ask for traces but OpenTelemetry is not installed ({exc.name}): "
            f"{INSTALL_HINT}, or unset {', '.join(REQUESTING_VARIABLES)}"
        ) from None
    service = os.environ.get("OTEL_SERVICE_NAME") or "accord-broker"
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(_exporter(ConsoleSpanExporter)))
    trace.set_tracer_provider(provider)
    return trace.get_tracer("accord_broker")


def _exporter(console: Any) -> Any:
    kind = (os.environ.get("OTEL_TRACES_EXPORTER") or "otlp").split(",")[0].strip().lower()
    if kind == "console":
        return console()
    if kind != "otlp":
        raise BrokerConfigError(
            f"OTEL_TRACES_EXPORTER={kind!r} is not supported by the broker: use otlp or console"
        )
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
            OTLPSpanExporter,
        )
    except ImportError:
        raise BrokerConfigError(
            f"the OTLP exporter is not installed: {INSTALL_HINT} (or OTEL_TRACES_EXPORTER=console)"
        ) from None
    return OTLPSpanExporter()


class TracedRequests:
    """A server span per HTTP request, named by method and route template when known."""

    def __init__(self, app: ASGIApp, tracer: Any) -> None:
        self.app = app
        self.tracer = tracer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from opentelemetry.trace import SpanKind

        method = str(scope["method"])
        with self.tracer.start_as_current_span(method, kind=SpanKind.SERVER) as span:
            span.set_attribute("http.request.method", method)
            span.set_attribute("url.path", str(scope["path"]))

            async def send_traced(message: Message) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", int(message["status"]))
                await send(message)

            await self.app(scope, receive, send_traced)


def _trace_statements(database: Database, tracer: Any) -> None:
    """A client span per SQL statement (its text without parameters: no values leak)."""
    from opentelemetry.trace import SpanKind
    from sqlalchemy import event

    def before(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        span = tracer.start_span(statement.split(None, 1)[0].upper(), kind=SpanKind.CLIENT)
        span.set_attribute("db.system", database.dialect)
        span.set_attribute("db.statement", statement[:2000])
        conn.info.setdefault("accord_spans", []).append(span)

    def after(conn: Any, *_: Any) -> None:
        spans = conn.info.get("accord_spans")
        if spans:
            spans.pop().end()

    event.listen(database.engine, "before_cursor_execute", before)
    event.listen(database.engine, "after_cursor_execute", after)
