"""``list-latest-pact-versions``: the latest pact of every integration; ``pact diff``: what
changed between two versions of a pact."""

import click

from accord.broker_client import BrokerClient
from accord.broker_client.pacts import list_latest_pact_versions, pact_summaries
from accord.cli.commands._options import output_option
from accord.cli.connection import broker_command
from accord.cli.console import print_json, print_table, say


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


@click.group(
    "pact",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""
\b
Examples:
  accord pact diff pacts-main/Web-Accounts.json pacts/Web-Accounts.json
""",
)
def pact_group() -> None:
    """Work with pact files offline: compare two versions of a pact."""


@pact_group.command(
    "diff",
    epilog="""
\b
Examples:
  accord pact diff pacts-main/Web-Accounts.json pacts/Web-Accounts.json
  accord pact diff old.json new.json --output json | jq '.changes[] | select(.asksMore)'
""",
)
@click.argument("old", type=click.Path(dir_okay=False, exists=True))
@click.argument("new", type=click.Path(dir_okay=False, exists=True))
@output_option(["text", "json"], "text")
def pact_diff_command(old: str, new: str, output: str) -> None:
    """List what changed from the pact OLD to the pact NEW: interactions added or removed,
    fields now expected or no longer expected, matching rules removed or tightened.

    The exit code is 1 when the new pact asks more of the provider than the old one (a
    provider verified against OLD could fail NEW), 0 otherwise, and 2 when a file is not a pact.
    """
    from accord.pact import load_pact
    from accord.pact.diff import diff_pacts

    changes = diff_pacts(load_pact(old), load_pact(new))
    asks_more = any(c.asks_more for c in changes)
    if output == "json":
        print_json({"asksMore": asks_more, "changes": [c.to_json() for c in changes]})
    elif not changes:
        say("✅ the pacts ask the same of the provider")
    else:
        for change in changes:
            mark = "❌ asks more" if change.asks_more else "   asks less"
            say(f"{mark}  {change.interaction!r} {change.location}: {change.message}")
    if asks_more:
        click.get_current_context().exit(1)


COMMANDS = [list_latest_pact_versions_command, pact_group]
