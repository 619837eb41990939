"""The official `pact broker` CLI managing pacticipants, versions and tags on our broker."""

import json

import pytest

from tests.broker.conftest import RunningBroker, make_pact
from tests.interop.test_broker_cli_publish import pact_cli

pytestmark = pytest.mark.interop


def test_create_or_update_pacticipant_creates_then_updates(broker: RunningBroker) -> None:
    created = pact_cli(
        "create-or-update-pacticipant",
        "--name",
        "Billing/Svc",
        "--display-name",
        "Billing",
        "--main-branch",
        "main",
        "--repository-url",
        "https://git/billing",
        broker_url=broker.url,
    )
    updated = pact_cli(
        "create-or-update-pacticipant",
        "--name",
        "Billing/Svc",
        "--main-branch",
        "trunk",
        broker_url=broker.url,
    )

    assert created.returncode == 0, created.stdout + created.stderr
    assert "created successfully" in created.stdout
    assert updated.returncode == 0 and "updated successfully" in updated.stdout
    stored = broker.get("/pacticipants/Billing%2FSvc").json()
    assert (stored["displayName"], stored["mainBranch"], stored["repositoryUrl"]) == (
        "Billing",
        "trunk",
        "https://git/billing",
    )


def test_describe_pacticipant_prints_what_was_stored(broker: RunningBroker) -> None:
    broker.post("/pacticipants", {"name": "Accounts", "mainBranch": "main"})

    found = pact_cli("describe-pacticipant", "--name", "Accounts", broker_url=broker.url)
    missing = pact_cli("describe-pacticipant", "--name", "Nobody", broker_url=broker.url)

    assert found.returncode == 0, found.stderr
    assert "Main Branch: main" in found.stdout
    assert missing.returncode == 1
    assert "404" in missing.stdout + missing.stderr


def test_list_pacticipants_shows_names_and_display_names(broker: RunningBroker) -> None:
    broker.publish("user-web", "1", make_pact("user-web", "Accounts"))

    result = pact_cli("list-pacticipants", broker_url=broker.url)

    assert result.returncode == 0, result.stderr
    assert '"user-web"' in result.stdout and '"User Web"' in result.stdout
    assert '"Accounts"' in result.stdout


def test_create_or_update_version_records_branch_and_tag(broker: RunningBroker) -> None:
    result = pact_cli(
        "create-or-update-version",
        "-a",
        "Web",
        "-e",
        "2.0.0+b 1",
        "--branch",
        "feat/x",
        "--tag",
        "dev",
        broker_url=broker.url,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    version = broker.get("/pacticipants/Web/versions/2.0.0%2Bb%201").json()
    assert [b["name"] for b in version["_embedded"]["branchVersions"]] == ["feat/x"]
    assert [t["name"] for t in version["_embedded"]["tags"]] == ["dev"]


def test_create_version_tag_adds_every_tag_including_odd_names(broker: RunningBroker) -> None:
    broker.put("/pacticipants/Web/versions/1")

    result = pact_cli(
        "create-version-tag",
        "-a",
        "Web",
        "-e",
        "1",
        "-t",
        "prod",
        "feat/p q",
        broker_url=broker.url,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    tags = broker.get("/pacticipants/Web/versions/1").json()["_embedded"]["tags"]
    assert sorted(t["name"] for t in tags) == ["feat/p q", "prod"]


def test_create_version_tag_refuses_an_unknown_version_without_auto_create(
    broker: RunningBroker,
) -> None:
    broker.put("/pacticipants/Web/versions/1")

    refused = pact_cli(
        "create-version-tag", "-a", "Web", "-e", "9", "-t", "prod", broker_url=broker.url
    )
    created = pact_cli(
        "create-version-tag",
        "-a",
        "Web",
        "-e",
        "9",
        "-t",
        "prod",
        "--auto-create-version",
        broker_url=broker.url,
    )

    assert refused.returncode == 1
    assert created.returncode == 0, created.stdout + created.stderr
    assert broker.get("/pacticipants/Web/latest-version/prod").json()["number"] == "9"


def test_describe_version_reads_tags_from_the_version_resource(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact(), tags=["prod"])

    result = pact_cli(
        "describe-version", "-a", "Web", "-e", "1", "-o", "json", broker_url=broker.url
    )

    assert result.returncode == 0, result.stderr
    assert [t["name"] for t in json.loads(result.stdout)["_embedded"]["tags"]] == ["prod"]
