"""request/response/message JSON: the shape the matching engine takes as ``expected``."""

from pathlib import Path
from typing import Any

import pytest

from accord.matching import match_message, match_request, match_response
from accord.pact import (
    AsynchronousMessage,
    SynchronousHttp,
    SynchronousMessages,
    interaction_to_json,
    load_pact,
    message_to_json,
    request_to_json,
    response_to_json,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pacts"


def test_a_v2_request_becomes_v4_layout_with_category_rules() -> None:
    fetch = load_pact(FIXTURES / "handwritten" / "v2-billing-invoices.json").interactions[0]
    assert isinstance(fetch, SynchronousHttp)
    request = request_to_json(fetch.request)
    assert request["method"] == "GET"
    assert request["path"] == "/invoices/7"
    assert request["query"] == {"expand": ["lines"], "x": ["=1"]}
    assert request["headers"] == {"Authorization": ["Bearer abc"]}
    assert "body" not in request
    assert set(request["matchingRules"]) == {"path", "header", "query"}
    assert request["matchingRules"]["path"]["matchers"][0]["match"] == "regex"


def test_a_response_body_is_plain_json_not_a_v4_body_object() -> None:
    pact = load_pact(FIXTURES / "pact_python" / "accord-web-accord-accounts.json")
    account = next(i for i in pact.interactions if i.key == "account-42")
    assert isinstance(account, SynchronousHttp)
    response = response_to_json(account.response)
    assert response["status"] == 200
    assert response["body"]["id"] == 42
    assert response["matchingRules"]["body"]["$.id"]["matchers"] == [{"match": "integer"}]


def test_a_text_body_is_its_string_and_a_binary_body_its_base64() -> None:
    pact = load_pact(FIXTURES / "pact_python" / "accord-web-accord-accounts.json")
    by_description = {i.description: i for i in pact.interactions}
    health = by_description["a health check"]
    avatar = by_description["an avatar image"]
    assert isinstance(health, SynchronousHttp)
    assert isinstance(avatar, SynchronousHttp)
    assert response_to_json(health.response)["body"] == "ok"
    assert response_to_json(avatar.response)["body"] == "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAY="


def test_null_empty_and_absent_bodies_in_the_matching_form() -> None:
    pact = load_pact(FIXTURES / "handwritten" / "v1-billing-invoices.json")
    deletion = pact.interactions[1]
    assert isinstance(deletion, SynchronousHttp)
    assert request_to_json(deletion.request)["body"] == ""
    assert response_to_json(deletion.response)["body"] is None
    listing = pact.interactions[0]
    assert isinstance(listing, SynchronousHttp)
    assert "body" not in request_to_json(listing.request)


def test_a_message_has_contents_metadata_rules_and_generators() -> None:
    pact = load_pact(FIXTURES / "handwritten" / "v3-message-mailer-orders.json")
    placed, cancelled = pact.interactions
    assert isinstance(placed, AsynchronousMessage)
    assert isinstance(cancelled, AsynchronousMessage)
    message = message_to_json(placed.message)
    assert set(message) == {"contents", "metadata", "matchingRules", "generators"}
    assert message["contents"] == {"orderId": "A-1", "total": 3}
    assert message["metadata"] == {"contentType": "application/json", "topic": "orders"}
    assert set(message["matchingRules"]) == {"body", "metadata"}
    assert message["generators"]["body"]["$.total"]["type"] == "RandomInt"
    plain = message_to_json(cancelled.message)
    assert plain["contents"] == "order A-1 was cancelled"
    assert plain["matchingRules"] == {}


def test_each_synchronous_message_part_renders_alone() -> None:
    pact = load_pact(FIXTURES / "handwritten" / "v4-billing-invoices.json")
    quote = pact.interactions[4]
    assert isinstance(quote, SynchronousMessages)
    assert message_to_json(quote.request)["contents"] == "quote A1"
    assert [message_to_json(r)["contents"] for r in quote.response] == [
        {"price": 9.5},
        {"price": 8.0},
    ]


def test_interaction_json_is_v4_with_its_type() -> None:
    pact = load_pact(FIXTURES / "handwritten" / "v3-message-mailer-orders.json")
    written = interaction_to_json(pact.interactions[0])
    assert written["type"] == "Asynchronous/Messages"
    assert written["contents"] == {
        "content": {"orderId": "A-1", "total": 3},
        "contentType": "application/json",
        "encoded": False,
    }
    assert written["providerStates"] == [{"name": "an order exists", "params": {"orderId": "A-1"}}]


def _example(expected: dict[str, Any]) -> dict[str, Any]:
    """The example itself, as an actual request/response/message: no rules, no generators."""
    return {k: v for k, v in expected.items() if k not in ("matchingRules", "generators")}


ALL_PACTS = sorted(p for p in FIXTURES.rglob("*.json") if p.name != "package.json")


@pytest.mark.parametrize("path", ALL_PACTS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_the_matching_engine_accepts_each_fixture_example_against_itself(path: Path) -> None:
    for interaction in load_pact(path).interactions:
        if isinstance(interaction, SynchronousHttp):
            request = request_to_json(interaction.request)
            response = response_to_json(interaction.response)
            assert match_request(request, _example(request)) == []
            assert match_response(response, _example(response)) == []
        elif isinstance(interaction, AsynchronousMessage):
            message = message_to_json(interaction.message)
            assert match_message(message, _example(message)) == []
        else:
            for part in (interaction.request, *interaction.response):
                message = message_to_json(part)
                assert match_message(message, _example(message)) == []
