"""Providers for the real client pacts of ``tests/fixtures/client_pacts`` (see its README).

As the ``honest`` variant, each provider honours its pact with values *other* than the pact's
examples, so the matching rules, not equality, decide; ``fault`` seeds the one fault the rules
must catch, and a few pacts have more variants (``fault/...`` must fail, ``benign/...`` must
pass) at the edges of their rule forms, where verifiers could disagree. Every provider also
serves the state-change endpoint both verifiers call (``POST /_pact/state``) and keeps what it
was asked in a :class:`ProviderState`, so a test can check which states each verifier set up.
"""

import base64
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

JSON_UTF8 = "application/json; charset=utf-8"
STATE_PATH = "/_pact/state"
HONEST = "honest"
FAULT = "fault"


@dataclass
class ProviderState:
    """What the provider states of one verification run set up (and who asked for what)."""

    animals: bool = True
    orders: set[int] = field(default_factory=set)
    setups: list[str] = field(default_factory=list)

    def change(self, name: str, params: dict[str, Any], action: str) -> None:
        """Apply one state change as the state-change URL protocol delivers it.

        The empty state (sent before an interaction without states) resets the provider, as
        real providers use it; teardowns are not asked for by either verifier here.
        """
        if action != "setup":
            return
        if name:
            self.setups.append(name)
        else:
            self.animals, self.orders = True, set()
        if name == "Has no animals":
            self.animals = False
        elif name == "Has an animal with ID":
            self.animals = True
        elif name == "an order with ID {id} exists":
            self.orders.add(int(params["id"]))


ProviderFactory = Callable[[ProviderState, str], FastAPI]


def provider_app(factory: ProviderFactory, state: ProviderState, variant: str) -> FastAPI:
    """The pact's provider with the state-change endpoint both verifiers are pointed at."""
    app = factory(state, variant)

    async def change_state(request: Request) -> Response:
        sent = await request.json()
        state.change(str(sent.get("state", "")), dict(sent.get("params") or {}), sent["action"])
        return JSONResponse({})

    app.add_api_route(STATE_PATH, change_state, methods=["POST"])
    return app


def _last_modified(state: ProviderState, variant: str) -> FastAPI:
    app = FastAPI()

    @app.get("/myapp/test")
    def test() -> Response:
        stamp = "2024-11-05T09:08:07Z" if variant == FAULT else "Tue, 5 Nov 2024 09:08:07 GMT"
        if variant == "benign/two-spaces":
            stamp = "Tue,  5 Nov 2024 09:08:07 GMT"
        return JSONResponse({"served": True}, headers={"Last-Modified": stamp})

    return app


_PUBLICATION_DATES = {
    HONEST: "2001-05-06T07:08:09-03:00",
    # XXX takes Z or +HH:MM; Java refuses +HHMM there
    FAULT: "2001-05-06T07:08:09-0300",
    "benign/utc": "2001-05-06T07:08:09Z",
}


def _special_chars(state: ProviderState, variant: str) -> FastAPI:
    app = FastAPI()

    @app.post("/books")
    async def create(request: Request) -> Response:
        sent = await request.json()
        return JSONResponse(
            {
                "@context": "/api/contexts/Book",
                "@id": "/api/books/0a1b2c3d-0000-4000-8000-1234567890ab",
                "@type": "Book",
                "title": sent["title"],
                "description": "Another description",
                "author": sent["author"],
                "%publicationDate%": _PUBLICATION_DATES[variant],
                "reviews": [],
                "isbn": sent["isbn"],
            }
        )

    return app


def _match_values(state: ProviderState, variant: str) -> FastAPI:
    app = FastAPI()

    @app.get("/myapp/test")
    def test() -> dict[str, Any]:
        return {
            "field1": "test string",
            "field2": False,
            "field3": {
                "nested1": {}
                if variant == "benign/no-entries"
                else {"7": {"value3": 5.5}, "12": {"value3": "x" if variant == FAULT else 1}}
            },
            "field4": 12,
        }

    return app


def _encoded_headers(state: ProviderState, variant: str) -> FastAPI:
    app = FastAPI()

    @app.get("/v4/users/{user}/bookings/count")
    def count(user: str, request: Request) -> Response:
        if "se-token" not in request.headers or "se-api-token" not in request.headers:
            return JSONResponse({"error": "no token"}, status_code=401)
        counts = {"cancelled": 1, "past": 2, "upcoming": 4 if variant == FAULT else 3}
        if variant == "fault/no-charset":  # the pact asks for charset=utf-8
            return JSONResponse(counts)
        return JSONResponse(counts, media_type=JSON_UTF8)

    return app


