"""``generate-uuid``: a fresh UUID to name a webhook with ``create-or-update-webhook``."""

import uuid

import click


@click.command(
    "generate-uuid",
    short_help="Print a UUID for create-or-update-webhook.",
    epilog="""
\b
Examples:
  accord generate-uuid
  accord create-or-update-webhook http://ci/hook --uuid $(accord generate-uuid) \\
      --request POST --contract-content-changed
""",
)
def generate_uuid_command() -> None:
    """Print a random UUID (version 4) for create-or-update-webhook.

    A webhook created with a UUID you chose can be updated by running the same command again,
    which keeps CI scripts idempotent. Only the UUID is printed, so it can be captured in a
    shell variable.
    """
    click.echo(str(uuid.uuid4()))


COMMANDS = [generate_uuid_command]
