"""Parity with the reference verifier: same pacts, same provider, same verdicts.

A corpus of interactions with seeded faults (wrong status, missing field, wrong type, regex
miss, extra array items, header mismatch, message metadata mismatch, ...) is built here; one
FastAPI provider answers every case. ``pact verifier`` (from pact-python-cli) and accord verify
the same pact files against the same server, and for each interaction the verdicts must agree.
"""

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from accord.testing import serve_app
from accord.verifier import verify
from tests.parity.reference import PACT_CLI, reference_verdicts

pytestmark = pytest.mark.interop

JSON = "application/json"


def _case(
    description: str,
    expected: dict[str, Any],
    actual_body: Any,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    rules: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "description": description,
        "expected": expected,
        "rules": rules or {},
        "actual": {"status": status, "headers": headers or {}, "body": actual_body},
    }


def _type(*paths: str, **params: Any) -> dict[str, Any]:
    return {p: {"matchers": [{"match": "type", **params}]} for p in paths}


HTTP_CASES: list[dict[str, Any]] = [
    _case("a plain match", {"status": 200, "body": {"id": 1}}, {"id": 1}),
    _case("wrong status", {"status": 200, "body": {"id": 1}}, {"id": 1}, status=201),
    _case("missing field", {"status": 200, "body": {"id": 1, "name": "a"}}, {"id": 1}),
    _case("extra field is allowed", {"status": 200, "body": {"id": 1}}, {"id": 1, "x": 2}),
    _case(
        "wrong type for an integer matcher",
        {"status": 200, "body": {"n": 5}},
        {"n": "5"},
        rules={"body": {"$.n": {"matchers": [{"match": "integer"}]}}},
    ),
    _case(
        "type matcher accepts another value",
        {"status": 200, "body": {"name": "alice"}},
        {"name": "bob"},
        rules={"body": _type("$.name")},
    ),
    _case(
        "type matcher rejects another type",
        {"status": 200, "body": {"name": "alice"}},
        {"name": 7},
        rules={"body": _type("$.name")},
    ),
    _case(
        "regex hit",
        {"status": 200, "body": {"code": "AB-12"}},
        {"code": "ZZ-99"},
        rules={"body": {"$.code": {"matchers": [{"match": "regex", "regex": "^[A-Z]{2}-\\d+$"}]}}},
    ),
    _case(
        "regex miss",
        {"status": 200, "body": {"code": "AB-12"}},
        {"code": "zz99"},
        rules={"body": {"$.code": {"matchers": [{"match": "regex", "regex": "^[A-Z]{2}-\\d+$"}]}}},
    ),
    _case("extra array items", {"status": 200, "body": [1, 2]}, [1, 2, 3]),
    _case("array order differs", {"status": 200, "body": [1, 2]}, [2, 1]),
    _case(
        "eachLike accepts extra items",
        {"status": 200, "body": {"items": [{"id": 1}]}},
        {"items": [{"id": 5}, {"id": 6}, {"id": 7}]},
        rules={"body": _type("$.items", min=1)},
    ),
    _case(
        "eachLike item of the wrong type",
        {"status": 200, "body": {"items": [{"id": 1}]}},
        {"items": [{"id": 5}, {"id": "six"}]},
        rules={"body": _type("$.items", min=1)},
    ),
    _case(
        "fewer items than min",
        {"status": 200, "body": {"items": [1, 2]}},
        {"items": [1]},
        rules={"body": _type("$.items", min=2)},
    ),
    _case(
        "more items than max",
        {"status": 200, "body": {"items": [1]}},
        {"items": [1, 2, 3]},
        rules={"body": _type("$.items", max=2)},
    ),
    _case(
        "header mismatch",
        {"status": 200, "headers": {"X-Total": "1"}},
        {},
        headers={"X-Total": "2"},
    ),
    _case(
        "header names are case-insensitive",
        {"status": 200, "headers": {"x-total": "1"}},
        {},
        headers={"X-Total": "1"},
    ),
    _case(
        "header regex",
        {"status": 200, "headers": {"X-Request-Id": "abc-1"}},
        {},
        headers={"X-Request-Id": "zzz-42"},
        rules={
            "header": {"X-Request-Id": {"matchers": [{"match": "regex", "regex": "^[a-z]+-\\d+$"}]}}
        },
    ),
    _case(
        "content type with a charset",
        {"status": 200, "headers": {"Content-Type": JSON}, "body": {"a": 1}},
        {"a": 1},
        headers={"Content-Type": "application/json; charset=utf-8"},
    ),
    _case("null expected, value found", {"status": 200, "body": {"a": None}}, {"a": "x"}),
    _case(
        "decimal matcher",
        {"status": 200, "body": {"d": 1.5}},
        {"d": 2.25},
        rules={"body": {"$.d": {"matchers": [{"match": "decimal"}]}}},
    ),
    _case(
        "number matcher on a string",
        {"status": 200, "body": {"d": 1}},
        {"d": "1"},
        rules={"body": {"$.d": {"matchers": [{"match": "number"}]}}},
    ),
    _case("boolean as a string", {"status": 200, "body": {"ok": True}}, {"ok": "true"}),
    _case(
        "timestamp format hit",
        {"status": 200, "body": {"on": "2024-01-31"}},
        {"on": "1999-12-01"},
        rules={"body": {"$.on": {"matchers": [{"match": "date", "date": "yyyy-MM-dd"}]}}},
    ),
    _case(
        "timestamp format miss",
        {"status": 200, "body": {"on": "2024-01-31"}},
        {"on": "31/01/2024"},
        rules={"body": {"$.on": {"matchers": [{"match": "date", "date": "yyyy-MM-dd"}]}}},
    ),
    _case(
        "include matcher",
        {"status": 200, "body": {"s": "hello world"}},
        {"s": "say hello world!"},
        rules={"body": {"$.s": {"matchers": [{"match": "include", "value": "hello world"}]}}},
    ),
    _case(
        "wildcard type rules on nested items",
        {"status": 200, "body": {"users": [{"id": 1, "tags": ["a"]}]}},
        {"users": [{"id": 9, "tags": ["x", "y"]}, {"id": 10, "tags": []}]},
        rules={"body": {**_type("$.users", min=1), **_type("$.users[*].id", "$.users[*].tags")}},
    ),
    _case(
        "text body mismatch",
        {"status": 200, "headers": {"Content-Type": "text/plain"}, "body": "hello"},
        "hallo",
        headers={"Content-Type": "text/plain"},
    ),
    _case(
        "text body regex",
        {"status": 200, "headers": {"Content-Type": "text/plain"}, "body": "v1.2.3"},
        "v10.0.1",
        headers={"Content-Type": "text/plain"},
        rules={"body": {"$": {"matchers": [{"match": "regex", "regex": "^v\\d+\\.\\d+\\.\\d+$"}]}}},
    ),
    _case(
        "nested object missing key",
        {"status": 200, "body": {"a": {"b": {"c": 1}}}},
        {"a": {"b": {}}},
    ),
]

