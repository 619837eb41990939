"""can-i-deploy and can-i-merge ask the real broker's matrix and explain a "no"."""

import json
from pathlib import Path

import pytest
from cli_support import Accord, accounts_provider, make_pact, write_pact

from accord.testing import serve_app


def verify_and_publish(accord: Accord, broker_url: str, version: str, *, name: str) -> None:
    """Verify every Accounts pact with a provider answering ``name``; publish as ``version``."""
    with serve_app(accounts_provider(name=name)) as provider:
        result = accord(
            "verify", "--broker-url", broker_url, "--provider-name", "Accounts",
            "--provider-base-url", provider.url,
            "--consumer-version-selectors", '{"latest": true}',
            "--publish", "--provider-version", version, "--provider-branch", "main",
        )  # fmt: skip
    assert result.exit_code in (0, 1), result.output


@pytest.fixture
def production(accord: Accord, broker_url: str, tmp_path: Path) -> Accord:
    """Web 1.0.0's pact verified by Accounts 2.0.0, which runs in production."""
    pact = write_pact(tmp_path / "v1", make_pact(name="Alice"))
    assert accord("publish", str(pact), "-a", "1.0.0", "--branch", "main").exit_code == 0
    verify_and_publish(accord, broker_url, "2.0.0", name="Alice")
    assert accord("create-environment", "--name", "production").exit_code == 0
    deployed = accord(
        "record-deployment", "-a", "Accounts", "-e", "2.0.0", "--environment", "production"
    )
    assert deployed.exit_code == 0, deployed.output
    return accord


def test_a_verified_version_may_be_deployed(production: Accord) -> None:
    result = production(
        "can-i-deploy", "--pacticipant", "Web", "--version", "1.0.0",
        "--to-environment", "production",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Computer says yes" in result.stdout
    assert "Accounts" in result.stdout
    assert "2.0.0" in result.stdout


def test_an_unverified_pact_says_no_with_one_sentence_and_the_pact_url(
    production: Accord, tmp_path: Path
) -> None:
    changed = write_pact(tmp_path / "v2", make_pact(name="Bob"))
    assert production("publish", str(changed), "-a", "1.1.0").exit_code == 0

    result = production(
        "can-i-deploy", "-a", "Web", "-e", "1.1.0", "--to-environment", "production"
    )

    assert result.exit_code == 1
    assert "Computer says no" in result.stdout
    why = [line for line in result.stdout.splitlines() if line.startswith("  - ")]
    assert len(why) == 1
    assert "Web 1.1.0 and Accounts" in why[0]
    assert "/pacts/provider/Accounts/consumer/Web/" in why[0]


def test_a_failed_verification_says_no_with_the_verification_url(
    production: Accord, broker_url: str, tmp_path: Path
) -> None:
    changed = write_pact(tmp_path / "v2", make_pact(name="Bob"))
    production("publish", str(changed), "-a", "1.1.0")
    verify_and_publish(production, broker_url, "2.1.0", name="Alice")
    production("record-deployment", "-a", "Accounts", "-e", "2.1.0", "--environment", "production")

    result = production(
        "can-i-deploy", "-a", "Web", "-e", "1.1.0", "--to-environment", "production"
    )

    assert result.exit_code == 1
    why = [line for line in result.stdout.splitlines() if line.startswith("  - ")]
    assert len(why) == 1
    assert "failed" in why[0]
    assert "verification-results" in why[0]


def test_dry_run_exits_0_even_when_the_answer_is_no(production: Accord, tmp_path: Path) -> None:
    production("publish", str(write_pact(tmp_path / "v2", make_pact(name="Bob"))), "-a", "1.1.0")

    result = production(
        "can-i-deploy", "-a", "Web", "-e", "1.1.0", "--to-environment", "production", "--dry-run"
    )

    assert result.exit_code == 0
    assert "Dry run enabled" in result.stdout


def test_json_output_is_the_matrix_document(production: Accord) -> None:
    result = production(
        "can-i-deploy", "-a", "Web", "-e", "1.0.0", "--to-environment", "production", "-o", "json"
    )

    document = json.loads(result.stdout)
    assert document["summary"]["deployable"] is True
    assert document["matrix"][0]["provider"]["name"] == "Accounts"


def test_an_unknown_environment_is_refused_by_the_broker(production: Accord) -> None:
    result = production("can-i-deploy", "-a", "Web", "-e", "1.0.0", "--to-environment", "mars")

    assert result.exit_code == 2  # an input error, as in docs/exit-codes.md
    assert "400" in result.stderr
    assert "mars" in result.stderr


def test_the_provider_may_deploy_when_its_consumers_are_satisfied(production: Accord) -> None:
    production("record-deployment", "-a", "Web", "-e", "1.0.0", "--environment", "production")

    result = production(
        "can-i-deploy", "-a", "Accounts", "--version", "2.0.0", "--to-environment", "production"
    )

    assert result.exit_code == 0, result.output


def test_can_i_merge_checks_against_main_branches(production: Accord) -> None:
    production("create-or-update-pacticipant", "--name", "Accounts", "--main-branch", "main")
    production("create-or-update-pacticipant", "--name", "Web", "--main-branch", "main")

    result = production("can-i-merge", "-a", "Web", "-e", "1.0.0")

    assert result.exit_code == 0, result.output
    assert "Computer says yes" in result.stdout
