"""Webhooks made with `pact broker create-webhook` fire once per event, on one broker process
or on `accord broker serve --workers 2` (where only the leader's webhook worker delivers and
the queue's claims keep each delivery with one sender).

A real receiver on 127.0.0.1 counts what arrives; the test waits until the broker reports
every triggered webhook delivered, then compares the calls with the events one by one, so a
second delivery of any event fails it.
"""

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.broker.conftest import RunningBroker, make_pact
from tests.broker.webhook_receiver import Receiver, running_receiver
from tests.interop.test_broker_cli_publish import pact_cli

pytestmark = pytest.mark.interop

CONSUMERS = ("Web", "Mobile", "Kiosk")
VERSIONS = ("1", "2")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def _ok(result: object) -> None:
    output = f"{getattr(result, 'stdout', '')}{getattr(result, 'stderr', '')}"
    assert getattr(result, "returncode", None) == 0, output


def _pacts(directory: Path, version: str) -> Path:
    """One pact per consumer with the Accounts provider, different for each version."""
    directory.mkdir(parents=True)
    for consumer in CONSUMERS:
        pact = make_pact(consumer, "Accounts", f"get account (version {version})")
        (directory / f"{consumer}-Accounts.json").write_text(json.dumps(pact))
    return directory


def _triggered(broker: RunningBroker, consumer: str, version: str) -> list[dict[str, object]]:
    path = f"/pacts/provider/Accounts/consumer/{consumer}/version/{version}/triggered-webhooks"
    answer = broker.get(path)
    assert answer.status_code == 200, answer.text
    found: list[dict[str, object]] = answer.json()["_embedded"]["triggeredWebhooks"]
    return found


def test_each_publication_fires_the_webhook_exactly_once(
    broker: RunningBroker, receiver: Receiver, tmp_path: Path
) -> None:
    body = {
        "consumer": "${pactbroker.consumerName}",
        "version": "${pactbroker.consumerVersionNumber}",
    }
    _ok(pact_cli("create-or-update-pacticipant", "--name", "Accounts", broker_url=broker.url))
    _ok(
        pact_cli(
            "create-webhook",
            receiver.url + "/hook",
            "--request", "POST",
            "--header", "Content-Type: application/json",
            "--data", json.dumps(body),
            "--provider", "Accounts",
            "--contract-published",
            "--description", "count publications",
            broker_url=broker.url,
        )
    )  # fmt: skip

    for version in VERSIONS:
        pacts = _pacts(tmp_path / version, version)
        _ok(
            pact_cli(
                "publish", str(pacts), "-a", version, "--branch", "main", broker_url=broker.url
            )
        )

    events = {(consumer, version) for consumer in CONSUMERS for version in VERSIONS}
    receiver.wait_for(len(events), timeout=60)
    deadline = time.monotonic() + 60
    while True:
        states = {event: _triggered(broker, *event) for event in events}
        if all(s and all(t["status"] == "success" for t in s) for s in states.values()):
            break
        assert time.monotonic() < deadline, states
        time.sleep(0.1)

    calls = sorted((r.json()["consumer"], r.json()["version"]) for r in receiver.received)
    assert calls == sorted(events)  # each event once: a duplicate delivery shows up here
    assert all(len(s) == 1 and s[0]["attemptsMade"] == 1 for s in states.values()), states
