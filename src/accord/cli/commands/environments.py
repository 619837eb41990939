"""Environments: ``create-environment``, ``update-environment``, ``describe-environment``,
``list-environments``, ``delete-environment``."""

from typing import Any

import click

from accord.broker_client import BrokerClient
from accord.broker_client.environments import (
    Contact,
    create_environment,
    delete_environment,
    describe_environment,
    environment_body,
    environments_of,
    list_environments,
    update_environment,
)
from accord.cli.commands._options import output_option
from accord.cli.connection import broker_command
from accord.cli.console import print_json, print_table, say, success


def _contacts(name: str | None, email: str | None) -> list[Contact]:
    if email and not name:
        raise click.UsageError("--contact-email-address needs --contact-name")
    return [Contact(name, email)] if name else []


def _environment_options(function: Any) -> Any:
    for option in reversed(
        [
            click.option("--display-name", help="The display name of the environment."),
            click.option(
                "--production/--no-production",
                default=None,
                help="Whether this is a production environment.",
            ),
            click.option("--contact-name", help="Team or person responsible for it."),
            click.option("--contact-email-address", help="Their email address."),
            output_option(["text", "json", "id"], "text"),
        ]
    ):
        function = option(function)
    return function


@click.command(
    epilog="""
\b
Examples:
  accord create-environment --name production --production
  accord create-environment --name uat --display-name UAT --contact-name 'Team A' -o id
"""
)
@click.option("--name", required=True, help="The environment's unique name (no spaces).")
@_environment_options
@broker_command
def create_environment_command(
    *,
    client: BrokerClient,
    name: str,
    display_name: str | None,
    production: bool | None,
    contact_name: str | None,
    contact_email_address: str | None,
    output: str,
) -> None:
    """Create an environment.

    Versions are deployed or released to environments.
    """
    body = environment_body(
        name,
        display_name=display_name,
        production=bool(production),
        contacts=_contacts(contact_name, contact_email_address),
    )
    created = create_environment(client, body)
    uuid = str(created.get("uuid"))
    if output == "json":
        print_json(created)
    elif output == "id":
        click.echo(uuid)
    else:
        success(f"Created {name} environment in the Pact Broker with UUID {uuid}")


@click.command(
    epilog="""
\b
Examples:
  accord update-environment --uuid 5a3e… --display-name 'Production (EU)' --production
"""
)
@click.option("--uuid", required=True, help="The UUID of the environment to update.")
@click.option("--name", help="A new name.")
@_environment_options
@broker_command
def update_environment_command(
    *,
    client: BrokerClient,
    uuid: str,
    name: str | None,
    display_name: str | None,
    production: bool | None,
    contact_name: str | None,
    contact_email_address: str | None,
    output: str,
) -> None:
    """Update an environment."""
    changes: dict[str, Any] = {}
    if name:
        changes["name"] = name
    if display_name:
        changes["displayName"] = display_name
    if production is not None:
        changes["production"] = production
    contacts = _contacts(contact_name, contact_email_address)
    if contacts:
        changes["contacts"] = [contact.to_json() for contact in contacts]
    updated = update_environment(client, uuid, changes)
    if output == "json":
        print_json(updated)
    elif output == "id":
        click.echo(uuid)
    else:
        success(f"Updated {updated.get('name', name)} environment in the Pact Broker")


@click.command(
    epilog="""
\b
Examples:
  accord describe-environment --uuid 5a3e…
"""
)
@click.option("--uuid", required=True, help="The UUID of the environment.")
@output_option(["text", "json"], "text")
@broker_command
def describe_environment_command(client: BrokerClient, uuid: str, output: str) -> None:
    """Show one environment."""
    environment = describe_environment(client, uuid)
    if output == "json":
        print_json(environment)
        return
    say(f"Name: {environment.get('name')}")
    say(f"Display name: {environment.get('displayName')}")
    say(f"Production: {environment.get('production')}")
    for contact in environment.get("contacts") or []:
        details = contact.get("details") or {}
        email = f" ({details['emailAddress']})" if details.get("emailAddress") else ""
        say(f"Contact: {contact.get('name')}{email}")


@click.command(
    epilog="""
\b
Examples:
  accord list-environments
  accord list-environments -o json | jq -r '._embedded.environments[].name'
"""
)
@output_option(["text", "table", "json", "pretty"], "text")
@broker_command
def list_environments_command(client: BrokerClient, output: str) -> None:
    """List the environments."""
    listing = list_environments(client)
    if output in ("json", "pretty"):
        print_json(listing)
        return
    print_table(
        ["UUID", "NAME", "DISPLAY NAME", "PRODUCTION"],
        [
            (env.get("uuid"), env.get("name"), env.get("displayName"), env.get("production"))
            for env in environments_of(listing)
        ],
    )


@click.command(
    epilog="""
\b
Examples:
  accord delete-environment --uuid 5a3e…
"""
)
@click.option("--uuid", required=True, help="The UUID of the environment to delete.")
@broker_command
def delete_environment_command(client: BrokerClient, uuid: str) -> None:
    """Delete an environment."""
    environment = describe_environment(client, uuid)
    delete_environment(client, uuid)
    success(f"Deleted environment {environment.get('name', uuid)} from the Pact Broker")


create_environment_command.name = "create-environment"
update_environment_command.name = "update-environment"
describe_environment_command.name = "describe-environment"
list_environments_command.name = "list-environments"
delete_environment_command.name = "delete-environment"
COMMANDS = [
    create_environment_command,
    update_environment_command,
    describe_environment_command,
    list_environments_command,
    delete_environment_command,
]
