"""The ``accord`` command group: where every command is registered and errors become exit codes.

Exit codes CI can trust: 0 ok, 1 a check failed or the broker refused, 2 a usage or
configuration error (click's own usage errors are 2 as well), 3 no pacts to verify.
"""

import click

from accord.cli.commands import (
    broker,
    can_i_deploy,
    deployments,
    environments,
    pacticipants,
    pacts,
    publish,
    verify,
    versions,
    webhooks,
)
from accord.cli.console import stderr_console
from accord.errors import AccordError

EXAMPLES = """
\b
Examples:
  accord publish pacts/ --consumer-app-version $GIT_SHA --branch main -b http://broker:9292
  accord verify --broker-url http://broker:9292 --provider-name Accounts --port 8000 \\
      --publish --provider-version $GIT_SHA --provider-branch main
  accord can-i-deploy --pacticipant Web --version $GIT_SHA --to-environment production
  accord record-deployment --pacticipant Web --version $GIT_SHA --environment production
  accord broker serve --port 9292 --database-url sqlite:///broker.sqlite

The broker options of each command also come from PACT_BROKER_BASE_URL, PACT_BROKER_USERNAME,
PACT_BROKER_PASSWORD and PACT_BROKER_TOKEN, as with the official `pact broker` CLI.
"""


class AccordGroup(click.Group):
    """A group that reports accord's own errors as one clear line and their exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except AccordError as exc:
            stderr_console().print(f"❌ {exc}", style="red", markup=False)
            ctx.exit(exc.exit_code)


@click.group(
    cls=AccordGroup,
    epilog=EXAMPLES,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="accord", prog_name="accord")
def cli() -> None:
    """Consumer-driven contract testing: publish pacts, verify providers, ask can-i-deploy."""


for module in (
    publish,
    verify,
    can_i_deploy,
    deployments,
    environments,
    pacticipants,
    versions,
    pacts,
    webhooks,
    broker,
):
    for command in module.COMMANDS:
        cli.add_command(command)


def main() -> None:
    """Entry point of the ``accord`` console script."""
    cli(prog_name="accord")