MESSAGE_CASES: list[dict[str, Any]] = [
    {
        "description": "a matching message",
        "contents": {"id": "t-1", "amount": 10},
        "metadata": {"topic": "transfers"},
        "actual": ({"id": "t-9", "amount": 99}, {"topic": "transfers"}),
        "rules": {"body": _type("$.id", "$.amount")},
    },
    {
        "description": "message metadata mismatch",
        "contents": {"id": "t-1"},
        "metadata": {"topic": "transfers"},
        "actual": ({"id": "t-1"}, {"topic": "payments"}),
        "rules": {},
    },
    {
        "description": "message contents of the wrong type",
        "contents": {"amount": 10},
        "metadata": {},
        "actual": ({"amount": "ten"}, {}),
        "rules": {"body": {"$.amount": {"matchers": [{"match": "integer"}]}}},
    },
    {
        "description": "message metadata regex",
        "contents": {"id": 1},
        "metadata": {"topic": "transfers-eu"},
        "actual": ({"id": 1}, {"topic": "transfers-us"}),
        "rules": {
            "metadata": {"topic": {"matchers": [{"match": "regex", "regex": "^transfers-\\w+$"}]}}
        },
    },
    {
        "description": "message missing a field",
        "contents": {"id": 1, "amount": 2},
        "metadata": {},
        "actual": ({"id": 1}, {}),
        "rules": {},
    },
]


