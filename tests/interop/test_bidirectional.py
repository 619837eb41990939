"""Bi-directional contracts through the official CLI: `pact pactflow publish-provider-contract`
publishes an OpenAPI document with its self-verification, `pact broker publish` a consumer pact,
and `pact broker can-i-deploy` answers from the broker's comparison of the two.

On SQLite in this process, and on SQLite and PostgreSQL behind `accord broker serve --workers
2` (PostgreSQL in this process adds nothing the others do not cover here). Exit codes are read
from the table output (trap 1: ``-o json`` always exits 0).
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.broker.conftest import RunningBroker, make_pact
from tests.interop.conftest import broker_kinds
from tests.interop.test_broker_cli_publish import PACT, pact_cli

pytestmark = [pytest.mark.interop, broker_kinds("sqlite", "sqlite-2-workers", "postgres-2-workers")]

OPENAPI = """\
openapi: 3.0.3
info: {title: Accounts, version: "1"}
paths:
  /accounts/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: an account
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                required: [id, name]
                properties:
                  id: {type: integer}
                  name: {type: string}
"""
RENAMED_FIELD = OPENAPI.replace("name]", "title]").replace("name: {", "title: {")
"""The same API after a breaking change: the provider renamed ``name`` to ``title``."""


@pytest.fixture
def broker(broker: RunningBroker) -> RunningBroker:
    """The broker with a production environment."""
    created = broker.post("/environments", {"name": "production", "production": True})
    assert created.status_code == 201, created.text
    return broker


def pactflow(*args: str, broker_url: str) -> subprocess.CompletedProcess[str]:
    """Run `pact pactflow …` against ``broker_url`` (never raises)."""
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true", "NO_COLOR": "1"}
    for variable in ("PACT_BROKER_BASE_URL", "PACT_BROKER_TOKEN", "PACT_BROKER_USERNAME"):
        env.pop(variable, None)
    return subprocess.run(
        [str(PACT), "pactflow", *args, "-b", broker_url],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def _publish_consumer(broker: RunningBroker, tmp: Path, consumer: str, provider: str) -> None:
    """Web 1 on main publishes its pact with `pact broker publish` and is deployed."""
    pacts = tmp / consumer
    pacts.mkdir()
    pact = make_pact(consumer, provider, "an account")
    (pacts / f"{consumer}-{provider}.json").write_text(json.dumps(pact))
    _ok(
        pact_cli(
            "publish",
            str(pacts),
            "--consumer-app-version",
            "1",
            "--branch",
            "main",
            broker_url=broker.url,
        )
    )
    _ok(
        pact_cli(
            "record-deployment",
            "-a",
            consumer,
            "-e",
            "1",
            "--environment",
            "production",
            broker_url=broker.url,
        )
    )


def _publish_contract(
    broker: RunningBroker,
    tmp: Path,
    provider: str,
    version: str,
    document: str,
    *,
    self_verified: bool = True,
) -> str:
    spec = tmp / f"{provider}-{version}.yaml"
    spec.write_text(document)
    results = tmp / f"{provider}-{version}-results.txt"
    results.write_text("schemathesis: 12 checks passed\n" if self_verified else "3 checks failed\n")
    return _ok(
        pactflow(
            "publish-provider-contract",
            str(spec),
            "--provider",
            provider,
            "--provider-app-version",
            version,
            "--branch",
            "main",
            "--content-type",
            "application/yaml",
            "--verification-success" if self_verified else "--no-verification-success",
            "--verification-results",
            str(results),
            "--verification-results-content-type",
            "text/plain",
            "--verifier",
            "schemathesis",
            broker_url=broker.url,
        )
    )


def _can_i_deploy(broker: RunningBroker, *args: str) -> tuple[int, str]:
    result = pact_cli("can-i-deploy", *args, broker_url=broker.url)
    return result.returncode, result.stdout + result.stderr


def test_a_compatible_provider_contract_can_be_deployed(
    broker: RunningBroker, tmp_path: Path
) -> None:
    _publish_consumer(broker, tmp_path, "Web", "Accounts")

    published = _publish_contract(broker, tmp_path, "Accounts", "2", OPENAPI)

    assert "Provider contract published for Accounts version 2" in published
    assert "Compatible with the pact of Web 1" in published
    stored = broker.get("/provider-contracts/provider/Accounts/version/2").json()
    assert stored["content"] == OPENAPI
    assert stored["selfVerificationResults"]["success"] is True
    assert stored["selfVerificationResults"]["content"] == "schemathesis: 12 checks passed\n"
    assert [c["compatible"] for c in stored["comparisons"]] == [True]
    code, output = _can_i_deploy(
        broker, "-a", "Accounts", "-e", "2", "--to-environment", "production"
    )
    assert code == 0, output
    assert "Computer says yes" in output


def test_the_consumer_can_deploy_against_a_deployed_compatible_contract_by_branch_and_latest(
    broker: RunningBroker, tmp_path: Path
) -> None:
    _publish_consumer(broker, tmp_path, "Mobile", "Ledger")
    _publish_contract(broker, tmp_path, "Ledger", "7", OPENAPI.replace("Accounts", "Ledger"))
    _ok(
        pact_cli(
            "record-deployment",
            "-a",
            "Ledger",
            "-e",
            "7",
            "--environment",
            "production",
            broker_url=broker.url,
        )
    )
    for selector in (("--latest",), ("--branch", "main")):
        code, output = _can_i_deploy(
            broker, "-a", "Mobile", *selector, "--to-environment", "production"
        )
        assert code == 0, (selector, output)


def test_an_incompatible_provider_contract_is_refused_naming_the_field(
    broker: RunningBroker, tmp_path: Path
) -> None:
    _publish_consumer(broker, tmp_path, "Kiosk", "Cards")

    published = _publish_contract(
        broker, tmp_path, "Cards", "3", RENAMED_FIELD.replace("Accounts", "Cards")
    )

    assert "NOT compatible with the pact of Kiosk 1" in published
    code, output = _can_i_deploy(broker, "-a", "Cards", "-e", "3", "--to-environment", "production")
    assert code == 1, output
    assert "Computer says no" in output
    assert "$.interactions[0].response.body.name" in output
    assert "'name' is not allowed" in output


def test_a_provider_whose_self_verification_failed_cannot_deploy(
    broker: RunningBroker, tmp_path: Path
) -> None:
    _publish_consumer(broker, tmp_path, "Teller", "Loans")

    published = _publish_contract(
        broker, tmp_path, "Loans", "4", OPENAPI.replace("Accounts", "Loans"), self_verified=False
    )

    assert "self-verification FAILED" in published
    code, output = _can_i_deploy(broker, "-a", "Loans", "-e", "4", "--to-environment", "production")
    assert code == 1, output
    assert "own tests of its provider contract failed" in output


def test_a_document_that_is_not_openapi_is_refused_with_where_and_why(
    broker: RunningBroker, tmp_path: Path
) -> None:
    result = pactflow(
        "publish-provider-contract",
        str(_swagger(tmp_path)),
        "--provider",
        "Vault",
        "--provider-app-version",
        "1",
        "--verification-success",
        "--verifier",
        "schemathesis",
        broker_url=broker.url,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Swagger/OpenAPI 2.0" in output and "/swagger" in output
    assert broker.get("/pacticipants/Vault/versions/1").status_code == 404


def _swagger(tmp: Path) -> Path:
    path = tmp / "swagger.yaml"
    path.write_text('swagger: "2.0"\ninfo: {title: Vault, version: "1"}\npaths: {}\n')
    return path
