"""Every command has a one-line description and examples in its --help."""

import pytest
from click.testing import CliRunner

from accord.cli import cli

COMMANDS = sorted(cli.commands)  # type: ignore[attr-defined]
REQUIRED = {
    "publish", "verify", "can-i-deploy", "can-i-merge", "record-deployment",
    "record-undeployment", "record-release", "record-support-ended", "create-environment",
    "update-environment", "describe-environment", "list-environments", "delete-environment",
    "create-or-update-pacticipant", "describe-pacticipant", "list-pacticipants",
    "create-or-update-version", "describe-version", "create-version-tag",
    "list-latest-pact-versions", "create-webhook", "create-or-update-webhook", "test-webhook",
    "delete-branch", "broker",
}  # fmt: skip


def test_every_command_of_the_issue_exists() -> None:
    assert set(COMMANDS) >= REQUIRED


def test_the_top_level_help_lists_commands_with_one_line_each_and_examples() -> None:
    result = CliRunner().invoke(cli, ["--help"])

    assert result.exit_code == 0
    assert "Examples:" in result.output
    for name in REQUIRED:
        line = next(
            line for line in result.output.splitlines() if line.strip().startswith(name + " ")
        )
        assert not line.rstrip().endswith("..."), line


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_help_has_a_description_and_examples(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])

    assert result.exit_code == 0, result.output
    assert "Examples:" in result.output
    assert f"accord {name}" in result.output


@pytest.mark.parametrize("name", ["serve", "migrate", "clean"])
def test_each_broker_subcommand_has_examples(name: str) -> None:
    result = CliRunner().invoke(cli, ["broker", name, "--help"])

    assert result.exit_code == 0
    assert f"accord broker {name}" in result.output


def test_an_unknown_flag_is_a_usage_error_with_exit_2() -> None:
    result = CliRunner().invoke(cli, ["list-environments", "--no-such-flag"])

    assert result.exit_code == 2
