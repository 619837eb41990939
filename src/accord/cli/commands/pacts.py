"""``list-latest-pact-versions``: the latest pact of every integration."""

import click

from accord.broker_client import BrokerClient
from accord.broker_client.pacts import list_latest_pact_versions, pact_summaries
from accord.cli.commands._options import output_option
from accord.cli.connection import broker_command
from accord.cli.console import print_json, print_table


@click.command(
    "list-latest-pact-versions",
    epilog="""
\b
Examples:
  accord list-latest-pact-versions
  accord list-latest-pact-versions -o json | jq '.pacts | length'
""",
)
@output_option(["table", "json"], "table")
@broker_command
def list_latest_pact_versions_command(client: BrokerClient, output: str) -> None:
    """List the latest pact for each integration."""
    listing = list_latest_pact_versions(client)
    if output == "json":
        print_json(listing)
        return
    print_table(
        ["CONSUMER", "CONSUMER_VERSION", "PROVIDER", "CREATED_AT"],
        [
            (item.consumer, item.consumer_version, item.provider, item.created_at)
            for item in pact_summaries(listing)
        ],
    )


COMMANDS = [list_latest_pact_versions_command]
