"""OpenTelemetry traces of requests, database statements and webhook deliveries, when the
standard ``OTEL_*`` variables ask for them (``pip install "accord[otel]"``).

Each request is a server span named by its method and route template (``GET
/pacticipants/{pacticipant}``, never the raw path), with its status; each SQL statement it
runs is a client span under it; each webhook delivery the worker attempts is a span of its own
(``webhook delivery``) with the queue's statements under it.

Nothing of OpenTelemetry is imported unless one of :data:`REQUESTING_VARIABLES` is set, so a
broker without tracing pays nothing for it. The exporter follows ``OTEL_TRACES_EXPORTER``:
``otlp`` (the default; endpoint, headers and protocol from the usual ``OTEL_EXPORTER_OTLP_*``
variables) or ``console`` (spans as JSON on stdout, for a first look). The service is named by
``OTEL_SERVICE_NAME``, else ``accord-broker``.
"""

import os
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.errors import BrokerConfigError
from accord_broker.db.engine import Database
from accord_broker.observability.http import route_template

REQUESTING_VARIABLES = (
    "OTEL_TRACES_EXPORTER",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
)
INSTALL_HINT = 'pip install "accord[otel]"'
DELIVERY_SPAN = "webhook delivery"

_installed: dict[str, Any] = {}
"""The tracer once :func:`install_tracing` ran (OpenTelemetry's provider is per process too)."""


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
    tracer = _installed.get("tracer") or _tracer()
    _installed["tracer"] = tracer
    app.add_middleware(TracedRequests, tracer=tracer)
    # innermost, right above the router: the only layer that sees which route matched (the
    # layers in between copy the scope), so it names the request's span after the route
    app.user_middleware.append(Middleware(NamedByRoute))
    trace_statements(database)
    return True


def trace_statements(database: Database) -> None:
    """Trace ``database``'s statements (the webhook worker's own pool too), if tracing is on."""
    tracer = _installed.get("tracer")
    if tracer is not None:
        _trace_statements(database, tracer)


def delivery_span(delivery_id: int) -> AbstractContextManager[object]:
    """A span around one webhook delivery attempt, if tracing is on (the worker's hook)."""
    tracer = _installed.get("tracer")
    if tracer is None:
        return nullcontext()
    return tracer.start_as_current_span(  # type: ignore[no-any-return]
        DELIVERY_SPAN, attributes={"accord.webhook.delivery_id": delivery_id}
    )


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
                    status = int(message["status"])
                    span.set_attribute("http.response.status_code", status)
                    if status >= 500:
                        from opentelemetry.trace import Status, StatusCode

                        span.set_status(Status(StatusCode.ERROR))
                await send(message)

            await self.app(scope, receive, send_traced)


class NamedByRoute:
    """Names the current server span ``METHOD /route/{template}`` once the router matched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            path = getattr(scope.get("route"), "path", None)
            if isinstance(path, str):
                from opentelemetry import trace

                template = route_template(path)
                span = trace.get_current_span()
                span.set_attribute("http.route", template)
                span.update_name(f"{scope['method']} {template}")


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
