"""Security finding 5 (issue #20): header injection is refused, and deliveries are isolated.

A webhook header value with a bare CR was accepted; executing it raised inside the worker, which
aborted the batch, so well-formed deliveries queued behind it never went out. Now CR, LF and NUL
in header names and values are refused when a webhook is stored (400 naming the header), and a
delivery that cannot be sent fails alone.
"""

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.webhook_receiver import (
    WEBHOOK_SETTINGS,
    Receiver,
    running_receiver,
    webhook_body,
)

INJECTIONS = [
    ({"X-Build": "1\rX-Injected: yes"}, "X-Build"),
    ({"X-Build": "1\nX-Injected: yes"}, "X-Build"),
    ({"X-Build": "1\x00"}, "X-Build"),
    ({"X-Bad\r\nName": "1"}, "X-Bad\r\nName"),
    ({"X Spaced": "1"}, "X Spaced"),
]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def broker(database_url: str) -> Iterator[RunningBroker]:
    with start_broker(database_url, **WEBHOOK_SETTINGS) as running:
        yield running


def test_line_breaks_in_headers_are_refused_naming_the_header(
    broker: RunningBroker, receiver: Receiver
) -> None:
    good = broker.put("/webhooks/a-well-formed-webhook", webhook_body(receiver.url + "/hook"))
    assert good.status_code == 201, good.text

    for headers, name in INJECTIONS:
        body = webhook_body(receiver.url + "/hook")
        body["request"]["headers"] = headers
        created = broker.post("/webhooks", body)
        updated = broker.put("/webhooks/a-well-formed-webhook", body)

        for answer in (created, updated):
            assert answer.status_code == 400, (headers, answer.text)
            assert f"request.headers.{name}" in answer.json()["errors"], answer.text
    assert broker.get("/webhooks").json()["_links"]["pb:webhooks"][0]["name"] == "notify CI"
    assert "X-Injected" not in broker.get("/webhooks/a-well-formed-webhook").text


def _corrupt(database_url: str, uuid: str, headers: dict[str, str]) -> None:
    """Store headers the API now refuses, as an older broker could have."""
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE webhooks SET headers = :headers WHERE uuid = :uuid"),
                {"headers": json.dumps(headers), "uuid": uuid},
            )
    finally:
        engine.dispose()


def _statuses(broker: RunningBroker, until: int) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while True:
        status = broker.get("/pacts/provider/Accounts/consumer/Web/webhooks/status").json()
        attempted = [t for t in status["_embedded"]["triggeredWebhooks"] if t["attemptsMade"]]
        if len(attempted) >= until:
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.05)


def test_a_bad_delivery_queued_first_does_not_stop_the_good_one(
    broker: RunningBroker, receiver: Receiver
) -> None:
    bad = webhook_body(receiver.url + "/bad", "contract_published")
    broker.put("/webhooks/the-bad-webhook-000", bad)
    broker.put(
        "/webhooks/the-good-webhook-00", webhook_body(receiver.url + "/good", "contract_published")
    )
    _corrupt(broker.database_url, "the-bad-webhook-000", {"X-Build": "1\rX-Injected: yes"})

    broker.publish("Web", "1", make_pact("Web", "Accounts"))

    arrived = receiver.wait_for(1)
    assert [r.path for r in arrived] == ["/good"]
    status = _statuses(broker, until=2)
    by_path = {
        t["_links"]["pb:webhook"]["href"].rsplit("/", 1)[-1]: t
        for t in status["_embedded"]["triggeredWebhooks"]
    }
    assert by_path["the-good-webhook-00"]["status"] == "success"
    assert by_path["the-bad-webhook-000"]["status"] in ("retrying", "failure")
    logs_href = by_path["the-bad-webhook-000"]["_links"]["pb:logs"]["href"]
    logs = broker.get(logs_href.removeprefix(broker.url)).text
    assert "Error executing webhook: ValueError: Invalid header value" in logs
    assert all("X-Injected" not in r.headers for r in receiver.received)
