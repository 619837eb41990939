"""The broker options every broker command shares, named as ``pact broker`` names them.

``-b/--broker-base-url`` (``PACT_BROKER_BASE_URL``), ``-u/--broker-username``,
``-p/--broker-password``, ``-k/--broker-token`` (``PACT_BROKER_USERNAME``/``_PASSWORD``/
``_TOKEN``), ``--custom-header`` and
``--retries`` (``PACT_BROKER_HTTP_RETRIES``). :func:`broker_command` adds them to a command and
hands it a ready :class:`BrokerClient` as ``client``.
"""

import functools
from collections.abc import Callable, Sequence
from typing import Any

import click

from accord.broker_client import BrokerClient
from accord.broker_client.settings import (
    BASE_URL_ENV,
    DEFAULT_RETRIES,
    PASSWORD_ENV,
    RETRIES_ENV,
    TOKEN_ENV,
    USERNAME_ENV,
    BrokerSettings,
)

__all__ = ["BROKER_OPTIONS", "DEFAULT_RETRIES", "broker_command", "make_client"]

BROKER_OPTIONS: tuple[Callable[[Callable[..., Any]], Callable[..., Any]], ...] = (
    click.option(
        "-b",
        "--broker-base-url",
        envvar=BASE_URL_ENV,
        required=True,
        metavar="URL",
        help="The base URL of the Pact Broker [env: PACT_BROKER_BASE_URL].",
    ),
    click.option(
        "-u",
        "--broker-username",
        envvar=USERNAME_ENV,
        metavar="NAME",
        help="Pact Broker basic auth username [env: PACT_BROKER_USERNAME].",
    ),
    click.option(
        "-p",
        "--broker-password",
        envvar=PASSWORD_ENV,
        metavar="PASSWORD",
        help="Pact Broker basic auth password [env: PACT_BROKER_PASSWORD].",
    ),
    click.option(
        "-k",
        "--broker-token",
        envvar=TOKEN_ENV,
        metavar="TOKEN",
        help="Pact Broker bearer token; wins over basic auth [env: PACT_BROKER_TOKEN].",
    ),
    click.option(
        "--custom-header",
        multiple=True,
        metavar="'NAME: VALUE'",
        help="Extra header sent with every request to the broker (repeatable).",
    ),
    click.option(
        "--retries",
        envvar=RETRIES_ENV,
        type=click.IntRange(min=0),
        default=DEFAULT_RETRIES,
        show_default=True,
        help="Retries of requests answered 5xx/408/429 or timed out, with back-off from "
        "0.5 s doubling; each retry is printed, and a refused connection is not retried "
        "[env: PACT_BROKER_HTTP_RETRIES].",
    ),
    click.option(
        "--retry-backoff",
        envvar="ACCORD_BROKER_HTTP_BACKOFF",
        type=click.FloatRange(min=0),
        default=0.5,
        show_default=True,
        help="(accord) First back-off delay in seconds; doubles on each retry "
        "[env: ACCORD_BROKER_HTTP_BACKOFF].",
    ),
)


def parse_custom_headers(values: Sequence[str]) -> dict[str, str]:
    """``'Name: value'`` strings as a header mapping; a malformed one is a usage error."""
    headers = {}
    for value in values:
        name, sep, content = value.partition(":")
        if not sep or not name.strip():
            raise click.BadParameter(
                f"{value!r} is not 'Header-Name: value'", param_hint="--custom-header"
            )
        headers[name.strip()] = content.strip()
    return headers


def make_client(options: dict[str, Any]) -> BrokerClient:
    """A client from the shared options (removed from ``options`` as they are read)."""
    # click has already merged flags and PACT_BROKER_* variables: nothing more from the env
    settings = BrokerSettings.from_env(
        {},
        base_url=options.pop("broker_base_url"),
        username=options.pop("broker_username"),
        password=options.pop("broker_password"),
        token=options.pop("broker_token"),
        retries=options.pop("retries"),
    )
    assert settings.base_url is not None  # a required option
    return BrokerClient(
        settings.base_url,
        auth=settings.auth,
        retries=settings.retries,
        backoff=options.pop("retry_backoff"),
        custom_headers=parse_custom_headers(options.pop("custom_header")),
    )


def broker_command(function: Callable[..., None]) -> Callable[..., None]:
    """Give ``function`` the shared broker options and call it with ``client=``."""

    @functools.wraps(function)
    def with_client(**options: Any) -> None:
        with make_client(options) as client:
            function(client=client, **options)

    decorated: Callable[..., Any] = with_client
    for option in reversed(BROKER_OPTIONS):
        decorated = option(decorated)
    return decorated
