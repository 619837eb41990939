"""``get-pacts``: a provider's pacts by consumer branch, listed or downloaded as files."""

import sys
from pathlib import Path

import click

from accord.broker_client import BrokerClient
from accord.broker_client.provider_pacts import download_pacts, get_pacts, pact_links
from accord.cli.commands._options import output_option
from accord.cli.connection import broker_command
from accord.cli.console import print_json, print_table, say


@click.command(
    "get-pacts",
    short_help="Get a provider's pacts by consumer branch.",
    epilog="""
\b
Examples:
  accord get-pacts --provider Accounts
  accord get-pacts --provider Accounts --branch feat/login --latest -o json | jq -r '.pacts[].href'
  accord get-pacts --provider Accounts --consumer Web --download --download-dir pacts-main
""",
)
@click.option("--provider", required=True, help="The name of the provider.")
@click.option("--consumer", help="Only this consumer's pacts.")
@click.option("--branch", help="The consumer branch (default: each consumer's main branch).")
@click.option("--latest", is_flag=True, help="Only the latest pact of each consumer.")
@click.option("--download", is_flag=True, help="Also save each pact as a file.")
@click.option(
    "--download-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("./pacts"),
    show_default=True,
    help="Where --download saves the pacts (created if missing).",
)
@output_option(["json", "table"], "table")
@broker_command
def get_pacts_command(
    *,
    client: BrokerClient,
    provider: str,
    consumer: str | None,
    branch: str | None,
    latest: bool,
    download: bool,
    download_dir: Path,
    output: str,
) -> None:
    """Get the pacts for a provider, optionally of one consumer and of a consumer branch.

    Without --branch the pacts come from each consumer's main branch. With --download each
    pact is saved as CONSUMER-PROVIDER-VERSION.json, as the official CLI names them. An
    unknown provider or consumer exits 2.
    """
    listing = get_pacts(client, provider, consumer=consumer, branch=branch, latest=latest)
    if download:
        for path in download_pacts(client, listing, download_dir):
            line = f"  → {path}"
            # keep stdout one JSON document for jq
            click.echo(line, file=sys.stderr if output == "json" else None)
    if output == "json":
        print_json(listing)
        return
    links = pact_links(listing)
    if not links:
        say("No pacts found.")
        return
    print_table(
        ["CONSUMER", "TITLE", "LINK"],
        [(link.get("name"), link.get("title"), link.get("href")) for link in links],
    )


COMMANDS = [get_pacts_command]
