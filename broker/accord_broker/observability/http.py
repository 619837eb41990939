"""The HTTP side of observability: request ids, access lines, request metrics, ``/metrics``.

Two ASGI layers share one :class:`RequestFacts` per request. :class:`ObservedRequests` is the
outermost layer: it takes or makes the request id, echoes it, times the request and, when the
answer is sent, counts it and writes the access line. :class:`RouteCapture` is the innermost
layer (inside authentication): after routing it notes the matched route's template and path
parameters, which the outer layer cannot see because middlewares in between copy the scope;
and it answers ``GET /metrics`` itself when the client asks for Prometheus' formats, leaving
the Pact Broker's JSON of counts (``pb:metrics``) to the route for everyone else.
"""

import logging
import re
import time
import uuid
from dataclasses import dataclass, field

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord_broker.observability.logs import request_id_var
from accord_broker.observability.metrics import UNMATCHED_ROUTE, BrokerMetrics

access_log = logging.getLogger("accord_broker.access")

FACTS_KEY = "accord_broker.request"
REQUEST_ID_HEADER = "X-Request-Id"
_USABLE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
"""A client's request id is kept when it is short and plain; anything else is replaced, so a
header cannot forge log fields."""
_CONVERTOR = re.compile(r":[a-z]+}")
PACTICIPANT_PARAMETERS = ("pacticipant", "consumer", "provider")
OPENMETRICS = "application/openmetrics-text"
PROMETHEUS_TEXT = "text/plain"
_JSON_TYPES = ("application/json", "application/hal+json")


@dataclass(slots=True)
class RequestFacts:
    """What the layers learn about one request, shared through the scope."""

    request_id: str
    route: str | None = None
    path_params: dict[str, str] = field(default_factory=dict)


def route_template(path: str) -> str:
    """``/pacts/provider/{provider}/…``: the route's path without its convertors."""
    return _CONVERTOR.sub("}", path)


def request_id_from(headers: Headers) -> str:
    given = headers.get(REQUEST_ID_HEADER)
    if given is not None and _USABLE_REQUEST_ID.match(given):
        return given
    return uuid.uuid4().hex


def prometheus_format(accept: str | None) -> str | None:
    """``"openmetrics"`` or ``"text"`` when the client prefers a Prometheus format to JSON.

    Prometheus sends ``application/openmetrics-text;…,text/plain;version=0.0.4;q=0.5,*/*;q=0.1``;
    the Pact Broker's clients send ``application/hal+json`` or ``application/json``; a browser
    or ``curl`` sends ``*/*`` or ``text/html``: those get the JSON, as from the Pact Broker.
    """
    if not accept:
        return None
    best: tuple[float, str] | None = None
    for position, part in enumerate(accept.split(",")):
        media, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        kind = {OPENMETRICS: "openmetrics", PROMETHEUS_TEXT: "text"}.get(media.lower())
        if media.lower() in _JSON_TYPES:
            kind = "json"
        if kind is None or quality <= 0:
            continue
        if best is None or quality > best[0]:
            best = (quality - position * 1e-6, kind)
    return None if best is None or best[1] == "json" else best[1]


class ObservedRequests:
    """Outermost: request id in and out, then one metric sample and one access line per request."""

    def __init__(self, app: ASGIApp, *, metrics: BrokerMetrics, log_requests: bool) -> None:
        self.app = app
        self.metrics = metrics
        self.log_requests = log_requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        facts = RequestFacts(request_id_from(Headers(scope=scope)))
        scope = {**scope, FACTS_KEY: facts}
        status = 500  # unless an answer starts: an exception escaped every handler
        started = time.perf_counter()
        echoed = (REQUEST_ID_HEADER.lower().encode(), facts.request_id.encode())

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message = {**message, "headers": [*message.get("headers", ()), echoed]}
            await send(message)

        token = request_id_var.set(facts.request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)
            self._record(scope, facts, status, time.perf_counter() - started)

    def _record(self, scope: Scope, facts: RequestFacts, status: int, seconds: float) -> None:
        route = facts.route or UNMATCHED_ROUTE
        method = str(scope["method"])
        self.metrics.observe_request(route, method, status, seconds)
        if not self.log_requests:
            return
        names = {k: facts.path_params[k] for k in PACTICIPANT_PARAMETERS if k in facts.path_params}
        access_log.info(
            "%s %s %d %.1fms",
            method,
            scope["path"],
            status,
            seconds * 1000,
            extra={
                "request_id": facts.request_id,
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                **names,
            },
        )


class RouteCapture:
    """Innermost: notes the matched route for the outer layer; serves Prometheus scrapes."""

    def __init__(self, app: ASGIApp, *, metrics: BrokerMetrics, serve_prometheus: bool) -> None:
        self.app = app
        self.metrics = metrics
        self.serve_prometheus = serve_prometheus

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        facts = scope.get(FACTS_KEY)
        wanted = self._scrape_format(scope)
        if wanted is not None:
            if isinstance(facts, RequestFacts):
                facts.route = "/metrics"
            response = await scrape_response(self.metrics, wanted)
            await response(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None)
            if isinstance(facts, RequestFacts) and isinstance(path, str):
                facts.route = route_template(path)
                params = scope.get("path_params") or {}
                facts.path_params = {k: str(v) for k, v in params.items()}

    def _scrape_format(self, scope: Scope) -> str | None:
        if not self.serve_prometheus or scope["path"] != "/metrics":
            return None
        if scope["method"] not in ("GET", "HEAD"):
            return None
        return prometheus_format(Headers(scope=scope).get("accept"))


async def scrape_response(metrics: BrokerMetrics, wanted: str) -> Response:
    """A scrape rendered in a worker thread (the queue collector queries the database)."""
    body, content_type = await anyio.to_thread.run_sync(
        lambda: metrics.exposition(openmetrics=wanted == "openmetrics")
    )
    return Response(body, headers={"Content-Type": content_type})
