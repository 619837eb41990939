"""Generators on the pact model: ``generate_request``, ``generate_response``, ``generate_message``.

They return the part with generated values and the bytes to send, without writing pact JSON;
``apply_generators`` (pact JSON in, pact JSON out) runs the same implementation, which the
last tests pin by generating both ways from one seed.
"""

import json
import random
from typing import Any

from accord.matching import apply_generators
from accord.matching.generators import generate_message, generate_request, generate_response
from accord.pact import (
    AsynchronousMessage,
    SynchronousHttp,
    parse_pact,
    request_to_json,
    response_to_json,
)


def _http(request: dict[str, Any], response: dict[str, Any] | None = None) -> SynchronousHttp:
    pact = parse_pact(
        {
            "consumer": {"name": "c"},
            "provider": {"name": "p"},
            "interactions": [
                {
                    "type": "Synchronous/HTTP",
                    "description": "d",
                    "request": request,
                    "response": response or {"status": 200},
                }
            ],
            "metadata": {"pactSpecification": {"version": "4.0"}},
        }
    )
    interaction = pact.interactions[0]
    assert isinstance(interaction, SynchronousHttp)
    return interaction


def _json_body(value: Any) -> dict[str, Any]:
    return {"content": value, "contentType": "application/json", "encoded": False}


_GENERATED_REQUEST = {
    "method": "GET",
    "path": "/users/1",
    "query": {"page": ["1"], "sort": ["a", "b"]},
    "headers": {"X-Id": ["a"], "Content-Type": ["application/json"]},
    "body": _json_body({"id": 1, "name": "x", "items": [{"n": 1}, {"n": 2}]}),
    "generators": {
        "path": {"type": "ProviderState", "expression": "/users/${id}"},
        "header": {"x-id": {"type": "ProviderState", "expression": "${id}"}},
        "query": {"sort": {"type": "RandomString", "size": 4}},
        "body": {
            "$.id": {"type": "ProviderState", "expression": "${id}"},
            "$.items[*].n": {"type": "RandomInt", "min": 5, "max": 5},
        },
    },
}


def test_a_request_gets_its_values_and_the_bytes_of_its_new_body() -> None:
    request = _http(_GENERATED_REQUEST).request
    sent = generate_request(request, context={"id": 42})
    assert sent.path == "/users/42"
    assert sent.headers["X-Id"] == ("42",)  # the pact's own spelling of the name is kept
    assert [len(value or "") for value in sent.query["sort"]] == [4, 4]
    assert sent.query["page"] == ("1",)
    assert json.loads(sent.body.raw) == {"id": 42, "name": "x", "items": [{"n": 5}, {"n": 5}]}
    assert sent.body.value == json.loads(sent.body.raw)
    assert request.path == "/users/1"  # the model itself is never changed
    assert json.loads(request.body.raw)["id"] == 1


def test_without_generators_the_part_itself_comes_back() -> None:
    request = _http({"method": "GET", "path": "/a"}).request
    assert generate_request(request, context={}) is request


def test_an_unchanged_body_keeps_the_pacts_own_bytes_and_the_skip_is_told() -> None:
    raw = '{ "id" : 1 }'
    request = _http(
        {
            "method": "POST",
            "path": "/a",
            "headers": {"Content-Type": ["application/json"]},
            "body": {"content": raw, "contentType": "application/json", "encoded": "json"},
            "generators": {"body": {"$.id": {"type": "ProviderState", "expression": "${nope}"}}},
        }
    ).request
    heard: list[str] = []
    sent = generate_request(request, context={"id": 3}, on_skip=heard.append)
    assert sent.body is request.body
    assert len(heard) == 1 and heard[0].startswith("body $.id: the ProviderState generator")


def test_a_response_gets_a_status_and_the_mock_servers_url_in_consumer_mode() -> None:
    response = _http(
        {"method": "GET", "path": "/"},
        {
            "status": 200,
            "headers": {"Location": ["http://example/items/1"]},
            "generators": {
                "status": {"type": "RandomInt", "min": 201, "max": 201},
                "header": {
                    "Location": {
                        "type": "MockServerURL",
                        "example": "http://example/items/1",
                        "regex": "^.*(/items/\\d+)$",
                    }
                },
            },
        },
    ).response
    context = {"mockServer": {"href": "http://127.0.0.1:9/", "url": "http://127.0.0.1:9/"}}
    sent = generate_response(response, context=context)
    assert sent.status == 201
    assert sent.headers["Location"] == ("http://127.0.0.1:9/items/1",)
    in_provider_mode = generate_response(response, mode="provider", context=context)
    assert in_provider_mode.headers["Location"] == ("http://example/items/1",)


def test_a_message_gets_generated_contents_and_metadata() -> None:
    pact = parse_pact(
        {
            "consumer": {"name": "c"},
            "provider": {"name": "p"},
            "messages": [
                {
                    "description": "an event",
                    "contents": {"id": 1},
                    "metaData": {"contentType": "application/json", "key": "k"},
                    "generators": {
                        "body": {"$.id": {"type": "RandomInt", "min": 9, "max": 9}},
                        "metadata": {"key": {"type": "RandomHexadecimal", "digits": 6}},
                    },
                }
            ],
            "metadata": {"pactSpecification": {"version": "3.0.0"}},
        }
    )
    interaction = pact.interactions[0]
    assert isinstance(interaction, AsynchronousMessage)
    sent = generate_message(interaction.message)
    assert json.loads(sent.contents.raw) == {"id": 9}
    assert len(sent.metadata["key"]) == 6 and sent.metadata["key"] != "k"
    assert interaction.message.metadata["key"] == "k"


def test_the_model_and_the_json_entry_points_generate_the_same_values() -> None:
    interaction = _http(
        _GENERATED_REQUEST,
        {
            "status": 200,
            "body": _json_body({"token": "abc"}),
            "generators": {"body": {"$.token": {"type": "Uuid"}}},
        },
    )
    typed = generate_request(
        interaction.request, context={"id": 7}, mode="provider", rng=random.Random(5)
    )
    from_json = apply_generators(
        request_to_json(interaction.request),
        mode="provider",
        context={"id": 7},
        rng=random.Random(5),
    )
    assert typed.path == from_json["path"]
    assert {k: list(v) for k, v in typed.query.items()} == from_json["query"]
    assert {k: list(v) for k, v in typed.headers.items()} == from_json["headers"]
    assert typed.body.value == from_json["body"]
    response = generate_response(interaction.response, rng=random.Random(8))
    response_json = apply_generators(
        response_to_json(interaction.response), mode="consumer", rng=random.Random(8)
    )
    assert response.body.value == response_json["body"]
