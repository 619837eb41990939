"""``accord stub``: serve pacts as an HTTP stub of their provider, like ``pact stub``.

Flags follow the reference ``pact stub`` (pact-stub-server); the stub package is imported only
when the command runs, so ``accord --help`` stays fast.
"""

import json
import signal
import sys
import threading
from collections.abc import Mapping
from typing import Any

import click

from accord.broker_client.settings import BASE_URL_ENV, DEFAULT_RETRIES, RETRIES_ENV, TOKEN_ENV
from accord.errors import StubConfigError

_LOG_LEVELS = ("error", "warn", "info", "debug", "trace", "none")

EPILOG = """
\b
Examples:
  accord stub -f pacts/web-accounts.json
  accord stub -d pacts --port 8080 --cors
  accord stub --broker-url http://broker:9292 --provider-name Accounts \\
      --consumer-name Web --selector '{"mainBranch": true}'
  URL=$(accord stub -f pacts/web-accounts.json | head -n1)   # the first line is the URL
"""


def _selectors(values: tuple[str, ...]) -> list[Mapping[str, Any]]:
    selectors: list[Mapping[str, Any]] = []
    for value in values:
        try:
            selector = json.loads(value)
        except ValueError as exc:
            raise click.BadParameter(
                f"{value!r} is not JSON: {exc}", param_hint="--selector"
            ) from None
        if not isinstance(selector, dict):
            raise click.BadParameter(
                f"{value!r} is not a JSON object such as '{{\"mainBranch\": true}}'",
                param_hint="--selector",
            )
        selectors.append(selector)
    return selectors


def _credentials(user: str | None) -> tuple[str | None, str | None]:
    if user is None:
        return None, None
    name, _, password = user.partition(":")
    return name, password


def _wait_for_signal() -> None:
    """Block until Ctrl-C or SIGTERM: the handlers only set an event, so the server is stopped
    from this thread, never from inside a signal handler."""
    stop = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    while not stop.wait(0.5):
        pass


