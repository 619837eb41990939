"""The verifier against accord's own broker (a real app on uvicorn, SQLite underneath)."""

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from verifier_providers import get_account_interaction, pact_document

from accord.testing import ServerHandle, serve_app
from accord.verifier import verify

accord_broker = pytest.importorskip("accord_broker")


@pytest.fixture
def real_broker(tmp_path: Path) -> Iterator[ServerHandle]:
    settings = accord_broker.Settings(database_url=f"sqlite:///{tmp_path / 'broker.db'}")
    with serve_app(accord_broker.create_app(settings)) as server:
        yield server


def _publish(broker: ServerHandle, document: dict[str, Any], version: str) -> None:
    body = {
        "pacticipantName": document["consumer"]["name"],
        "pacticipantVersionNumber": version,
        "branch": "main",
        "contracts": [
            {
                "consumerName": document["consumer"]["name"],
                "providerName": document["provider"]["name"],
                "specification": "pact",
                "contentType": "application/json",
                "content": base64.b64encode(json.dumps(document).encode()).decode(),
            }
        ],
    }
    answer = requests.post(f"{broker.url}/contracts/publish", json=body, timeout=30)
    assert answer.status_code in (200, 201), answer.text


def test_results_published_for_a_pact_url_reach_our_broker(real_broker, serve_accounts) -> None:
    provider, _ = serve_accounts("wrong-type")
    _publish(real_broker, pact_document([get_account_interaction()]), "1.0.0")
    pact_url = f"{real_broker.url}/pacts/provider/accounts/consumer/web/version/1.0.0"
    result = verify(
        urls=[pact_url],
        provider_base_url=provider.url,
        state_change_url=f"{provider.url}/_pact/state",
        publish=True,
        provider_version="7.0.0",
        provider_branch="main",
        output=None,
        raise_on_failure=False,
    )
    assert [p.published for p in result.publications] == [True], result.publications
    pact = requests.get(pact_url, timeout=30).json()
    latest = pact["_links"]["pb:latest-verification-results"]["href"]
    stored = requests.get(latest, timeout=30).json()
    assert stored["success"] is False
    assert stored["providerApplicationVersion"] == "7.0.0"
    [test_result] = stored["testResults"]
    assert test_result["success"] is False
    assert test_result["interactionId"]  # the broker's ``_id`` travelled back
    assert test_result["mismatches"][0]["attribute"] == "body"


def test_pacts_for_verification_come_from_our_broker(real_broker, serve_accounts) -> None:
    provider, _ = serve_accounts()
    _publish(real_broker, pact_document([get_account_interaction()]), "1.0.0")
    result = verify(
        broker_url=real_broker.url,
        provider_name="accounts",
        provider_base_url=provider.url,
        state_change_url=f"{provider.url}/_pact/state",
        consumer_version_selectors=[{"mainBranch": True}],
        enable_pending=True,
        publish=True,
        provider_version="7.0.0",
        output=None,
    )
    assert [p.consumer for p in result.pacts] == ["web"]
    assert result.pacts[0].pending  # never verified before, and pending status was asked for
    assert result.publications[0].published
    again = verify(
        broker_url=real_broker.url,
        provider_name="accounts",
        provider_base_url=provider.url,
        state_change_url=f"{provider.url}/_pact/state",
        consumer_version_selectors=[{"mainBranch": True}],
        enable_pending=True,
        output=None,
    )
    assert not again.pacts[0].pending  # the published success took it out of pending
