"""accord publish sends pact files to the broker as `pact broker publish` does."""

import json
import subprocess
from pathlib import Path

import requests
from cli_support import Accord, make_pact, write_pact


def test_publishing_a_directory_publishes_every_pact_with_branch_and_tags(
    accord: Accord, broker_url: str, tmp_path: Path
) -> None:
    write_pact(tmp_path / "pacts", make_pact("Web", "Accounts"))
    write_pact(tmp_path / "pacts", make_pact("Web", "Transfers"))

    result = accord(
        "publish", str(tmp_path / "pacts"), "-a", "1.0.0", "--branch", "main", "--tag", "dev,qa"
    )

    assert result.exit_code == 0, result.output
    assert (
        "Pact published successfully for consumer: Web against provider: Accounts" in result.stdout
    )
    assert "against provider: Transfers" in result.stdout
    version = requests.get(f"{broker_url}/pacticipants/Web/versions/1.0.0", timeout=10).json()
    assert sorted(tag["name"] for tag in version["_embedded"]["tags"]) == ["dev", "qa"]
    latest = requests.get(f"{broker_url}/pacts/provider/Transfers/consumer/Web/latest", timeout=10)
    assert latest.status_code == 200


def test_tags_may_follow_one_flag_as_the_official_cli_allows(
    accord: Accord, broker_url: str, tmp_path: Path
) -> None:
    pact = write_pact(tmp_path, make_pact())

    result = accord("publish", str(pact), "-a", "2.0.0", "--tag", "dev", "qa")

    assert result.exit_code == 0, result.output
    version = requests.get(f"{broker_url}/pacticipants/Web/versions/2.0.0", timeout=10).json()
    assert sorted(tag["name"] for tag in version["_embedded"]["tags"]) == ["dev", "qa"]


def test_auto_detect_takes_version_and_branch_from_git(
    accord: Accord, broker_url: str, tmp_path: Path, monkeypatch: object
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.email=a@b.c", "-c", "user.name=t"]
    subprocess.run([*git[:3], "init", "-q", "-b", "feat/login"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    sha = subprocess.run(
        [*git[:3], "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    pact = write_pact(tmp_path / "pacts", make_pact())
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.chdir(repo)
    for name in ("GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME", "GITHUB_SHA"):
        monkeypatch.delenv(name, raising=False)

    result = accord("publish", str(pact), "--auto-detect-version-properties")

    assert result.exit_code == 0, result.output
    branch = requests.get(
        f"{broker_url}/pacticipants/Web/branches/feat%2Flogin/versions/{sha}", timeout=10
    )
    assert branch.status_code == 200


def test_json_output_is_one_document(accord: Accord, tmp_path: Path) -> None:
    pact = write_pact(tmp_path, make_pact())

    result = accord("publish", str(pact), "-a", "3.0.0", "-o", "json")

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["consumerVersion"] == "3.0.0"
    assert [item["provider"] for item in document["published"]] == ["Accounts"]


def test_a_missing_version_is_a_usage_error(accord: Accord, tmp_path: Path) -> None:
    pact = write_pact(tmp_path, make_pact())

    result = accord("publish", str(pact))

    assert result.exit_code == 2
    assert "--consumer-app-version" in result.stderr


def test_a_path_without_pacts_is_a_usage_error(accord: Accord, tmp_path: Path) -> None:
    result = accord("publish", str(tmp_path / "nothing-here"), "-a", "1")

    assert result.exit_code == 2
    assert "no pact files found" in result.stderr


def test_a_conflicting_republication_fails_with_the_brokers_reason(
    accord: Accord, tmp_path: Path
) -> None:
    first = write_pact(tmp_path / "a", make_pact(name="Alice"))
    second = write_pact(tmp_path / "b", make_pact(name="Bob"))
    assert accord("publish", str(first), "-a", "1.0.0").exit_code == 0

    result = accord("publish", str(second), "-a", "1.0.0")

    assert result.exit_code == 2  # an input error (docs/exit-codes.md)
    assert "/contracts/publish" in result.stderr
    assert "409" in result.stderr