@click.command(
    "stub",
    short_help="Serve pacts as an HTTP stub of their provider.",
    epilog=EPILOG,
    context_settings={"max_content_width": 100},
)
@click.option("-f", "--file", "files", multiple=True, help="Pact file to serve (repeatable).")
@click.option("-d", "--dir", "dirs", multiple=True, help="Directory of pact files (repeatable).")
@click.option(
    "-e", "--extension", default="json", show_default=True, help="Pact file extension in -d."
)
@click.option("-u", "--url", "urls", multiple=True, help="URL of a pact to serve (repeatable).")
@click.option(
    "-b",
    "--broker-url",
    envvar=BASE_URL_ENV,
    metavar="URL",
    help="Pact Broker to fetch the provider's pacts from; needs --provider-name "
    "[env: PACT_BROKER_BASE_URL].",
)
@click.option(
    "--provider-name",
    "--provider",
    "provider",
    metavar="NAME",
    help="Provider whose pacts the broker serves (its pacts for verification).",
)
@click.option(
    "--consumer-name",
    "--consumer",
    "consumers",
    multiple=True,
    metavar="NAME",
    help="Only the broker's pacts of this consumer; a name or a regex (repeatable).",
)
@click.option(
    "--selector",
    "--consumer-version-selectors",
    "selectors",
    multiple=True,
    metavar="JSON",
    help="(accord) Consumer version selector for the broker, e.g. '{\"mainBranch\": true}' "
    "(repeatable; default: the broker's latest pacts).",
)
@click.option(
    "--user",
    metavar="USER:PASSWORD",
    help="Basic auth for the broker and URLs [default: PACT_BROKER_USERNAME/_PASSWORD].",
)
@click.option("-t", "--token", envvar=TOKEN_ENV, help="Bearer token for the broker and URLs [env].")
@click.option(
    "--retries",
    envvar=RETRIES_ENV,
    type=click.IntRange(min=0),
    default=DEFAULT_RETRIES,
    show_default=True,
    help="Retries of broker requests answered 5xx/408/429 [env: PACT_BROKER_HTTP_RETRIES].",
)
@click.option(
    "-p", "--port", type=click.IntRange(0, 65535), default=0, help="Port [default: a free one]."
)
@click.option("--host", default="127.0.0.1", show_default=True, help="(accord) Address to bind.")
@click.option("-o", "--cors", is_flag=True, help="Answer unmatched OPTIONS with CORS headers.")
@click.option(
    "--cors-referer", is_flag=True, help="Allow the request's Referer as origin instead of *."
)
@click.option(
    "-s",
    "--provider-state",
    metavar="REGEX",
    help="Prefer interactions in a provider state matching this regex.",
)
@click.option(
    "--provider-state-header-name",
    metavar="NAME",
    help="Request header whose value (a regex) picks the provider state for that request.",
)
@click.option(
    "--empty-provider-state",
    is_flag=True,
    help="Count interactions without a provider state as in the requested state.",
)
@click.option(
    "-l",
    "--loglevel",
    type=click.Choice(_LOG_LEVELS, case_sensitive=False),
    default="warn",
    show_default=True,
    help="How much to log. warn: unmatched requests on stderr; info and below: every "
    "request; none: silence.",
)
def stub_command(
    *,
    files: tuple[str, ...],
    dirs: tuple[str, ...],
    extension: str,
    urls: tuple[str, ...],
    broker_url: str | None,
    provider: str | None,
    consumers: tuple[str, ...],
    selectors: tuple[str, ...],
    user: str | None,
    token: str | None,
    retries: int,
    port: int,
    host: str,
    cors: bool,
    cors_referer: bool,
    provider_state: str | None,
    provider_state_header_name: str | None,
    empty_provider_state: bool,
    loglevel: str,
) -> None:
    """Serve pacts as an HTTP stub of their provider, for consumers' own tests.

    Each request is matched with the pacts' request matching rules and answered with the
    matching interaction's response (generators applied). An unmatched request gets a 404
    whose JSON body names the nearest interaction and the differences. The first line on
    stdout is the stub's URL; Ctrl-C or SIGTERM stops it.
    """
    from accord.broker_client.settings import BrokerSettings
    from accord.stub import BrokerPacts, StubOptions, StubServer, load_pacts

    ctx = click.get_current_context()
    from_env = ctx.get_parameter_source("broker_url") is click.core.ParameterSource.ENVIRONMENT
    if broker_url and provider is None:
        if not from_env:
            raise StubConfigError(
                f"--broker-url {broker_url} needs --provider-name NAME: the stub serves the "
                "pacts the broker holds for one provider"
            )
        broker_url = None  # PACT_BROKER_BASE_URL is set for other commands; files were meant
    username, password = _credentials(user)
    settings = BrokerSettings.from_env(
        None, base_url=broker_url, username=username, password=password, token=token
    )
    broker = None
    if broker_url and provider:
        broker = BrokerPacts(
            broker_url, provider, consumers, _selectors(selectors), settings.auth, retries
        )
    if not (files or dirs or urls or broker):
        raise StubConfigError(
            "no pacts to serve: give -f FILE, -d DIR, -u URL or --broker-url with --provider-name"
        )
    pacts = load_pacts(
        files=files, dirs=dirs, urls=urls, extension=extension, broker=broker, auth=settings.auth
    )
    quiet = loglevel.lower() in ("none", "error")
    options = StubOptions(
        cors=cors,
        cors_referer=cors_referer,
        provider_state=provider_state,
        provider_state_header=provider_state_header_name,
        empty_provider_state=empty_provider_state,
    )
    server = StubServer(pacts, options, host=host, port=port, log=None if quiet else _log)
    if loglevel.lower() in ("info", "debug", "trace"):
        server.app.on_answer = _log_answer
    click.echo(server.url)
    sys.stdout.flush()
    click.echo(
        f"Serving {server.interaction_count} interactions of {len(pacts)} pacts at "
        f"{server.url} (Ctrl-C to stop)",
        err=True,
    )
    server.start()
    try:
        _wait_for_signal()
    finally:
        server.stop()


def _log(message: str) -> None:
    click.echo(message, err=True)


def _log_answer(method: str, target: str, status: int) -> None:
    click.echo(f"{method} {target} -> {status}", err=True)


COMMANDS = [stub_command]
