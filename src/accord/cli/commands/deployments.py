"""Record deployments and releases: ``record-deployment``, ``record-undeployment``,
``record-release``, ``record-support-ended``."""

from typing import Any

import click

from accord.broker_client import BrokerClient
from accord.broker_client.deployments import (
    DEPLOYED,
    RELEASED,
    record,
    record_support_ended,
    record_undeployment,
)
from accord.cli.commands._options import output_option
from accord.cli.connection import broker_command
from accord.cli.console import print_json, success

OUTPUTS = ["text", "json", "pretty"]


def _version_of(record: dict[str, Any]) -> str:
    version = record.get("_embedded", {}).get("version")
    return str(version.get("number")) if isinstance(version, dict) else "?"


def _report_recorded(output: str, recorded: dict[str, Any], what: str) -> None:
    """Print the broker's record (json/pretty) or the one-line ``Recorded <what> …`` message.

    Shared by record-deployment and record-release so both speak the same way.
    """
    if output != "text":
        print_json(recorded)
        return
    success(f"Recorded {what} in the Pact Broker.")


@click.command(
    epilog="""
\b
Examples:
  accord record-deployment --pacticipant Accounts --version 2.0.1 --environment production
  accord record-deployment -a Web -e $GIT_SHA --environment test --application-instance blue
"""
)
@click.option("-a", "--pacticipant", required=True, help="The pacticipant that was deployed.")
@click.option("-e", "--version", required=True, help="The version that was deployed.")
@click.option("--environment", required=True, help="The environment it was deployed to.")
@click.option(
    "--application-instance",
    "--target",
    "application_instance",
    help="Which instance, when several of one application run in the environment.",
)
@output_option(OUTPUTS, "text")
@broker_command
def record_deployment_command(
    *,
    client: BrokerClient,
    pacticipant: str,
    version: str,
    environment: str,
    application_instance: str | None,
    output: str,
) -> None:
    """Record a deployment to an environment.

    The version replaces the one deployed before it (per application instance).
    """
    recorded = record(
        client,
        DEPLOYED,
        pacticipant,
        version,
        environment,
        application_instance=application_instance,
    )
    instance = f" (application instance {application_instance})" if application_instance else ""
    what = f"deployment of {pacticipant} version {version} to {environment} environment{instance}"
    _report_recorded(output, recorded, what)


@click.command(
    epilog="""
\b
Examples:
  accord record-undeployment --pacticipant Accounts --environment test
"""
)
@click.option("-a", "--pacticipant", required=True, help="The pacticipant that was undeployed.")
@click.option("--environment", required=True, help="The environment it was removed from.")
@click.option(
    "--application-instance",
    "--target",
    "application_instance",
    help="Which instance was removed, when several were deployed.",
)
@output_option(OUTPUTS, "text")
@broker_command
def record_undeployment_command(
    *,
    client: BrokerClient,
    pacticipant: str,
    environment: str,
    application_instance: str | None,
    output: str,
) -> None:
    """Record an undeployment from an environment."""
    records = record_undeployment(
        client, pacticipant, environment, application_instance=application_instance
    )
    if output != "text":
        print_json({"undeployedVersions": records})
        return
    for ended in records:
        success(
            f"Recorded undeployment of {pacticipant} version {_version_of(ended)} "
            f"from {environment} environment in the Pact Broker"
        )


@click.command(
    epilog="""
\b
Examples:
  accord record-release --pacticipant MobileApp --version 4.2.0 --environment app-store
"""
)
@click.option("-a", "--pacticipant", required=True, help="The pacticipant that was released.")
@click.option("-e", "--version", required=True, help="The version that was released.")
@click.option("--environment", required=True, help="The environment it was released to.")
@output_option(OUTPUTS, "text")
@broker_command
def record_release_command(
    *, client: BrokerClient, pacticipant: str, version: str, environment: str, output: str
) -> None:
    """Record a release to an environment.

    Earlier releases stay supported.
    """
    recorded = record(client, RELEASED, pacticipant, version, environment)
    what = f"release of {pacticipant} version {version} to {environment} environment"
    _report_recorded(output, recorded, what)


@click.command(
    epilog="""
\b
Examples:
  accord record-support-ended --pacticipant MobileApp --version 3.9.0 --environment app-store
"""
)
@click.option("-a", "--pacticipant", required=True, help="The pacticipant.")
@click.option("-e", "--version", required=True, help="The version no longer supported.")
@click.option("--environment", required=True, help="The environment it was released to.")
@output_option(OUTPUTS, "text")
@broker_command
def record_support_ended_command(
    *, client: BrokerClient, pacticipant: str, version: str, environment: str, output: str
) -> None:
    """Record the end of support for a release."""
    records = record_support_ended(client, pacticipant, version, environment)
    if output != "text":
        print_json({"releasedVersions": records})
        return
    success(
        f"Recorded support ended of {pacticipant} version {version} in {environment} "
        "environment in the Pact Broker"
    )


record_deployment_command.name = "record-deployment"
record_undeployment_command.name = "record-undeployment"
record_release_command.name = "record-release"
record_support_ended_command.name = "record-support-ended"
COMMANDS = [
    record_deployment_command,
    record_undeployment_command,
    record_release_command,
    record_support_ended_command,
]
