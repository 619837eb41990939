"""The engine takes the pact model and typed actual values, and agrees with its JSON form."""

import json
from typing import Any

import pytest

from accord.matching import (
    ActualMessage,
    ActualRequest,
    ActualResponse,
    match_message,
    match_request,
    match_response,
)
from accord.pact import (
    AsynchronousMessage,
    SynchronousHttp,
    message_to_json,
    parse_pact,
    request_to_json,
    response_to_json,
)

_RULES = {"body": {"$.id": {"matchers": [{"match": "integer"}]}}}


def _http(request: dict[str, Any], response: dict[str, Any]) -> SynchronousHttp:
    pact = parse_pact(
        {
            "consumer": {"name": "web"},
            "provider": {"name": "accounts"},
            "interactions": [
                {
                    "type": "Synchronous/HTTP",
                    "description": "an account",
                    "request": request,
                    "response": response,
                }
            ],
            "metadata": {"pactSpecification": {"version": "4.0"}},
        }
    )
    (interaction,) = pact.interactions
    assert isinstance(interaction, SynchronousHttp)
    return interaction


def _message(message: dict[str, Any]) -> AsynchronousMessage:
    pact = parse_pact(
        {
            "consumer": {"name": "notifications"},
            "provider": {"name": "transfers"},
            "interactions": [
                {"type": "Asynchronous/Messages", "description": "transfer done", **message}
            ],
            "metadata": {"pactSpecification": {"version": "4.0"}},
        }
    )
    (interaction,) = pact.interactions
    assert isinstance(interaction, AsynchronousMessage)
    return interaction


_ACCOUNT = _http(
    {"method": "POST", "path": "/accounts", "query": {"page": ["2"]}, "body": {"id": 1}},
    {
        "status": 200,
        "headers": {"Content-Type": ["application/json"]},
        "body": {"content": {"id": 1, "name": "Ann"}, "contentType": "application/json"},
        "matchingRules": _RULES,
    },
)
_JSON = {"Content-Type": "application/json"}


def test_a_response_matches_the_bytes_a_provider_sent() -> None:
    seen = ActualResponse(200, _JSON, b'{"id": 42, "name": "Ann"}')
    assert match_response(_ACCOUNT.response, seen) == []


def test_a_response_names_each_difference_from_the_bytes_sent() -> None:
    seen = ActualResponse(201, _JSON, b'{"id": "42", "name": "Bob"}')
    found = {(m.kind, m.path) for m in match_response(_ACCOUNT.response, seen)}
    assert found == {("status", "$.status"), ("body", "$.body.id"), ("body", "$.body.name")}


def test_a_response_without_the_expected_body_is_a_mismatch() -> None:
    [mismatch] = match_response(_ACCOUNT.response, ActualResponse(200, _JSON, b""))
    assert (mismatch.kind, mismatch.path) == ("body", "$.body")


def test_a_request_matches_as_sent() -> None:
    sent = ActualRequest("post", "/accounts", {"page": ["2"]}, _JSON, b'{"id": 1}')
    assert match_request(_ACCOUNT.request, sent) == []
    wrong = ActualRequest("POST", "/accounts", {"page": ["3"]}, _JSON, b'{"id": 1, "x": 2}')
    kinds = sorted(m.kind for m in match_request(_ACCOUNT.request, wrong))
    assert kinds == ["body", "query"]


def test_the_model_and_its_json_give_the_same_mismatches() -> None:
    seen = ActualResponse(200, _JSON, b'{"id": "7", "name": "Ann", "extra": true}')
    actual_json = {"status": 200, "headers": _JSON, "body": json.loads(seen.body or b"")}
    from_model = match_response(_ACCOUNT.response, seen)
    from_json = match_response(response_to_json(_ACCOUNT.response), actual_json)
    assert from_model == from_json != []
    request_json = request_to_json(_ACCOUNT.request)
    assert match_request(_ACCOUNT.request, request_json) == match_request(
        request_json, request_json
    )


def test_a_message_matches_what_its_producer_made() -> None:
    done = _message(
        {
            "contents": {"content": {"id": 1}, "contentType": "application/json"},
            "metadata": {"topic": "transfers"},
            "matchingRules": _RULES,
        }
    )
    produced = ActualMessage({"id": 99}, {"topic": "transfers"}, "application/json")
    assert match_message(done.message, produced) == []
    as_bytes = ActualMessage(b'{"id": "x"}', {"topic": "other"}, "application/json")
    found = {(m.kind, m.path) for m in match_message(done.message, as_bytes)}
    assert found == {("body", "$.body.id"), ("metadata", "$.metadata.topic")}
    assert match_message(message_to_json(done.message), produced) == []


def test_a_binary_message_is_compared_as_bytes() -> None:
    raw = bytes(range(250, 256)) + b"\x00\x01"
    done = _message(
        {
            "contents": {
                "content": "+vv8/f7/AAE=",
                "contentType": "application/octet-stream",
                "encoded": "base64",
            }
        }
    )
    assert match_message(done.message, ActualMessage(raw, {}, "application/octet-stream")) == []
    assert match_message(done.message, ActualMessage(raw[:-1], {}, "application/octet-stream"))


def test_anything_else_is_refused_with_what_is_accepted() -> None:
    with pytest.raises(TypeError, match=r"accord.pact.HttpResponse or a pact-JSON object"):
        match_response("200 OK", ActualResponse(200))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"accord.matching.ActualRequest or a pact-JSON object"):
        match_request(_ACCOUNT.request, "GET /")  # type: ignore[arg-type]
