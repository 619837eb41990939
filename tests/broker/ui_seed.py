"""A small bank of integrations for the UI and badge tests, made through the broker's own API.

* Web → Accounts: verified, then Web published changed content (status "changed");
* Web → Transfers: verification failed;
* Transfers → Accounts: never verified;
* production runs Web 1.0.0 and Accounts 2.0.0.
"""

from typing import Any

from accord.pact import content_sha
from tests.broker.conftest import RunningBroker, make_pact


def verify(
    broker: RunningBroker,
    consumer: str,
    provider: str,
    pact: dict[str, Any],
    provider_version: str,
    *,
    success: bool,
) -> None:
    path = (
        f"/pacts/provider/{provider}/consumer/{consumer}/pact-version/{content_sha(pact)}"
        "/verification-results"
    )
    body = {"providerApplicationVersion": provider_version, "success": success}
    response = broker.post(path, body)
    assert response.status_code == 201, response.text


def deploy(broker: RunningBroker, pacticipant: str, version: str, environment_uuid: str) -> None:
    path = f"/pacticipants/{pacticipant}/versions/{version}/deployed-versions/environment/"
    response = broker.post(path + environment_uuid, {})
    assert response.status_code == 201, response.text


def seed_bank(broker: RunningBroker) -> None:
    web_accounts = make_pact("Web", "Accounts", "a request for account 1")
    web_transfers = make_pact("Web", "Transfers", "a transfer of 10 EUR")
    transfers_accounts = make_pact("Transfers", "Accounts", "a debit of account 1")
    assert broker.publish("Web", "1.0.0", web_accounts, web_transfers, branch="main").ok
    assert broker.publish("Transfers", "3.0.0", transfers_accounts, branch="main").ok
    assert broker.put("/pacticipants/Accounts/branches/main/versions/2.0.0").ok
    verify(broker, "Web", "Accounts", web_accounts, "2.0.0", success=True)
    verify(broker, "Web", "Transfers", web_transfers, "3.0.0", success=False)
    changed = make_pact("Web", "Accounts", "a request for account 1", "a request for account 2")
    assert broker.publish("Web", "1.1.0", changed, branch="feat/x").ok
    created = broker.post("/environments", {"name": "production", "production": True})
    assert created.status_code == 201, created.text
    uuid = created.json()["uuid"]
    deploy(broker, "Web", "1.0.0", uuid)
    deploy(broker, "Accounts", "2.0.0", uuid)
