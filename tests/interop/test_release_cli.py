"""The official `pact broker` CLI driving a release pipeline against our broker.

Histories are built through the broker's HTTP API (publish, verify); the CLI then manages
environments, records deployments and releases, and asks can-i-deploy / can-i-merge. Verdicts,
reasons and exit codes are what the Pact Broker answers for the same history. Remember trap 1:
``-o json`` exits 0 even when the answer is no, so exit codes are checked on table output.
"""

import json

import pytest

from tests.broker.conftest import RunningBroker
from tests.broker.release_history import create_environment, ensure_version, publish, verify
from tests.interop.test_broker_cli_publish import pact_cli

pytestmark = pytest.mark.interop


def _ok(result: object) -> None:
    assert getattr(result, "returncode", None) == 0, (
        getattr(result, "stdout", ""),
        getattr(result, "stderr", ""),
    )


def _deploy(broker: RunningBroker, pacticipant: str, version: str, env: str, *extra: str) -> None:
    _ok(
        pact_cli(
            "record-deployment",
            "-a",
            pacticipant,
            "-e",
            version,
            "--environment",
            env,
            *extra,
            broker_url=broker.url,
        )
    )


def _can_i_deploy(broker: RunningBroker, *args: str) -> tuple[int, str, dict[str, object]]:
    """(exit code of the table output, its stdout, the JSON answer)."""
    table = pact_cli("can-i-deploy", *args, broker_url=broker.url)
    as_json = pact_cli("can-i-deploy", *args, "-o", "json", broker_url=broker.url)
    assert as_json.returncode == 0, as_json.stderr  # trap 1: JSON output always exits 0
    answer = json.loads(as_json.stdout.strip().splitlines()[-1])
    assert isinstance(answer, dict)
    return table.returncode, table.stdout + table.stderr, answer


def test_environments_are_created_listed_described_updated_and_deleted(
    broker: RunningBroker,
) -> None:
    created = pact_cli(
        "create-environment",
        "--name",
        "prod-eu",
        "--production",
        "--contact-name",
        "Team A",
        "--contact-email-address",
        "a@example.com",
        "-o",
        "id",
        broker_url=broker.url,
    )
    _ok(created)
    uuid = created.stdout.strip().splitlines()[-1]
    listed = pact_cli("list-environments", broker_url=broker.url)
    _ok(listed)
    assert "prod-eu" in listed.stdout and "Prod Eu" in listed.stdout  # trap 9
    described = pact_cli("describe-environment", "--uuid", uuid, broker_url=broker.url)
    _ok(described)
    assert "prod-eu" in described.stdout
    updated = pact_cli(
        "update-environment",
        "--uuid",
        uuid,
        "--name",
        "prod-eu",
        "--display-name",
        "Production EU",
        "--production",
        broker_url=broker.url,
    )
    _ok(updated)
    assert broker.get(f"/environments/{uuid}").json()["displayName"] == "Production EU"
    _ok(pact_cli("delete-environment", "--uuid", uuid, broker_url=broker.url))
    assert broker.get(f"/environments/{uuid}").status_code == 404


def test_a_duplicate_environment_is_refused_with_exit_1(broker: RunningBroker) -> None:
    create_environment(broker, "test")
    again = pact_cli("create-environment", "--name", "test", broker_url=broker.url)
    assert again.returncode == 1
    assert "already used" in again.stdout + again.stderr


