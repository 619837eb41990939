"""record-deployment/-undeployment/-release/-support-ended against a real broker."""

from pathlib import Path

import pytest
from cli_support import Accord, make_pact, write_pact


@pytest.fixture
def published(accord: Accord, tmp_path: Path) -> Accord:
    """Web 1.0.0 and 1.1.0 published, environments test and production created."""
    pact = write_pact(tmp_path, make_pact())
    for version in ("1.0.0", "1.1.0"):
        assert accord("publish", str(pact), "-a", version).exit_code == 0
    for name in ("test", "production"):
        assert accord("create-environment", "--name", name).exit_code == 0
    return accord


def _deployed(accord: Accord, environment: str) -> list[str]:
    document = accord.json("describe-version", "-a", "Web", "--environment", environment)
    return [r["_embedded"]["version"]["number"] for r in document["deployedVersions"]]


def test_record_deployment_replaces_the_previous_version(published: Accord) -> None:
    first = published("record-deployment", "-a", "Web", "-e", "1.0.0", "--environment", "test")
    second = published("record-deployment", "-a", "Web", "-e", "1.1.0", "--environment", "test")

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert second.stdout.strip() == (
        "✅ Recorded deployment of Web version 1.1.0 to test environment in the Pact Broker."
    )
    assert _deployed(published, "test") == ["1.1.0"]


def test_application_instances_are_deployed_side_by_side(published: Accord) -> None:
    for version, instance in (("1.0.0", "blue"), ("1.1.0", "green")):
        result = published(
            "record-deployment", "-a", "Web", "-e", version, "--environment", "production",
            "--application-instance", instance,
        )  # fmt: skip
        assert result.exit_code == 0, result.output

    assert sorted(_deployed(published, "production")) == ["1.0.0", "1.1.0"]


def test_an_unknown_environment_fails_naming_the_known_ones(published: Accord) -> None:
    result = published("record-deployment", "-a", "Web", "-e", "1.0.0", "--environment", "nope")

    assert result.exit_code == 2  # an input error (docs/exit-codes.md)
    assert "'nope' does not exist" in result.stderr
    assert "production, test" in result.stderr


def test_an_unknown_version_fails_with_exit_2(published: Accord) -> None:
    result = published("record-deployment", "-a", "Web", "-e", "9.9.9", "--environment", "test")

    assert result.exit_code == 2  # an input error (docs/exit-codes.md)
    assert "version '9.9.9' of 'Web' does not exist" in result.stderr


def test_record_undeployment_ends_the_deployment(published: Accord) -> None:
    published("record-deployment", "-a", "Web", "-e", "1.0.0", "--environment", "test")

    result = published("record-undeployment", "-a", "Web", "--environment", "test")

    assert result.exit_code == 0, result.output
    assert "Recorded undeployment of Web version 1.0.0 from test" in result.stdout
    assert _deployed(published, "test") == []


def test_undeploying_among_instances_needs_the_instance(published: Accord) -> None:
    published(
        "record-deployment", "-a", "Web", "-e", "1.0.0", "--environment", "test",
        "--application-instance", "blue",
    )  # fmt: skip

    refused = published("record-undeployment", "-a", "Web", "--environment", "test")
    done = published(
        "record-undeployment", "-a", "Web", "--environment", "test",
        "--application-instance", "blue",
    )  # fmt: skip

    assert refused.exit_code == 2  # an input error (docs/exit-codes.md)
    assert "--application-instance" in refused.stderr
    assert done.exit_code == 0, done.output


def test_undeploying_what_is_not_deployed_fails(published: Accord) -> None:
    result = published("record-undeployment", "-a", "Web", "--environment", "test")

    assert result.exit_code == 2  # an input error (docs/exit-codes.md)
    assert "not currently deployed to test" in result.stderr


def test_releases_stay_supported_until_support_ends(published: Accord) -> None:
    for version in ("1.0.0", "1.1.0"):
        result = published("record-release", "-a", "Web", "-e", version, "--environment", "test")
        assert result.exit_code == 0, result.output

    ended = published("record-support-ended", "-a", "Web", "-e", "1.0.0", "--environment", "test")

    assert ended.exit_code == 0, ended.output
    document = published.json("describe-version", "-a", "Web", "--environment", "test")
    supported = [
        r["_embedded"]["version"]["number"]
        for r in document["releasedVersions"]
        if r["currentlySupported"]
    ]
    assert supported == ["1.1.0"]
