"""Delivery: off the request path, retried with back-off, logged with secrets redacted,
resumed after a restart, and refused outside the allow-list."""

from collections.abc import Iterator
from typing import Any

import pytest
from accord_broker.domain.webhooks.policy import TargetPolicy, check_target, url_problems
from accord_broker.errors import WebhookTargetRefusedError

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.webhook_receiver import (
    WEBHOOK_SETTINGS,
    Receiver,
    running_receiver,
    webhook_body,
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def broker(database_url: str) -> Iterator[RunningBroker]:
    with start_broker(database_url, **WEBHOOK_SETTINGS) as running:
        yield running


def _status(broker: RunningBroker, until: str, timeout: float = 20.0) -> dict[str, Any]:
    """The pair's webhook status once its first triggered webhook reached ``until``."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        status = broker.get("/pacts/provider/Accounts/consumer/Web/webhooks/status").json()
        triggered = status["_embedded"]["triggeredWebhooks"]
        if triggered and triggered[0]["status"] == until:
            return status
        assert time.monotonic() < deadline, f"never reached {until}: {status}"
        time.sleep(0.05)


def _secret_hook(receiver: Receiver) -> dict[str, Any]:
    body = webhook_body(receiver.url + "/hook?token=query-secret", "contract_published")
    body["request"]["headers"] |= {"Authorization": "Bearer header-secret", "X-Api-Key": "k-9"}
    return body


def test_a_receiver_failing_twice_gets_the_delivery_on_the_third_attempt(
    broker: RunningBroker, receiver: Receiver
) -> None:
    broker.post("/webhooks", webhook_body(receiver.url + "/hook", "contract_published"))
    receiver.fail_next(500, 503)

    broker.publish("Web", "1", make_pact("Web", "Accounts"))

    assert len(receiver.wait_for(3)) == 3
    status = _status(broker, "success")
    triggered = status["_embedded"]["triggeredWebhooks"][0]
    assert status["summary"] == {"successful": 1, "failed": 0, "retrying": 0, "notRun": 0}
    assert triggered["attemptsMade"] == 3 and triggered["attemptsRemaining"] == 0
    assert triggered["eventName"] == "contract_published"
    assert triggered["triggerType"] == "resource_creation"
    logs = broker.get(triggered["_links"]["pb:logs"]["href"].removeprefix(broker.url))
    assert logs.headers["content-type"].startswith("text/plain")
    assert logs.text.count("HTTP/1.1 500") == 1 and logs.text.count("HTTP/1.1 503") == 1
    assert logs.text.count("HTTP/1.1 200") == 1
    assert receiver.count() == 3


def test_a_delivery_fails_for_good_when_the_schedule_is_exhausted(
    broker: RunningBroker, receiver: Receiver
) -> None:
    broker.post("/webhooks", webhook_body(receiver.url + "/hook", "contract_published"))
    receiver.fail_next(500, 500, 500)

    broker.publish("Web", "1", make_pact("Web", "Accounts"))

    status = _status(broker, "failure")
    triggered = status["_embedded"]["triggeredWebhooks"][0]
    assert status["summary"]["failed"] == 1
    assert triggered["attemptsMade"] == 3  # one attempt plus one per retry delay
    assert len(status["_links"]["pb:error-logs"]) == 1
    assert receiver.count() == 3


def test_secrets_are_redacted_in_logs_and_triggered_lists(
    broker: RunningBroker, receiver: Receiver
) -> None:
    body = _secret_hook(receiver)
    body["request"] |= {"username": "hookuser", "password": "hookpass"}
    broker.post("/webhooks", body)

    broker.publish("Web", "1", make_pact("Web", "Accounts"))

    sent = receiver.wait_for(1)[0]
    assert sent.headers["Authorization"] == "Bearer header-secret"  # the receiver gets it...
    status = _status(broker, "success")
    logs_href = status["_embedded"]["triggeredWebhooks"][0]["_links"]["pb:logs"]["href"]
    logs = broker.get(logs_href.removeprefix(broker.url)).text
    for secret in ("header-secret", "k-9", "query-secret", "hookpass"):
        assert secret not in logs  # ...the logs never show it
    assert "Authorization: **********" in logs
    triggered = broker.get("/pacts/provider/Accounts/consumer/Web/version/1/triggered-webhooks")
    assert triggered.json()["_embedded"]["triggeredWebhooks"][0]["status"] == "success"


def test_test_webhook_executes_now_with_the_latest_pact(
    broker: RunningBroker, receiver: Receiver
) -> None:
    broker.publish("Web", "7", make_pact("Web", "Accounts"))
    body = _secret_hook(receiver)
    body["request"]["body"] = {
        "event": "${pactbroker.eventName}",
        "v": "${pactbroker.consumerVersionNumber}",
    }
    webhook = broker.post("/webhooks/provider/Accounts/consumer/Web", body).json()

    result = broker.post(webhook["_links"]["pb:execute"]["href"].removeprefix(broker.url))

    assert result.status_code == 200
    executed = result.json()
    assert executed["success"] is True
    assert executed["response"]["status"] == 200
    assert executed["request"]["headers"]["Authorization"] == "**********"
    assert "header-secret" not in result.text
    assert receiver.wait_for(1)[0].json() == {"event": "test", "v": "7"}


def test_pending_deliveries_are_resumed_after_a_restart(
    database_url: str, receiver: Receiver
) -> None:
    hook = webhook_body(receiver.url + "/hook", "contract_published")
    hook["request"]["body"] = {"v": "${pactbroker.consumerVersionNumber}"}
    stopped = {**WEBHOOK_SETTINGS, "webhook_worker_enabled": False}
    with start_broker(database_url, **stopped) as first:
        first.post("/webhooks", hook)
        first.publish("Web", "1", make_pact("Web", "Accounts"))
        first.publish("Web", "2", make_pact("Web", "Accounts"))
        queued = first.get("/pacts/provider/Accounts/consumer/Web/webhooks/status").json()
    assert queued["summary"]["notRun"] == 1  # the latest per webhook and event
    assert receiver.count() == 0

    with start_broker(database_url, **WEBHOOK_SETTINGS):
        received = receiver.wait_for(2)

    assert sorted(r.json()["v"] for r in received) == ["1", "2"]
    assert receiver.count() == 2


def test_a_host_no_longer_allowed_is_refused_at_delivery(
    database_url: str, receiver: Receiver
) -> None:
    with start_broker(database_url, **WEBHOOK_SETTINGS) as allowed:
        allowed.post("/webhooks", webhook_body(receiver.url + "/hook", "contract_published"))
    narrowed = {**WEBHOOK_SETTINGS, "webhook_allowed_hosts": ["ci.example.com"]}
    with start_broker(database_url, **narrowed) as broker:
        broker.publish("Web", "1", make_pact("Web", "Accounts"))
        status = _status(broker, "failure")
        logs_href = status["_embedded"]["triggeredWebhooks"][0]["_links"]["pb:logs"]["href"]
        logs = broker.get(logs_href.removeprefix(broker.url)).text

    assert "not in the allowed hosts" in logs
    assert receiver.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/x",
        "http://[::ffff:169.254.169.254]/x",
        "http://0.0.0.0/x",
        "http://100.100.100.200/x",
    ],
)
def test_metadata_and_link_local_addresses_are_never_allowed(url: str) -> None:
    everything = TargetPolicy(hosts=("/.*/", "0.0.0.0/0", "::/0"), schemes=("http",))

    assert url_problems(everything, url)
    with pytest.raises(WebhookTargetRefusedError):
        check_target(everything, "POST", url)


@pytest.mark.parametrize(
    ("pattern", "host", "allowed"),
    [
        ("ci.example.com", "ci.example.com", True),
        ("ci.example.com", "evil.com", False),
        ("*.example.com", "ci.example.com", True),
        ("*.example.com", "a.ci.example.com", False),
        ("*.example.com", "example.com", False),
        ("10.0.0.0/8", "10.1.2.3", True),
        ("10.0.0.0/8", "11.1.2.3", False),
        ("127.0.0.1", "127.0.0.1", True),
        ("/\\.corp\\.net$/", "ci.corp.net", True),
        ("/\\.corp\\.net$/", "ci.corp.net.evil.com", False),
    ],
)
def test_host_patterns(pattern: str, host: str, allowed: bool) -> None:
    assert TargetPolicy(hosts=(pattern,)).allows_host(host) is allowed


def test_nothing_is_allowed_by_default() -> None:
    problems = url_problems(TargetPolicy(hosts=()), "https://ci.example.com/hook")

    assert problems and "ACCORD_BROKER_WEBHOOK_ALLOWED_HOSTS" in problems[0]
