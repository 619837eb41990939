"""The bank of ``ui_seed`` plus what the team pages show (issue #22 §4), made through the API:

* labels: Web is ``team-web``, Accounts and Transfers are ``team-core``;
* a failed verification of Web 1.1.0's pact by Accounts 2.1.0 with per-interaction results (a
  mismatch with expected and actual values, a body diff) and a build URL;
* staging: Web 1.0.0 deployed then replaced by 1.1.0 (history), Accounts 2.0.0 released;
* a webhook with secrets (an Authorization header, a token in its URL) that delivered to a
  local receiver once.
"""

import time
from typing import Any

from accord.pact import content_sha
from tests.broker.conftest import RunningBroker, make_pact
from tests.broker.ui_seed import deploy, seed_bank
from tests.broker.webhook_receiver import Receiver

SECRET = "s3cr3t-t0ken-value"
FAILED_RESULTS: list[dict[str, Any]] = [
    {
        "interactionId": "a1",
        "interactionDescription": "a request for account 1",
        "success": True,
    },
    {
        "interactionId": "a2",
        "interactionDescription": "a request for account 2",
        "success": False,
        "mismatches": [
            {
                "attribute": "body",
                "identifier": "$.name",
                "description": "Expected 'a request for account 2' but received 'Ada'",
                "expected": "a request for account 2",
                "actual": "Ada",
            },
            {
                "attribute": "status",
                "identifier": "",
                "description": "expected status 200 but was 404",
                "expected": 200,
                "actual": 404,
            },
        ],
        "diff": '--- expected body\n+++ actual body\n-  "name": "a request for account 2"\n'
        '+  "name": "Ada"',
    },
]


def _environment(broker: RunningBroker, name: str, production: bool) -> str:
    created = broker.post("/environments", {"name": name, "production": production})
    assert created.status_code == 201, created.text
    return str(created.json()["uuid"])


def publish_failed_verification(broker: RunningBroker) -> str:
    """Accounts 2.1.0 fails Web 1.1.0's pact; returns the result's URL path."""
    changed = make_pact("Web", "Accounts", "a request for account 1", "a request for account 2")
    path = (
        f"/pacts/provider/Accounts/consumer/Web/pact-version/{content_sha(changed)}"
        "/verification-results"
    )
    assert broker.put("/pacticipants/Accounts/branches/main/versions/2.1.0").ok
    body = {
        "providerApplicationVersion": "2.1.0",
        "success": False,
        "buildUrl": "https://ci.example.com/accounts/builds/42",
        "testResults": FAILED_RESULTS,
        "verifiedBy": {"implementation": "accord", "version": "1.0"},
    }
    response = broker.post(path, body)
    assert response.status_code == 201, response.text
    return str(response.json()["_links"]["self"]["href"]).removeprefix(broker.url)


def seed_team_pages(broker: RunningBroker, receiver: Receiver | None = None) -> dict[str, str]:
    """The seeded bank plus the team pages' data; returns paths the tests open."""
    seed_bank(broker)
    for name, label in (("Web", "team-web"), ("Accounts", "team-core"), ("Transfers", "team-core")):
        assert broker.put(f"/pacticipants/{name}/labels/{label}").ok
    result = publish_failed_verification(broker)
    staging = _environment(broker, "staging", production=False)
    deploy(broker, "Web", "1.0.0", staging)
    deploy(broker, "Web", "1.1.0", staging)
    released = broker.post(
        f"/pacticipants/Accounts/versions/2.0.0/released-versions/environment/{staging}", {}
    )
    assert released.status_code == 201, released.text
    paths = {"verification": result}
    if receiver is not None:
        paths["webhook"] = _webhook(broker, receiver)
    return paths


def _webhook(broker: RunningBroker, receiver: Receiver) -> str:
    body = {
        "description": "tell CI about Web's pacts",
        "events": [{"name": "contract_published"}],
        "request": {
            "method": "POST",
            "url": f"{receiver.url}/hooks?token={SECRET}",
            "headers": {"Content-Type": "application/json", "Authorization": f"Bearer {SECRET}"},
            "body": {"pact": "${pactbroker.pactUrl}", "apiKey": SECRET},
        },
    }
    created = broker.post("/webhooks/provider/Accounts/consumer/Web", body)
    assert created.status_code == 201, created.text
    uuid = str(created.json()["uuid"])
    pact = make_pact("Web", "Accounts", "a request for account 3")
    assert broker.publish("Web", "1.2.0", pact, branch="feat/y").ok
    receiver.wait_for(1)
    _wait_for_execution(broker, uuid)
    return f"/ui/webhooks/{uuid}"


def _wait_for_execution(broker: RunningBroker, uuid: str, timeout: float = 20.0) -> None:
    """Until the delivery's execution is stored (the receiver answers before the worker writes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if 'class="execution"' in broker.get(f"/ui/webhooks/{uuid}").text:
            return
        time.sleep(0.05)
    raise AssertionError(f"webhook {uuid}'s execution was not recorded within {timeout}s")
