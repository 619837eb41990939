"""``delete-version-tag``: take a tag off a pacticipant version."""

import click

from accord.broker_client import BrokerClient
from accord.broker_client.versions import delete_version_tag
from accord.cli.connection import broker_command
from accord.cli.console import say, success


@click.command(
    "delete-version-tag",
    epilog="""
\b
Examples:
  accord delete-version-tag --pacticipant Web --version 1.2.3 --tag prod
  accord delete-version-tag -a Web -e $GIT_SHA -t feat-login
""",
)
@click.option("-a", "--pacticipant", required=True, help="The pacticipant name.")
@click.option("-e", "--version", required=True, help="The pacticipant version.")
@click.option("-t", "--tag", required=True, help="The tag to delete from the version.")
@broker_command
def delete_version_tag_command(
    *, client: BrokerClient, pacticipant: str, version: str, tag: str
) -> None:
    """Delete a tag from a pacticipant version.

    The version, its pacts and its other tags stay. A tag that is not there (or a version or
    pacticipant the broker does not know) is reported and the command still exits 0, as the
    official `pact broker delete-version-tag` does, so a cleanup step can run twice.
    """
    if delete_version_tag(client, pacticipant, version, tag):
        success(f"Deleted tag '{tag}' from version '{version}' of pacticipant '{pacticipant}'")
    else:
        say(
            f"Tag '{tag}' for version '{version}' of pacticipant '{pacticipant}' was not found "
            "(it may have been deleted already); nothing deleted"
        )


COMMANDS = [delete_version_tag_command]
