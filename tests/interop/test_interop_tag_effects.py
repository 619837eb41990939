"""A tag-based pipeline, driven by the official `pact broker` CLI, gets branches and deployments.

``create-version-tag`` is all an old pipeline does; with the Pact Broker's defaults
(``use_first_tag_as_branch``, ``create_deployed_versions_for_tags``, ``auto_detect_main_branch``)
``describe-version`` and ``can-i-deploy --to-environment`` see the branch and the deployment the
tags imply, exactly as they would against the Pact Broker.
"""

import json
from typing import Any

import pytest

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import create_environment, publish, verify
from tests.interop.test_broker_cli_publish import pact_cli

pytestmark = pytest.mark.interop


def _tag(broker: RunningBroker, pacticipant: str, version: str, tag: str) -> None:
    result = pact_cli(
        "create-version-tag",
        "-a",
        pacticipant,
        "-e",
        version,
        "--tag",
        tag,
        "--auto-create-version",
        broker_url=broker.url,
    )
    assert result.returncode == 0, (result.stdout, result.stderr)


def _describe(broker: RunningBroker, pacticipant: str, version: str) -> dict[str, Any]:
    result = pact_cli(
        "describe-version", "-a", pacticipant, "-e", version, "-o", "json", broker_url=broker.url
    )
    assert result.returncode == 0, (result.stdout, result.stderr)
    described = json.loads(result.stdout.strip().splitlines()[-1])
    assert isinstance(described, dict)
    return described


def _can_i_deploy_exit_code(broker: RunningBroker, *args: str) -> int:
    return pact_cli("can-i-deploy", *args, broker_url=broker.url).returncode


def test_tagging_the_provider_with_the_environment_name_lets_the_consumer_deploy(
    broker: RunningBroker,
) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")
    before = _can_i_deploy_exit_code(
        broker, "-a", "Web", "-e", "1", "--to-environment", "production"
    )

    _tag(broker, "Accounts", "10", "production")

    after = _can_i_deploy_exit_code(
        broker, "-a", "Web", "-e", "1", "--to-environment", "production"
    )
    assert (before, after) == (1, 0)
    listing = pact_cli(
        "describe-version", "-a", "Accounts", "--environment", "production", broker_url=broker.url
    )
    rows = [line for line in listing.stdout.splitlines() if "production" in line]
    assert len(rows) == 1 and "Deployed" in rows[0] and " 10 " in rows[0], listing.stdout


def test_without_create_deployed_versions_for_tags_the_tag_deploys_nothing(
    database_url: str,
) -> None:
    with start_broker(database_url, create_deployed_versions_for_tags=False) as broker:
        create_environment(broker, "production", production=True)
        publish(broker, "Web", "1")
        verify(broker, "Accounts", "10", "Web", "1")

        _tag(broker, "Accounts", "10", "production")

        code = _can_i_deploy_exit_code(
            broker, "-a", "Web", "-e", "1", "--to-environment", "production"
        )
        assert code == 1


def test_the_first_tag_of_a_new_version_shows_up_as_its_branch(broker: RunningBroker) -> None:
    _tag(broker, "Web", "2", "feat-x")
    _tag(broker, "Web", "2", "reviewed")

    described = _describe(broker, "Web", "2")

    branches = [b["name"] for b in described["_embedded"]["branchVersions"]]
    tags = sorted(t["name"] for t in described["_embedded"]["tags"])
    assert (branches, tags) == (["feat-x"], ["feat-x", "reviewed"])


def test_a_main_tag_makes_main_the_main_branch_can_i_deploy_checks(
    broker: RunningBroker,
) -> None:
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")

    _tag(broker, "Web", "1", "main")

    described = pact_cli(
        "describe-pacticipant", "--name", "Web", "-o", "json", broker_url=broker.url
    )
    assert described.returncode == 0, described.stderr
    assert json.loads(described.stdout.strip().splitlines()[-1])["mainBranch"] == "main"
    assert _can_i_deploy_exit_code(broker, "-a", "Web", "--main-branch") == 0
