"""``ConsumerPact.verify_sync``: a synchronous message consumer is fed the request and responses."""

import json

import pytest

from accord.consumer import SyncMessage
from accord.consumer.contract import ConsumerPact
from accord.errors import ConsumerContractError


def a_quote_exchange() -> ConsumerPact:
    pact = ConsumerPact("web", "pricing")
    (
        pact.upon_receiving("a quote request", "Sync")
        .with_body(json.dumps({"sku": "A-1"}), "application/json")
        .with_metadata({"queue": "quotes"})
        .will_respond_with()
        .with_body(json.dumps({"price": 10}), "application/json")
        .with_generators({"body": {"$.price": {"type": "RandomInt", "min": 100, "max": 200}}})
        .with_body("<quote/>", "application/xml")
    )
    return pact


def test_the_handler_receives_the_request_and_every_response_with_generated_values() -> None:
    pact = a_quote_exchange()
    received: list[SyncMessage] = []

    pact.verify_sync(received.append)

    (message,) = received
    assert message.description == "a quote request"
    assert json.loads(str(message.request.contents)) == {"sku": "A-1"}
    assert message.request.metadata["queue"] == "quotes"
    assert [response.content_type for response in message.responses] == [
        "application/json",
        "application/xml",
    ]
    assert 100 <= int(json.loads(str(message.responses[0].contents))["price"]) <= 200
    assert message.responses[1].contents == "<quote/>"
    assert pact.unexercised_problems() == []


def test_a_handler_that_raises_fails_the_test_naming_the_message_and_the_error() -> None:
    pact = a_quote_exchange()

    def handler(message: SyncMessage) -> None:
        raise KeyError("currency")

    with pytest.raises(ConsumerContractError, match=r"'a quote request': KeyError\('currency'\)"):
        pact.verify_sync(handler)

    errors = pact.verify_sync(handler, raises=False)
    assert errors is not None
    assert [(error.description, type(error.error)) for error in errors] == [
        ("a quote request", KeyError)
    ]


def test_unverified_synchronous_messages_point_at_verify_sync() -> None:
    pact = a_quote_exchange()

    (problem,) = pact.unexercised_problems()

    assert "'a quote request'" in problem
    assert "pact.verify_sync(handler)" in problem