def _http_pact() -> dict[str, Any]:
    interactions = []
    for index, case in enumerate(HTTP_CASES):
        response = dict(case["expected"])
        if case["rules"]:
            response["matchingRules"] = case["rules"]
        interaction: dict[str, Any] = {
            "description": case["description"],
            "request": {"method": "GET", "path": f"/case/{index}"},
            "response": response,
        }
        if index % 3 == 0:
            interaction["providerStates"] = [{"name": "case data exists", "params": {"i": index}}]
        interactions.append(interaction)
    return {
        "consumer": {"name": "parity-web"},
        "provider": {"name": "parity-provider"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


def _message_pact() -> dict[str, Any]:
    messages = []
    for case in MESSAGE_CASES:
        message: dict[str, Any] = {
            "description": case["description"],
            "contents": case["contents"],
            "metadata": {"contentType": JSON, **case["metadata"]},
        }
        if case["rules"]:
            message["matchingRules"] = case["rules"]
        messages.append(message)
    return {
        "consumer": {"name": "parity-listener"},
        "provider": {"name": "parity-provider"},
        "messages": messages,
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


def _provider() -> FastAPI:
    app = FastAPI()
    by_description = {case["description"]: case["actual"] for case in MESSAGE_CASES}

    @app.get("/case/{index}")
    async def case(index: int) -> Response:
        actual = HTTP_CASES[index]["actual"]
        headers = dict(actual["headers"])
        body = actual["body"]
        if isinstance(body, str):
            return Response(body, actual["status"], headers=headers)
        media = headers.pop("Content-Type", JSON)
        return Response(json.dumps(body), actual["status"], headers=headers, media_type=media)

    @app.post("/_pact/state")
    async def state() -> Response:
        return JSONResponse({})

    @app.post("/")
    async def message(request: Request) -> Response:
        asked = await request.json()
        contents, metadata = by_description[asked["description"]]
        encoded = base64.b64encode(json.dumps(metadata).encode()).decode()
        return JSONResponse(contents, headers={"Pact-Message-Metadata": encoded})

    return app


# Where the reference verifier and the specification disagree, accord follows the
# specification; each entry names the interaction and why (docs/compatibility.md, "Verifier").
KNOWN_DIFFERENCES: dict[str, str] = {}


@pytest.mark.skipif(not PACT_CLI.exists(), reason="pact-python-cli is not installed")
@pytest.mark.parametrize("kind", ["http", "message"])
def test_accord_and_the_reference_verifier_agree_on_every_interaction(
    tmp_path: Path, kind: str
) -> None:
    document = _http_pact() if kind == "http" else _message_pact()
    pact = tmp_path / f"{kind}.json"
    pact.write_text(json.dumps(document))
    with serve_app(_provider()) as server:
        reference = reference_verdicts(pact, server.url, tmp_path / f"{pact.stem}-reference.json")
        result = verify(
            files=[pact],
            provider_base_url=server.url,
            state_change_url=f"{server.url}/_pact/state",
            output=None,
            raise_on_failure=False,
        )
    ours = {r.description: r.success for r in result.interactions}
    assert set(ours) == set(reference), "both verifiers must verify the same interactions"
    assert any(ours.values()) and not all(ours.values()), "the corpus needs passes and failures"
    disagreements = {
        description: {"accord": ours[description], "pact verifier": reference[description]}
        for description in ours
        if ours[description] != reference[description] and description not in KNOWN_DIFFERENCES
    }
    assert not disagreements, json.dumps(disagreements, indent=2)
