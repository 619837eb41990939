"""``provider-states list``: the provider states a provider's pacts ask it to set up."""

import json

import click

from accord.broker_client import BrokerClient
from accord.broker_client.provider_states import list_provider_states, provider_states_of
from accord.cli.connection import broker_command
from accord.cli.console import print_json, print_table, say


@click.group(
    "provider-states",
    short_help="Manage provider states.",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""
\b
Examples:
  accord provider-states list --provider Accounts
""",
)
def provider_states_group() -> None:
    """Manage provider states: list the ones a provider's pacts use."""


@provider_states_group.command(
    "list",
    short_help="List the provider states a provider's pacts use.",
    epilog="""
\b
Examples:
  accord provider-states list --provider Accounts
  accord provider-states list -r Accounts --branch feat/login
  accord provider-states list -r Accounts --environment production --json \
      | jq '.providerStates[].name'
""",
)
@click.option("-r", "--provider", required=True, help="The name of the provider.")
@click.option("--branch", help="Use the latest pacts of this consumer branch.")
@click.option("--environment", help="Use the pacts of the versions deployed or released here.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document (for jq).")
@broker_command
def list_provider_states_command(
    *,
    client: BrokerClient,
    provider: str,
    branch: str | None,
    environment: str | None,
    as_json: bool,
) -> None:
    """List the provider states a provider must support, with their params and consumers.

    The states come from the latest pact of each consumer's main branch, or of the consumer
    branch given with --branch, or from the consumer versions deployed or released in the
    environment given with --environment (not both). Each state is listed once per set of
    params, naming every consumer that uses it.
    """
    if branch is not None and environment is not None:
        raise click.UsageError("pass --branch or --environment, not both")
    document = list_provider_states(client, provider, branch=branch, environment=environment)
    if as_json:
        print_json(document)
        return
    say(f"Provider States for Provider: {provider}")
    if branch is not None:
        say(f"Branch: {branch}")
    elif environment is not None:
        say(f"Environment: {environment}")
    else:
        say("Scope: Main branch")
    states = provider_states_of(document)
    if not states:
        say("No provider states found.")
        return
    print_table(
        ["Provider State Name", "Consumers", "Parameters"],
        [
            (
                state.name,
                ", ".join(state.consumers),
                "" if state.params is None else json.dumps(state.params, separators=(",", ":")),
            )
            for state in states
        ],
    )


COMMANDS = [provider_states_group]
