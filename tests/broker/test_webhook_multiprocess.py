"""Two broker processes on one database deliver each triggered webhook exactly once."""

import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from accord_broker.db import migrate

from accord.testing import free_port, start_process
from tests.broker.conftest import RunningBroker, make_pact
from tests.broker.webhook_receiver import Receiver, running_receiver, webhook_body

EVENTS = 24
ENV = {
    "ACCORD_BROKER_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    "ACCORD_BROKER_WEBHOOK_ALLOWED_SCHEMES": "http",
    "ACCORD_BROKER_WEBHOOK_RETRY_SCHEDULE": "0.2,0.4",
    "ACCORD_BROKER_WEBHOOK_POLL_INTERVAL_SECONDS": "0.02",
}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def _triggered(broker: RunningBroker, version: str) -> list[dict[str, object]]:
    path = f"/pacts/provider/Accounts/consumer/Web/version/{version}/triggered-webhooks"
    found: list[dict[str, object]] = broker.get(path).json()["_embedded"]["triggeredWebhooks"]
    return found


def test_two_brokers_on_one_database_deliver_each_event_exactly_once(
    database_url: str, receiver: Receiver
) -> None:
    migrate(database_url)
    with ExitStack() as stack:
        brokers = []
        for _ in range(2):
            port = free_port()
            argv = [sys.executable, "-m", "accord_broker", "--port", str(port)]
            server = stack.enter_context(
                start_process([*argv, "--database-url", database_url], port=port, env=ENV)
            )
            brokers.append(RunningBroker(url=server.url, database_url=database_url))
        hook = webhook_body(receiver.url + "/hook", "contract_published")
        hook["request"]["body"] = {"v": "${pactbroker.consumerVersionNumber}"}
        assert brokers[0].post("/webhooks", hook).status_code == 201

        for n in range(EVENTS):
            response = brokers[n % 2].publish("Web", str(n), make_pact("Web", "Accounts"))
            assert response.status_code == 200

        received = receiver.wait_for(EVENTS, timeout=60)
        deadline = time.monotonic() + 30
        while True:
            states = [_triggered(brokers[n % 2], str(n)) for n in range(EVENTS)]
            if all(s and s[0]["status"] == "success" for s in states):
                break
            assert time.monotonic() < deadline, states
            time.sleep(0.1)

    assert sorted(int(r.json()["v"]) for r in received) == list(range(EVENTS))
    assert receiver.count() == EVENTS
    assert all(len(s) == 1 and s[0]["attemptsMade"] == 1 for s in states)