def test_verified_consumer_can_deploy_to_where_its_provider_runs(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")
    _deploy(broker, "Accounts", "10", "production")
    code, output, answer = _can_i_deploy(
        broker, "-a", "Web", "-e", "1", "--to-environment", "production"
    )
    assert code == 0, output
    assert "Computer says yes" in output
    assert answer["summary"]["deployable"] is True  # type: ignore[index]


def test_a_failed_verification_says_no_with_the_result_url(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    url = verify(broker, "Accounts", "10", "Web", "1", success=False)
    _deploy(broker, "Accounts", "10", "production")
    code, output, answer = _can_i_deploy(
        broker, "-a", "Web", "-e", "1", "--to-environment", "production"
    )
    assert code == 1
    assert "Computer says no" in output
    assert "failed" in output
    summary = answer["summary"]
    assert summary["deployable"] is False  # type: ignore[index]
    assert url.rsplit("/", 1)[1] in summary["reason"]  # type: ignore[index]


def test_an_unverified_pact_says_no_and_retries_while_unknown(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    ensure_version(broker, "Accounts", "10")
    _deploy(broker, "Accounts", "10", "production")
    code, output, answer = _can_i_deploy(
        broker,
        "-a",
        "Web",
        "-e",
        "1",
        "--to-environment",
        "production",
        "--retry-while-unknown",
        "1",
        "--retry-interval",
        "1",
    )
    assert code == 1
    assert answer["summary"]["deployable"] is None  # type: ignore[index]
    assert answer["summary"]["unknown"] == 1  # type: ignore[index]
    assert "There is no verified pact between version 1 of Web" in output


def test_a_provider_missing_from_the_environment_says_no(broker: RunningBroker) -> None:
    """Trap 13: a row with a blank provider version, deployable null, exit 1."""
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")
    code, _output, answer = _can_i_deploy(
        broker, "-a", "Web", "-e", "1", "--to-environment", "production"
    )
    assert code == 1
    assert answer["summary"]["deployable"] is None  # type: ignore[index]


def test_deployed_to_another_environment_does_not_count(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    create_environment(broker, "test")
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")
    _deploy(broker, "Accounts", "10", "test")
    to_test = _can_i_deploy(broker, "-a", "Web", "-e", "1", "--to-environment", "test")
    to_prod = _can_i_deploy(broker, "-a", "Web", "-e", "1", "--to-environment", "production")
    assert (to_test[0], to_prod[0]) == (0, 1)


def test_an_undeployed_provider_no_longer_counts(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")
    _deploy(broker, "Accounts", "10", "production")
    _ok(
        pact_cli(
            "record-undeployment",
            "-a",
            "Accounts",
            "--environment",
            "production",
            broker_url=broker.url,
        )
    )
    code, _output, answer = _can_i_deploy(
        broker, "-a", "Web", "-e", "1", "--to-environment", "production"
    )
    assert code == 1
    assert answer["summary"]["deployable"] is None  # type: ignore[index]


def test_a_pending_pact_failure_blocks_the_consumer_but_not_the_provider(
    broker: RunningBroker,
) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")
    _deploy(broker, "Accounts", "10", "production")
    _deploy(broker, "Web", "1", "production")
    publish(broker, "Web", "2", "Accounts", "a new request", branch="feat-x")
    verify(broker, "Accounts", "11", "Web", "2", success=False)
    verify(broker, "Accounts", "11", "Web", "1")
    consumer = _can_i_deploy(broker, "-a", "Web", "-e", "2", "--to-environment", "production")
    provider = _can_i_deploy(broker, "-a", "Accounts", "-e", "11", "--to-environment", "production")
    assert (consumer[0], provider[0]) == (1, 0)


def test_ignore_latest_branch_and_tag_variants(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1", branch="main")
    ignored = _can_i_deploy(
        broker,
        "-a",
        "Web",
        "-e",
        "1",
        "--to-environment",
        "production",
        "--ignore",
        "Accounts",
    )
    assert ignored[0] == 0, ignored[1]
    assert ignored[2]["summary"]["ignored"] == 1  # type: ignore[index]
    verify(broker, "Accounts", "10", "Web", "1", branch="main")
    latest = _can_i_deploy(broker, "-a", "Web", "--latest")
    assert latest[0] == 0, latest[1]
    branch = _can_i_deploy(broker, "-a", "Web", "--branch", "main")
    assert branch[0] == 0, branch[1]
    assert broker.put("/pacticipants/Accounts/versions/10/tags/prod").status_code in (200, 201)
    to_tag = _can_i_deploy(broker, "-a", "Web", "-e", "1", "--to", "prod")
    assert to_tag[0] == 0, to_tag[1]
    missing_tag = _can_i_deploy(broker, "-a", "Web", "-e", "1", "--to", "nope")
    assert missing_tag[0] == 1


def test_can_i_merge_checks_the_main_branch_heads(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="main")
    verify(broker, "Accounts", "10", "Web", "1", branch="main")
    publish(broker, "Web", "2", "Accounts", "a changed request", branch="feat-x")
    verify(broker, "Accounts", "10", "Web", "2", success=False)
    good = pact_cli("can-i-merge", "-a", "Web", "-e", "1", broker_url=broker.url)
    bad = pact_cli("can-i-merge", "-a", "Web", "-e", "2", broker_url=broker.url)
    assert good.returncode == 0, good.stdout + good.stderr
    assert bad.returncode == 1, bad.stdout + bad.stderr


def test_releases_and_support_ended_with_describe_version(broker: RunningBroker) -> None:
    create_environment(broker, "app-store", production=True)
    ensure_version(broker, "Mobile", "1")
    _ok(
        pact_cli(
            "record-release",
            "-a",
            "Mobile",
            "-e",
            "1",
            "--environment",
            "app-store",
            broker_url=broker.url,
        )
    )
    described = pact_cli(
        "describe-version", "-a", "Mobile", "-e", "1", "-o", "json", broker_url=broker.url
    )
    _ok(described)
    assert '"number":"1"' in described.stdout.replace(" ", "")
    env_listing = pact_cli(
        "describe-version", "-a", "Mobile", "--environment", "app-store", broker_url=broker.url
    )
    _ok(env_listing)
    rows = [line for line in env_listing.stdout.splitlines() if "app-store" in line]
    assert len(rows) == 1 and rows[0].split()[1] == "1", env_listing.stdout
    _ok(
        pact_cli(
            "record-support-ended",
            "-a",
            "Mobile",
            "-e",
            "1",
            "--environment",
            "app-store",
            broker_url=broker.url,
        )
    )
    supported = broker.get("/environments").json()["_embedded"]["environments"][0]
    listing = broker.get(
        supported["_links"]["pb:currently-supported-released-versions"]["href"].removeprefix(
            broker.url
        )
    ).json()
    assert listing["_embedded"]["releasedVersions"] == []


def test_record_deployment_to_an_unknown_environment_fails(broker: RunningBroker) -> None:
    ensure_version(broker, "Accounts", "10")
    result = pact_cli(
        "record-deployment",
        "-a",
        "Accounts",
        "-e",
        "10",
        "--environment",
        "nowhere",
        broker_url=broker.url,
    )
    assert result.returncode == 1