def _animal_profiles(state: ProviderState, variant: str) -> FastAPI:
    app = FastAPI()

    @app.get("/animals/{animal_id}")
    def animal(animal_id: int, request: Request) -> Response:
        if request.headers.get("authorization") != "Bearer token":
            return Response(status_code=401)
        if not state.animals:
            return Response(status_code=404)
        return JSONResponse(
            {
                "id": animal_id,
                "age": 3,
                "animal": "llama",
                # SSSX: X reads Z, +HH or +HHMM (the pact's own example +10:00 is not one)
                "available_from": "2024-02-03T04:05:06.789"
                + ("+10:00" if variant == "fault/colon-offset" else "+1000"),
                "eligibility": {"available": False, "previously_married": True},
                "first_name": "Lama",
                "gender": "X" if variant == FAULT else "F",
                "identifiers": {}
                if variant == "benign/no-identifiers"
                else {
                    "17": {"description": "chip", "id": "17"},
                    "21": {"description": "tag", "id": "21"},
                },
                "interests": ["hay"],
                "last_name": "Glama",
                "location": {"country": "Peru", "description": "Andes", "post_code": 8000},
            },
            media_type=JSON_UTF8,
        )

    return app


def _xml_attributes(state: ProviderState, variant: str) -> FastAPI:
    app = FastAPI()

    @app.post("/attr")
    async def attr(request: Request) -> Response:
        document = ET.fromstring(await request.body())
        hidden = document.findtext("attribute1/newattribute2/hiddenData")
        if variant == FAULT or not hidden:
            return Response(status_code=200, content=b"ok")
        return Response(status_code=204)

    return app


def _articles(state: ProviderState, variant: str) -> FastAPI:
    app = FastAPI()

    @app.get("/articles.json")
    def articles() -> dict[str, Any]:
        if variant == "fault/no-articles":
            return {"articles": []}
        if variant == "benign/no-variants":
            return {"articles": [{"variants": {}}]}
        return {
            "articles": [
                {"variants": {"0077": {"description": "red"}, "0078": {"description": "blue"}}},
                {"variants": {"1": {"description": 5 if variant == FAULT else "green"}}},
            ]
        }

    return app


def _filtered_states(state: ProviderState, variant: str) -> FastAPI:
    """pact-js' state-filter example: two endpoints that both answer ``OK``."""
    app = FastAPI()

    @app.get("/pass")
    def passing() -> Response:
        return JSONResponse({"result": "OK"}, media_type=JSON_UTF8)

    @app.get("/fail")
    def failing() -> Response:
        return JSONResponse(
            {"result": "NOT OK" if variant == FAULT else "OK"}, media_type=JSON_UTF8
        )

    return app


def _greeting(state: ProviderState, variant: str) -> FastAPI:
    """pact-js-core's regex example: any ``Hello <name>`` greeting will do."""
    app = FastAPI()

    @app.post("/")
    async def greet(request: Request) -> Response:
        sent = await request.json()
        word = "Hi" if variant == FAULT else "Hello"
        name = sent["name"][::-1].capitalize()
        if variant == "fault/two-names":  # the regex matches a part only: a whole match fails
            name += " Lovelace"
        return JSONResponse({"greeting": f"{word} {name}"})

    return app


_EVENTS = [
    {
        "eventId": "0b8c4c1e-7a51-4a3f-9a39-61b8f1d2c0aa",
        "eventType": "DetailsView",
        "timestamp": "2020-01-02T03:04:05.6789",
    },
    {
        "eventId": "6F0B5B5E-0D7B-4E3C-8A3B-2C1D0E9F8A7B",
        "eventType": "SearchView",
        "timestamp": "2021-11-12T13:14:15",
    },
]


def _event_api(state: ProviderState, variant: str) -> FastAPI:
    """pact-net's Event API sample (V2): status links, events behind a bearer token."""
    app = FastAPI()

    def authorised(request: Request) -> bool:
        return request.headers.get("authorization") == "Bearer SomeValidAuthToken"

    @app.get("/stats/status")
    def status() -> Response:
        links = {name: {"href": f"/v2/stats/{name}"} for name in ("self", "uptime", "version")}
        return JSONResponse({"alive": False, "_links": links}, media_type=JSON_UTF8)

    @app.get("/stats/uptime")
    def uptime() -> Response:
        return JSONResponse({"upSince": "2020-02-29T12:00:00Z"}, media_type=JSON_UTF8)

    @app.post("/events")
    async def create(request: Request) -> Response:
        sent = await request.json()
        ok = authorised(request) and {"eventId", "eventType", "timestamp"} <= set(sent)
        return Response(status_code=201 if ok else 400)

    @app.get("/events")
    def events(request: Request, type: str | None = None) -> Response:
        if not authorised(request):
            return Response(status_code=401)
        chosen = [e for e in _EVENTS if type in (None, e["eventType"])]
        if variant == "fault/no-events":
            chosen = []
        elif variant == "fault/unknown-type" and type is None:
            chosen = [*chosen, {**_EVENTS[0], "eventType": "ListView"}]
        return JSONResponse(chosen, media_type=JSON_UTF8)

    @app.get("/events/{event_id}")
    def event(event_id: str, request: Request) -> Response:
        if not authorised(request):
            return Response(status_code=401)
        stamp = "2020-01-02 03:04:05" if variant == FAULT else "2020-01-02T03:04:05.250+01:00"
        body = {"eventId": event_id, "eventType": "SearchView", "timestamp": stamp}
        return JSONResponse(body, media_type=JSON_UTF8)

    return app


