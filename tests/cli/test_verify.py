"""accord verify wraps the verifier with the flags of `pact verifier`."""

import json
from pathlib import Path

from cli_support import Accord, accounts_provider, make_pact, write_pact

from accord.testing import serve_app

#: A broker URL in the environment makes the verifier fetch from it too (as `pact verifier`).
NO_BROKER: dict[str, str | None] = {"PACT_BROKER_BASE_URL": None}


def test_a_provider_that_honours_the_pact_verifies_with_exit_0(
    accord: Accord, tmp_path: Path
) -> None:
    pact = write_pact(tmp_path, make_pact())
    with serve_app(accounts_provider()) as provider:
        result = accord(
            "verify", "-f", str(pact), "--hostname", provider.host, "-p", str(provider.port),
            "--json", str(tmp_path / "report.json"), env=NO_BROKER,
        )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "report.json").read_text())["result"] is True


def test_a_broken_provider_fails_with_exit_1_and_names_the_mismatch(
    accord: Accord, tmp_path: Path
) -> None:
    pact = write_pact(tmp_path, make_pact(name="Alice"))
    with serve_app(accounts_provider(name="Mallory")) as provider:
        result = accord(
            "verify", "--file", str(pact), "--provider-base-url", provider.url, env=NO_BROKER
        )

    assert result.exit_code == 1
    assert "Alice" in result.stdout


def test_pacts_from_the_broker_are_verified_and_results_published(
    accord: Accord, broker_url: str, tmp_path: Path
) -> None:
    pact = write_pact(tmp_path, make_pact())
    assert accord("publish", str(pact), "-a", "1.0.0", "--branch", "main").exit_code == 0

    with serve_app(accounts_provider()) as provider:
        result = accord(
            "verify", "--broker-url", broker_url, "--provider-name", "Accounts",
            "--provider-base-url", provider.url,
            "--consumer-version-selectors", '{"mainBranch": true}',
            "--publish", "--provider-version", "9.9.9", "--provider-branch", "main",
        )  # fmt: skip

    assert result.exit_code == 0, result.output
    described = accord.json("describe-version", "-a", "Accounts", "-e", "9.9.9")
    assert described["number"] == "9.9.9"


def test_no_pacts_exits_3_unless_ignored(accord: Accord, tmp_path: Path) -> None:
    args = ["verify", "--dir", str(tmp_path), "--provider-base-url", "http://127.0.0.1:9"]

    assert accord(*args, env=NO_BROKER).exit_code == 3
    assert accord(*args, "--ignore-no-pacts-error", env=NO_BROKER).exit_code == 0


def test_publishing_without_a_provider_version_is_a_usage_error(
    accord: Accord, tmp_path: Path
) -> None:
    pact = write_pact(tmp_path, make_pact())

    result = accord("verify", "-f", str(pact), "--port", "9", "--publish", env=NO_BROKER)

    assert result.exit_code == 2
    assert "--provider-version" in result.stderr
