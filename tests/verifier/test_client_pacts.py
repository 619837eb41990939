"""Real pact files from pact-js, pact-jvm and pact-reference (tests/fixtures/client_pacts, see
its README for origins) go through the whole pipeline: each is published to a real accord
broker, fetched back by URL and verified by accord's verifier against a real provider written
here to honour it with values *other* than the examples (so the matching rules, not equality,
decide), and again against the same provider with one seeded fault that the rules must catch.
"""

import base64
import json
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from accord.testing import ServerHandle, serve_app
from accord.verifier import verify

accord_broker = pytest.importorskip("accord_broker")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "client_pacts"
JSON_UTF8 = "application/json; charset=utf-8"


@dataclass
class ProviderState:
    """What the provider states of one verification run set up."""

    animals: bool = True
    calls: list[str] = field(default_factory=list)


ProviderFactory = Callable[[ProviderState, bool], FastAPI]


def _last_modified(state: ProviderState, fault: bool) -> FastAPI:
    app = FastAPI()

    @app.get("/myapp/test")
    def test() -> Response:
        stamp = "2024-11-05T09:08:07Z" if fault else "Tue, 5 Nov 2024 09:08:07 GMT"
        return JSONResponse({"served": True}, headers={"Last-Modified": stamp})

    return app


def _special_chars(state: ProviderState, fault: bool) -> FastAPI:
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
                # XXX takes Z or +HH:MM; Java refuses +HHMM there
                "%publicationDate%": "2001-05-06T07:08:09-0300"
                if fault
                else "2001-05-06T07:08:09-03:00",
                "reviews": [],
                "isbn": sent["isbn"],
            }
        )

    return app


def _match_values(state: ProviderState, fault: bool) -> FastAPI:
    app = FastAPI()

    @app.get("/myapp/test")
    def test() -> dict[str, Any]:
        return {
            "field1": "test string",
            "field2": False,
            "field3": {"nested1": {"7": {"value3": 5.5}, "12": {"value3": "x" if fault else 1}}},
            "field4": 12,
        }

    return app


def _encoded_headers(state: ProviderState, fault: bool) -> FastAPI:
    app = FastAPI()

    @app.get("/v4/users/{user}/bookings/count")
    def count(user: str, request: Request) -> Response:
        if "se-token" not in request.headers or "se-api-token" not in request.headers:
            return JSONResponse({"error": "no token"}, status_code=401)
        counts = {"cancelled": 1, "past": 2, "upcoming": 4 if fault else 3}
        return JSONResponse(counts, media_type=JSON_UTF8)

    return app


