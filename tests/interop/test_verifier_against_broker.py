"""The official verifiers fetch pacts for verification from our broker and publish results to it.

``pact verifier`` (the Rust CLI) and pact-python's ``Verifier`` run against a real FastAPI
provider on uvicorn. The assertions read the broker's state afterwards: the CLI exits 0 even when
publishing a result failed (clients.md trap 2).
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from accord.pact import content_sha
from accord.testing import ServerHandle, serve_app
from tests.broker.conftest import RunningBroker
from tests.broker.test_for_verification_support import (
    for_verification,
    stored_verifications,
)

pytestmark = pytest.mark.interop

PACT = Path(sys.executable).parent / "pact"
SINCE = "2000-01-01"


def account_pact(consumer: str, description: str) -> dict[str, Any]:
    """A V4 pact: GET /accounts/1 answers an account whose name is any string."""
    return {
        "consumer": {"name": consumer},
        "provider": {"name": "Accounts"},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": description,
                "pending": False,
                "request": {"method": "GET", "path": "/accounts/1"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {
                        "content": {"id": 1, "name": "Alice"},
                        "contentType": "application/json",
                        "encoded": False,
                    },
                    "matchingRules": {
                        "body": {"$.name": {"combine": "AND", "matchers": [{"match": "type"}]}}
                    },
                },
            }
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


def accounts_app() -> FastAPI:
    app = FastAPI()

    @app.get("/accounts/{number}")
    def account(number: int) -> dict[str, Any]:
        return {"id": number, "name": "Bob"}

    return app


@pytest.fixture
def provider() -> Iterator[ServerHandle]:
    with serve_app(accounts_app()) as server:
        yield server


def _publish(broker: RunningBroker, version: str, description: str, branch: str) -> str:
    pact = account_pact("Web", description)
    response = broker.publish("Web", version, pact, branch=branch)
    assert response.status_code in (200, 201), response.text
    return content_sha(pact)


def _main_and_feature(broker: RunningBroker) -> tuple[str, str]:
    """Web's main-branch pact and a newer feature-branch pact (a WIP candidate)."""
    return (
        _publish(broker, "1.0.0", "a request for account 1", "main"),
        _publish(broker, "1.1.0", "a request for account 1 from the new screen", "feat"),
    )


def _results(broker: RunningBroker, sha: str) -> dict[str, Any]:
    path = f"/pacts/provider/Accounts/consumer/Web/pact-version/{sha}/verification-results/latest"
    response = broker.get(path)
    assert response.status_code == 200, f"no result stored for {sha}: {response.text}"
    body: dict[str, Any] = response.json()
    return body


def _still_wip(broker: RunningBroker) -> list[bool]:
    pacts = for_verification(
        broker,
        consumerVersionSelectors=[{"mainBranch": True}],
        includePendingStatus=True,
        includeWipPactsSince=SINCE,
        providerVersionBranch="main",
    )
    return [bool(p["verificationProperties"].get("wip")) for p in pacts]


def test_pact_verifier_cli_verifies_main_and_wip_pacts_and_publishes_the_results(
    broker: RunningBroker, provider: ServerHandle
) -> None:
    main, feature = _main_and_feature(broker)
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true", "NO_COLOR": "1"}
    for variable in ("PACT_BROKER_BASE_URL", "PACT_BROKER_USERNAME", "PACT_BROKER_PASSWORD"):
        env.pop(variable, None)
    host, port = provider.url.removeprefix("http://").split(":")

    run = subprocess.run(
        [
            str(PACT),
            "verifier",
            "--broker-url",
            broker.url,
            "--provider-name",
            "Accounts",
            "--hostname",
            host,
            "--port",
            port,
            "--consumer-version-selectors",
            '{"mainBranch":true}',
            "--enable-pending",
            "--include-wip-pacts-since",
            SINCE,
            "--publish",
            "--provider-version",
            "2.0.0",
            "--provider-branch",
            "main",
            "--no-colour",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "a request for account 1 from the new screen" in run.stdout
    verified_main, verified_feature = _results(broker, main), _results(broker, feature)
    assert verified_main["success"] is True
    assert verified_main["providerApplicationVersion"] == "2.0.0"
    assert verified_main["verifiedBy"]["implementation"] == "Pact-Rust"
    assert verified_feature.get("wip") is True
    assert sorted(stored_verifications(broker)) == [(True, False, True), (True, True, None)]
    branch = broker.get("/pacticipants/Accounts/branches/main/versions/2.0.0")
    assert branch.status_code == 200
    assert _still_wip(broker) == [False, True]


def test_pact_python_verifier_uses_selectors_pending_and_wip_and_publishes(
    broker: RunningBroker, provider: ServerHandle
) -> None:
    from pact import Verifier

    main, feature = _main_and_feature(broker)
    verifier = (
        Verifier("Accounts", host="127.0.0.1")
        .add_transport(url=provider.url)
        .set_publish_options(version="3.0.0", branch="main")
        .broker_source(broker.url, selector=True, use_env=False)
        .consumer_version(main_branch=True)
        .include_pending()
        .include_wip_since(SINCE)
        .provider_branch("main")
        .build()
    )

    verifier.verify()

    assert _results(broker, main)["providerApplicationVersion"] == "3.0.0"
    assert _results(broker, feature).get("wip") is True
    assert broker.get("/pacticipants/Accounts/branches/main/versions/3.0.0").status_code == 200


def test_pact_python_verifier_without_selectors_gets_the_default_ones(
    broker: RunningBroker, provider: ServerHandle
) -> None:
    from pact import Verifier

    main, feature = _main_and_feature(broker)
    verifier = (
        Verifier("Accounts", host="127.0.0.1")
        .add_transport(url=provider.url)
        .set_publish_options(version="4.0.0")
        .broker_source(broker.url, use_env=False)
    )

    verifier.verify()

    assert _results(broker, main)["providerApplicationVersion"] == "4.0.0"
    feature_results = broker.get(
        f"/pacts/provider/Accounts/consumer/Web/pact-version/{feature}/verification-results/latest"
    )
    assert feature_results.status_code == 404