def _orders_api(state: ProviderState, variant: str) -> FastAPI:
    """pact-net's Orders API sample (V4): orders by id, a status update, a created event."""
    app = FastAPI()

    @app.get("/api/orders/{order_id}")
    def order(order_id: int) -> Response:
        if order_id not in state.orders:
            return Response(status_code=404)
        # the rule is Pending|Fulfilling|Shipped: the whole value must be one of them
        status = {FAULT: "Cancelled", "fault/status-suffix": "Fulfilling soon"}.get(
            variant, "Shipped"
        )
        body = {"id": order_id, "date": "2024-01-02T03:04:05+00:00", "status": status}
        return JSONResponse(body)

    @app.put("/api/orders/{order_id}/status")
    async def update(order_id: int, request: Request) -> Response:
        sent = await request.json()
        known = order_id in state.orders and sent in ("Pending", "Fulfilling", "Shipped")
        return Response(status_code=204 if known else 400)

    @app.post("/")
    async def message(request: Request) -> Response:
        asked = await request.json()
        if asked.get("description") != "an event indicating that an order has been created":
            return Response(status_code=404)
        metadata = base64.b64encode(json.dumps({"contentType": "application/json"}).encode())
        order_id = "77" if variant == "fault/text-id" else 77
        return JSONResponse({"id": order_id}, headers={"Pact-Message-Metadata": metadata.decode()})

    return app


@dataclass(frozen=True)
class Variant:
    """A provider variant beyond honest and fault: ``fault_path`` is what it must break, or
    ``None`` when it must pass."""

    name: str
    fault_path: str | None


@dataclass(frozen=True)
class ClientPact:
    """One fixture, the provider that honours it and what its seeded fault must break."""

    file: str
    provider: ProviderFactory
    fault_path: str
    variants: tuple[Variant, ...] = ()

    @property
    def all_variants(self) -> list[str]:
        """Every provider variant this pact is verified against, by both verifiers."""
        return [HONEST, FAULT, *(variant.name for variant in self.variants)]


CLIENT_PACTS = [
    ClientPact(
        "pact-reference/last-modified.json",
        _last_modified,
        "Last-Modified",
        (Variant("benign/two-spaces", None),),
    ),
    ClientPact(
        "pact-reference/pact_with_special_chars.json",
        _special_chars,
        "$.body['%publicationDate%']",
        (Variant("benign/utc", None),),
    ),
    ClientPact(
        "pact-reference/match-values.json",
        _match_values,
        "$.body.field3.nested1.12",
        (Variant("benign/no-entries", None),),
    ),
    ClientPact(
        "pact-jvm/v2-pact-encoded-query-headers.json",
        _encoded_headers,
        "upcoming",
        (Variant("fault/no-charset", "Content-Type"),),
    ),
    ClientPact(
        "pact-jvm/Matching Service V3-Animal Profile Service V3.json",
        _animal_profiles,
        "$.body.gender",
        (
            Variant("fault/colon-offset", "$.body.available_from"),
            Variant("benign/no-identifiers", None),
        ),
    ),
    ClientPact("pact-jvm/xml_consumer-xml_provider.json", _xml_attributes, "status"),
    ClientPact(
        "pact-jvm/ArticlesConsumer-ArticlesProvider.json",
        _articles,
        "$.body.articles[1].variants.1.description",
        (Variant("fault/no-articles", "$.body.articles"), Variant("benign/no-variants", None)),
    ),
    ClientPact("pact-js/filter-by-PACT_PROVIDER_STATE.json", _filtered_states, "$.body.result"),
    ClientPact(
        "pact-js/me-they-post-regex-success.json",
        _greeting,
        "$.body.greeting",
        (Variant("fault/two-names", "$.body.greeting"),),
    ),
    ClientPact(
        "pact-net/Event API Consumer-Event API.json",
        _event_api,
        "$.body.timestamp",
        (
            Variant("fault/no-events", "$.body"),
            Variant("fault/unknown-type", "$.body[2].eventType"),
        ),
    ),
    ClientPact(
        "pact-net/Fulfilment API-Orders API.json",
        _orders_api,
        "$.body.status",
        (
            Variant("fault/status-suffix", "$.body.status"),
            Variant("fault/text-id", "$.body.id"),
        ),
    ),
]
