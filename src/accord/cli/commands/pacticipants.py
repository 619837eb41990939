"""Pacticipants: ``create-or-update-pacticipant``, ``describe-pacticipant``,
``list-pacticipants``."""

import click

from accord.broker_client import BrokerClient
from accord.broker_client.pacticipants import (
    PacticipantChange,
    create_or_update_pacticipant,
    describe_pacticipant,
    list_pacticipants,
    pacticipants_of,
)
from accord.cli.commands._options import output_option
from accord.cli.connection import broker_command
from accord.cli.console import print_json, print_table, say, success


@click.command(
    epilog="""
\b
Examples:
  accord create-or-update-pacticipant --name Accounts --main-branch main \\
      --repository-url https://github.com/acme/accounts
"""
)
@click.option("--name", required=True, help="Pacticipant name.")
@click.option("--display-name", help="Display name.")
@click.option("--main-branch", help="The main development branch of its repository.")
@click.option("--repository-url", help="The repository URL.")
@output_option(["text", "json"], "text")
@broker_command
def create_or_update_pacticipant_command(
    *,
    client: BrokerClient,
    name: str,
    display_name: str | None,
    main_branch: str | None,
    repository_url: str | None,
    output: str,
) -> None:
    """Create or update a pacticipant."""
    change = PacticipantChange(name, display_name, main_branch, repository_url)
    resource, created = create_or_update_pacticipant(client, change)
    if output == "json":
        print_json(resource)
    else:
        success(f"Pacticipant '{name}' {'created' if created else 'updated'} successfully")


@click.command(
    epilog="""
\b
Examples:
  accord describe-pacticipant --name Accounts
"""
)
@click.option("--name", required=True, help="Pacticipant name.")
@output_option(["text", "table", "json"], "text")
@broker_command
def describe_pacticipant_command(client: BrokerClient, name: str, output: str) -> None:
    """Show one pacticipant."""
    resource = describe_pacticipant(client, name)
    if output == "json":
        print_json(resource)
        return
    for label, key in (
        ("Name", "name"),
        ("Display name", "displayName"),
        ("Main branch", "mainBranch"),
        ("Repository URL", "repositoryUrl"),
    ):
        if resource.get(key) is not None:
            say(f"{label}: {resource[key]}")


@click.command(
    epilog="""
\b
Examples:
  accord list-pacticipants
  accord list-pacticipants -o json | jq -r '.pacticipants[].name'
"""
)
@output_option(["table", "json"], "table")
@broker_command
def list_pacticipants_command(client: BrokerClient, output: str) -> None:
    """List the pacticipants."""
    listing = list_pacticipants(client)
    if output == "json":
        print_json(listing)
        return
    print_table(
        ["NAME", "DISPLAY NAME"],
        [(item.get("name"), item.get("displayName")) for item in pacticipants_of(listing)],
    )


create_or_update_pacticipant_command.name = "create-or-update-pacticipant"
describe_pacticipant_command.name = "describe-pacticipant"
list_pacticipants_command.name = "list-pacticipants"
COMMANDS = [
    create_or_update_pacticipant_command,
    describe_pacticipant_command,
    list_pacticipants_command,
]
