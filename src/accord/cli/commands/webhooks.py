"""Webhooks: ``create-webhook``, ``create-or-update-webhook``, ``test-webhook``,
``delete-webhook``."""

from collections.abc import Callable
from typing import Any

import click

from accord.broker_client import BrokerClient
from accord.broker_client.webhooks import (
    EVENT_FLAGS,
    WebhookSpec,
    create_or_update_webhook,
    create_webhook,
    delete_webhook,
    test_webhook,
)
from accord.cli.connection import broker_command
from accord.cli.console import print_json, success
from accord.cli.variadic import VariadicCommand

HEADER_FLAGS = frozenset({"-H", "--header"})

EXAMPLES = """
\b
Examples:
  accord create-webhook https://ci.example.com/hooks/verify -X POST \\
      -H 'Content-Type: application/json' -d '{"pactUrl": "${pactbroker.pactUrl}"}' \\
      --provider Accounts --contract-requiring-verification-published
"""


def _webhook_options(function: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("url"),
        click.option(
            "-X",
            "--request",
            "method",
            default="POST",
            show_default=True,
            help="The HTTP method the webhook sends.",
        ),
        click.option(
            "-H",
            "--header",
            "headers",
            multiple=True,
            help="A header the webhook sends, as 'Name: value'; repeatable.",
        ),
        click.option("-d", "--data", help="The webhook body (JSON or text)."),
        click.option("--user", help="Basic auth for the webhook: username:password."),
        click.option("--consumer", help="Consumer name."),
        click.option("--consumer-label", help="Consumer label (instead of a name)."),
        click.option("--provider", help="Provider name."),
        click.option("--provider-label", help="Provider label (instead of a name)."),
        click.option("--description", help="Webhook description."),
        click.option("--team-uuid", hidden=True),
        *[
            click.option(f"--{event.replace('_', '-')}", event, is_flag=True, help=f"On {event}.")
            for event in EVENT_FLAGS
        ],
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _spec(url: str, method: str, headers: tuple[str, ...], **options: Any) -> WebhookSpec:
    events = [event for event in EVENT_FLAGS if options.pop(event)]
    return WebhookSpec(url=url, method=method, headers=headers, events=events, **options)


@click.command("create-webhook", cls=VariadicCommand, variadic_flags=HEADER_FLAGS, epilog=EXAMPLES)
@_webhook_options
@broker_command
def create_webhook_command(client: BrokerClient, **options: Any) -> None:
    """Create a webhook.

    Prints the broker's answer as JSON.
    """
    print_json(create_webhook(client, _spec(**options)))


@click.command(
    "create-or-update-webhook",
    cls=VariadicCommand,
    variadic_flags=HEADER_FLAGS,
    epilog="""
\b
Examples:
  accord create-or-update-webhook https://ci.example.com/hook --uuid 8f1c3b0a9d7e4f21a6b5 \\
      --provider Accounts --contract-content-changed
""",
)
@click.option("--uuid", required=True, help="The webhook's uuid (16+ characters).")
@_webhook_options
@broker_command
def create_or_update_webhook_command(client: BrokerClient, uuid: str, **options: Any) -> None:
    """Create or replace a webhook by uuid."""
    print_json(create_or_update_webhook(client, uuid, _spec(**options)))


@click.command(
    "test-webhook",
    epilog="""
\b
Examples:
  accord test-webhook --uuid 8f1c3b0a9d7e4f21a6b5
""",
)
@click.option("--uuid", required=True, help="The webhook's uuid.")
@broker_command
def test_webhook_command(client: BrokerClient, uuid: str) -> None:
    """Run a webhook now.

    Prints the broker's execution report as JSON.
    """
    print_json(test_webhook(client, uuid))


@click.command(
    "delete-webhook",
    epilog="""
\b
Examples:
  accord delete-webhook --uuid 8f1c3b0a9d7e4f21a6b5
""",
)
@click.option("--uuid", required=True, help="The webhook's uuid.")
@broker_command
def delete_webhook_command(client: BrokerClient, uuid: str) -> None:
    """Delete a webhook."""
    delete_webhook(client, uuid)
    success(f"Deleted webhook {uuid}")


COMMANDS = [
    create_webhook_command,
    create_or_update_webhook_command,
    test_webhook_command,
    delete_webhook_command,
]