def _animal_profiles(state: ProviderState, fault: bool) -> FastAPI:
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
                "available_from": "2024-02-03T04:05:06.789+1000",
                "eligibility": {"available": False, "previously_married": True},
                "first_name": "Lama",
                "gender": "X" if fault else "F",
                "identifiers": {
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


def _xml_attributes(state: ProviderState, fault: bool) -> FastAPI:
    app = FastAPI()

    @app.post("/attr")
    async def attr(request: Request) -> Response:
        document = ET.fromstring(await request.body())
        hidden = document.findtext("attribute1/newattribute2/hiddenData")
        if fault or not hidden:
            return Response(status_code=200, content=b"ok")
        return Response(status_code=204)

    return app


def _articles(state: ProviderState, fault: bool) -> FastAPI:
    app = FastAPI()

    @app.get("/articles.json")
    def articles() -> dict[str, Any]:
        return {
            "articles": [
                {"variants": {"0077": {"description": "red"}, "0078": {"description": "blue"}}},
                {"variants": {"1": {"description": 5 if fault else "green"}}},
            ]
        }

    return app


@dataclass(frozen=True)
class ClientPact:
    """One fixture, the provider that honours it and what its seeded fault must break."""

    file: str
    provider: ProviderFactory
    fault_path: str


CLIENT_PACTS = [
    ClientPact("pact-reference/last-modified.json", _last_modified, "Last-Modified"),
    ClientPact(
        "pact-reference/pact_with_special_chars.json",
        _special_chars,
        "$.body['%publicationDate%']",
    ),
    ClientPact("pact-reference/match-values.json", _match_values, "$.body.field3.nested1.12"),
    ClientPact("pact-jvm/v2-pact-encoded-query-headers.json", _encoded_headers, "upcoming"),
    ClientPact(
        "pact-jvm/Matching Service V3-Animal Profile Service V3.json",
        _animal_profiles,
        "$.body.gender",
    ),
    ClientPact("pact-jvm/xml_consumer-xml_provider.json", _xml_attributes, "status"),
    ClientPact(
        "pact-jvm/ArticlesConsumer-ArticlesProvider.json",
        _articles,
        "$.body.articles[1].variants.1.description",
    ),
]


@dataclass(frozen=True)
class Published:
    url: str
    document: dict[str, Any]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Published]]:
    """Every fixture published once to one broker; the value is the pact's broker URL."""
    database = tmp_path_factory.mktemp("client-pacts") / "broker.sqlite"
    settings = accord_broker.Settings(database_url=f"sqlite:///{database}")
    with serve_app(accord_broker.create_app(settings)) as broker:
        yield {case.file: _publish(broker, case.file) for case in CLIENT_PACTS}


def _publish(broker: ServerHandle, file: str) -> Published:
    document = json.loads((FIXTURES / file).read_text(encoding="utf-8"))
    consumer, provider = document["consumer"]["name"], document["provider"]["name"]
    body = {
        "pacticipantName": consumer,
        "pacticipantVersionNumber": "1.0.0",
        "branch": "main",
        "contracts": [
            {
                "consumerName": consumer,
                "providerName": provider,
                "specification": "pact",
                "contentType": "application/json",
                "content": base64.b64encode(json.dumps(document).encode()).decode(),
            }
        ],
    }
    answer = requests.post(f"{broker.url}/contracts/publish", json=body, timeout=30)
    assert answer.status_code in (200, 201), (file, answer.text)
    quote = urllib.parse.quote
    url = f"{broker.url}/pacts/provider/{quote(provider)}/consumer/{quote(consumer)}/version/1.0.0"
    return Published(url, document)


def _verify(published: Published, case: ClientPact, *, fault: bool) -> Any:
    state = ProviderState()

    def no_animals() -> None:
        state.animals = False

    def some_animal(params: dict[str, Any]) -> None:
        state.animals = True
        state.calls.append(f"animal {params.get('id')}")

    with serve_app(case.provider(state, fault)) as provider:
        return verify(
            urls=[published.url],
            provider_base_url=provider.url,
            provider_states={
                "Has no animals": no_animals,
                "Has an animal with ID": some_animal,
                "": lambda: None,
            },
            output=None,
            raise_on_failure=False,
        )


@pytest.mark.parametrize("case", CLIENT_PACTS, ids=[c.file for c in CLIENT_PACTS])
def test_a_client_pact_verifies_against_a_provider_that_honours_it(
    published: dict[str, Published], case: ClientPact
) -> None:
    pact = published[case.file]
    result = _verify(pact, case, fault=False)
    assert len(result.interactions) == len(pact.document["interactions"])
    assert result.success, [(r.description, r.error, r.mismatches) for r in result.failures]


@pytest.mark.parametrize("case", CLIENT_PACTS, ids=[c.file for c in CLIENT_PACTS])
def test_a_client_pact_fails_against_a_provider_with_a_seeded_fault(
    published: dict[str, Published], case: ClientPact
) -> None:
    result = _verify(published[case.file], case, fault=True)
    assert not result.success
    reported = [(m.attribute, m.path, m.message) for r in result.failures for m in r.mismatches]
    assert any(case.fault_path in f"{a} {p} {msg}" for a, p, msg in reported), reported
