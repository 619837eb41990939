"""A provider contract's comparisons fire the verification webhooks, as a verification does.

Each comparison recorded as a result, whether the publication made it or the background worker
did, queues ``provider_verification_published`` and ``provider_verification_succeeded`` or
``…_failed`` for the pair; a real HTTP receiver on loopback counts what arrives.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from accord_broker.db.webhook_models import TriggeredWebhook
from sqlalchemy import create_engine, func, select

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.test_provider_contracts import OPENAPI, PUBLISH, _body
from tests.broker.webhook_receiver import (
    WEBHOOK_SETTINGS,
    Receiver,
    running_receiver,
    webhook_body,
)

EVENTS = (
    "provider_verification_published",
    "provider_verification_succeeded",
    "provider_verification_failed",
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def _listen(broker: RunningBroker, receiver: Receiver) -> None:
    hook = webhook_body(receiver.url + "/hook", *EVENTS, provider={"name": "Accounts"})
    hook["request"]["body"] = {
        "event": "${pactbroker.eventName}",
        "consumer": "${pactbroker.consumerName}",
        "providerVersion": "${pactbroker.providerVersionNumber}",
        "status": "${pactbroker.githubVerificationStatus}",
        "result": "${pactbroker.verificationResultUrl}",
    }
    response = broker.post("/webhooks", hook)
    assert response.status_code == 201, response.text


def _publish_two_consumers(broker: RunningBroker) -> None:
    """Web reads ``name`` (which the document below no longer has); Mobile reads only ``id``."""
    broker.publish("Web", "1", make_pact("Web", "Accounts", "an account"))
    mobile = make_pact("Mobile", "Accounts", "an account id")
    mobile["interactions"][0]["response"]["body"]["content"] = {"id": 1}
    broker.publish("Mobile", "1", mobile)


RENAMED = OPENAPI.replace("name]", "title]").replace("name: {", "title: {")


def _events(received: list[Any]) -> set[tuple[str, str, str, str]]:
    found = set()
    for request in received:
        body = request.json()
        assert body["providerVersion"] == "2"
        assert "/verification-results/" in body["result"]
        found.add((body["event"], body["consumer"], body["status"], request.path))
    return found


EXPECTED = {
    ("provider_verification_published", "Web", "failure", "/hook"),
    ("provider_verification_failed", "Web", "failure", "/hook"),
    ("provider_verification_published", "Mobile", "success", "/hook"),
    ("provider_verification_succeeded", "Mobile", "success", "/hook"),
}


@pytest.mark.parametrize(
    "comparisons",
    [
        pytest.param({}, id="compared-in-the-publication"),
        pytest.param(
            {
                "provider_contract_comparisons_in_request": 0,
                "provider_contract_comparison_budget_ms": 0,
            },
            id="compared-by-the-background-worker",
        ),
    ],
)
def test_each_comparison_fires_the_verification_webhooks(
    database_url: str, receiver: Receiver, comparisons: dict[str, Any]
) -> None:
    with start_broker(database_url, **WEBHOOK_SETTINGS, **comparisons) as broker:
        _publish_two_consumers(broker)
        _listen(broker, receiver)

        assert broker.post(PUBLISH, _body(RENAMED)).status_code == 200

        received = receiver.wait_for(len(EXPECTED), timeout=60)
    assert receiver.count() == len(EXPECTED)
    assert _events(received) == EXPECTED


def test_a_republished_identical_contract_fires_nothing_new(
    database_url: str, receiver: Receiver
) -> None:
    with start_broker(database_url, **WEBHOOK_SETTINGS) as broker:
        _publish_two_consumers(broker)
        _listen(broker, receiver)
        assert broker.post(PUBLISH, _body(RENAMED)).status_code == 200
        receiver.wait_for(len(EXPECTED), timeout=60)

        assert broker.post(PUBLISH, _body(RENAMED)).status_code == 200  # same version, same text

    # Deliveries are queued in the publication's transaction: none was queued for the second.
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            queued = connection.scalar(select(func.count()).select_from(TriggeredWebhook))
    finally:
        engine.dispose()
    assert queued == len(EXPECTED)
