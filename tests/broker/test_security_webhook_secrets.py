"""Security finding 4 (issue #20): webhook secrets are never shown, to any reader.

A ``?token=`` in a webhook URL, or a token in its body (where GitLab's pipeline trigger wants
it), appeared in ``GET /webhooks/{uuid}``, in the execute answer and in execution logs, to
read-only users too. Now whatever looks like a credential (URL query values and user-info,
secret-named headers, secret-named JSON keys or form fields) is ``**********`` in every answer,
and a definition can refer to a broker-side secret as ``${user.NAME}`` instead of holding it.
"""

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from accord_broker import Settings

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.webhook_receiver import WEBHOOK_SETTINGS, Receiver, running_receiver

AUTH = {
    "basic_auth_username": "writer",
    "basic_auth_password": "writer-pass",
    "basic_auth_read_only_username": "reader",
    "basic_auth_read_only_password": "reader-pass",
}
LITERAL_SECRETS = ("url-secret-1", "body-secret-2", "body-secret-3", "hdr-secret-4", "ui-pw-5")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def _logs(broker: RunningBroker, auth: tuple[str, str]) -> str:
    """The execution logs of the pair's first delivery, once it has been attempted."""
    deadline = time.monotonic() + 20
    path = "/pacts/provider/Accounts/consumer/Web/webhooks/status"
    while True:
        status = broker.get(path, auth=auth).json()
        triggered = status["_embedded"]["triggeredWebhooks"]
        if triggered and triggered[0]["attemptsMade"] >= 1:
            href = triggered[0]["_links"]["pb:logs"]["href"]
            return broker.get(href.removeprefix(broker.url), auth=auth).text
        assert time.monotonic() < deadline, f"no attempt was made: {status}"
        time.sleep(0.05)


def _gitlab_hook(url: str, body: Any) -> dict[str, Any]:
    return {
        "events": [{"name": "contract_published"}],
        "provider": {"name": "Accounts"},
        "consumer": {"name": "Web"},
        "request": {
            "method": "POST",
            "url": url,
            "headers": {"Content-Type": "application/json", "X-Gitlab-Token": "hdr-secret-4"},
            "body": body,
        },
    }


def test_literal_credentials_are_hidden_from_readers_and_writers(
    database_url: str, receiver: Receiver
) -> None:
    with start_broker(database_url, **AUTH, **WEBHOOK_SETTINGS) as broker:
        broker.publish("Web", "1", make_pact("Web", "Accounts"))
        host = receiver.url.removeprefix("http://")
        url = f"http://hook:ui-pw-5@{host}/trigger/pipeline?token=url-secret-1&ref=main"
        body = {"token": "body-secret-2", "ref": "main", "variables": {"password": "body-secret-3"}}
        created = broker.post("/webhooks", _gitlab_hook(url, body))
        assert created.status_code == 201, created.text
        uuid = created.json()["uuid"]
        reader = ("reader", "reader-pass")

        answers = [
            created.text,
            broker.get(f"/webhooks/{uuid}", auth=reader).text,
            broker.get(f"/webhooks/{uuid}").text,
            broker.get("/webhooks", auth=reader).text,
            broker.post(f"/webhooks/{uuid}/execute").text,
        ]
        broker.publish("Web", "2", make_pact("Web", "Accounts", "another request"))
        answers.append(_logs(broker, reader))

        shown = broker.get(f"/webhooks/{uuid}", auth=reader).json()["request"]
        assert shown["url"].endswith("?token=**********&ref=main")
        assert shown["body"] == {
            "token": "**********",
            "ref": "main",
            "variables": {"password": "**********"},
        }
        for answer in answers:
            for secret in LITERAL_SECRETS:
                assert secret not in answer, f"{secret} shown in {answer[:300]}"
        sent = receiver.wait_for(1)[0]  # the receiver still gets the real values
        assert sent.query["token"] == ["url-secret-1"]
        assert sent.json()["token"] == "body-secret-2"


def test_broker_side_secrets_are_filled_in_only_when_sent(
    database_url: str, receiver: Receiver
) -> None:
    secrets = {"GITLAB_TOKEN": "glptt-real-value"}
    with start_broker(database_url, webhook_secrets=secrets, **WEBHOOK_SETTINGS) as broker:
        broker.publish("Web", "1", make_pact("Web", "Accounts"))
        url = receiver.url + "/trigger?token=${user.GITLAB_TOKEN}"
        body = {"token": "${user.GITLAB_TOKEN}", "ref": "${pactbroker.consumerVersionBranch}"}
        created = broker.post("/webhooks", _gitlab_hook(url, body)).json()

        executed = broker.post(f"/webhooks/{created['uuid']}/execute")
        shown = broker.get(f"/webhooks/{created['uuid']}").json()["request"]
        broker.publish("Web", "2", make_pact("Web", "Accounts", "another request"))
        logs = _logs(broker, ("x", "y"))

    assert executed.json()["success"] is True, executed.text
    assert shown["body"]["token"] == "${user.GITLAB_TOKEN}"
    assert shown["url"].endswith("?token=${user.GITLAB_TOKEN}")
    sent = receiver.wait_for(2)
    assert [r.json()["token"] for r in sent] == ["glptt-real-value"] * 2
    assert [r.query["token"] for r in sent] == [["glptt-real-value"]] * 2
    for answer in (executed.text, logs):
        assert "glptt-real-value" not in answer
    assert "${user.GITLAB_TOKEN}" in executed.json()["request"]["body"]


def test_a_missing_broker_side_secret_fails_the_delivery_and_says_how_to_fix_it(
    tmp_path: Any, receiver: Receiver
) -> None:
    with start_broker(f"sqlite:///{tmp_path}/b.sqlite", **WEBHOOK_SETTINGS) as broker:
        broker.publish("Web", "1", make_pact("Web", "Accounts"))
        url = receiver.url + "/trigger?token=${user.MISSING}"
        created = broker.post("/webhooks", _gitlab_hook(url, {"ref": "main"})).json()

        executed = broker.post(f"/webhooks/{created['uuid']}/execute").json()

    assert executed["success"] is False
    assert "ACCORD_BROKER_WEBHOOK_SECRET_MISSING" in executed["logs"]
    assert receiver.count() == 0


def test_secrets_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_BROKER_WEBHOOK_SECRET_GITLAB_TOKEN", "from-env")

    settings = Settings()

    assert settings.webhook_secrets["GITLAB_TOKEN"].get_secret_value() == "from-env"
    assert "from-env" not in repr(settings)


def test_nothing_is_shown_even_when_the_receiver_echoes_the_request(
    tmp_path: Any, receiver: Receiver
) -> None:
    with start_broker(f"sqlite:///{tmp_path}/b.sqlite", **WEBHOOK_SETTINGS) as broker:
        broker.publish("Web", "1", make_pact("Web", "Accounts"))
        hook = _gitlab_hook(receiver.url + "/echo?api_key=url-secret-1", {"token": "body-secret-2"})
        created = broker.post("/webhooks", hook).json()
        receiver.echo = True

        executed = requests.post(
            f"{broker.url}/webhooks/{created['uuid']}/execute",
            headers={"Content-Type": "application/json"},
            timeout=30,
        )

    assert executed.json()["success"] is True
    assert "url-secret-1" not in executed.text
    assert "body-secret-2" not in executed.text
