"""``accord verify``: replay pacts against a provider, with the flags of ``pact verifier``."""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from click.core import ParameterSource

from accord.cli.broker_retries import DEFAULT_RETRIES
from accord.cli.commands._options import split_tags
from accord.cli.console import stderr_console
from accord.verifier import VerifierConfig, run_verification
from accord.verifier.progress import PactFinished, PactStarted, ProgressEvent, ProgressListener
from accord.verifier.reports.console import render_console

EXAMPLES = """
\b
Examples:
  accord verify -f pacts/web-accounts.json --port 8000
  accord verify --broker-url http://broker:9292 --provider-name Accounts \\
      --hostname 127.0.0.1 --port 8000 --state-change-url http://127.0.0.1:8000/_pact/state \\
      --consumer-version-selectors '{"mainBranch": true}' --enable-pending \\
      --publish --provider-version $GIT_SHA --provider-branch main
\b
Exit codes: 0 all verified (pending failures allowed), 1 a failure, 2 usage error,
3 no pacts found (unless --ignore-no-pacts-error).
"""

_MARKS = {"passed": "✔", "failed": "✘", "pending-failed": "⚠"}
_STYLES = {"passed": "green", "failed": "red", "pending-failed": "yellow"}


def _pact_name(event: PactStarted | PactFinished) -> str:
    version = f" ({event.consumer_version})" if event.consumer_version else ""
    return f"{event.consumer} → {event.provider}{version}"


def started_line(event: PactStarted) -> str:
    """The live line: ``verifying 3/12  web → accounts (1.2.3)``."""
    return f"verifying {event.index}/{event.total}  {_pact_name(event)}"


def finished_line(event: PactFinished) -> str:
    """``✔ web → accounts (1.2.3)  14 interactions  0.21 s``, or ``✘ … 2 failed  …``."""
    count = f"{event.interactions} interaction{'' if event.interactions == 1 else 's'}"
    if event.failed:
        count += f", {event.failed} failed"
    if event.pending_failed:
        count += f", {event.pending_failed} pending failed (not fatal)"
    return f"{_MARKS[event.verdict]} {_pact_name(event)}  {count}  {event.seconds:.2f} s"


def _in_ci() -> bool:
    """CI logs are not terminals even when a runner fakes one: no live line there."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _stderr_surely_plain() -> bool:
    """Whether rich would find stderr non-interactive, decided without importing rich (~40 ms).

    Only the plain case is decided here: stderr is no terminal and none of the variables rich
    honours to force one (``FORCE_COLOR``, ``TTY_COMPATIBLE``, ``TTY_INTERACTIVE``) is set.
    """
    if any(name in os.environ for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")):
        return False
    try:
        return not sys.stderr.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream: rich says plain too
        return True


@contextmanager
def verification_progress() -> Iterator[ProgressListener]:
    """Progress on stderr, so stdout keeps exactly the report.

    On an interactive terminal a live line names the pact being verified and a result line is
    printed as each pact finishes; without a terminal, or in CI, only the result lines appear,
    plain (prefixed ``3/12``), one per pact.
    """
    plain_only = _in_ci() or _stderr_surely_plain()
    console = None if plain_only else stderr_console()  # CI and pipes never need rich's
    if console is None or not console.is_interactive:

        def plain(event: ProgressEvent) -> None:
            if isinstance(event, PactFinished):
                sys.stderr.write(f"{event.index}/{event.total} {finished_line(event)}\n")
                sys.stderr.flush()

        yield plain
        return
    # rich's live display is imported only here: CI and pipes never pay for it
    from rich.live import Live
    from rich.spinner import Spinner
    from rich.text import Text

    spinner = Spinner("dots", text="Verifying pacts…", style="status.spinner")
    with Live(
        spinner, console=console, transient=True, refresh_per_second=12.5, redirect_stdout=False
    ) as display:

        def live(event: ProgressEvent) -> None:
            if isinstance(event, PactStarted):
                spinner.update(text=Text(started_line(event)))
                display.refresh()  # show it now: a pact may finish before the next tick
            else:
                console.print(Text(finished_line(event), style=_STYLES[event.verdict]))
                if event.index == event.total:  # reports and publication are still to come
                    spinner.update(text=Text("Finishing…"))

        yield live


@click.command(epilog=EXAMPLES)
@click.option(
    "-f",
    "--file",
    "files",
    multiple=True,
    help="A pact file to verify; repeat the flag for more files.",
)
@click.option(
    "-d",
    "--dir",
    "dirs",
    multiple=True,
    help="A directory whose pact files for this provider are verified; repeatable.",
)
@click.option(
    "-u",
    "--url",
    "urls",
    multiple=True,
    help="The URL of a pact to verify, e.g. from a webhook; repeatable.",
)
@click.option(
    "-b",
    "--broker-url",
    envvar="PACT_BROKER_BASE_URL",
    help="The broker to ask for the pacts to verify; needs --provider-name. With -f, -d or "
    "-u it is used only to publish results [env: PACT_BROKER_BASE_URL].",
)
@click.option(
    "--webhook-callback-url",
    envvar="PACT_WEBHOOK_CALLBACK_URL",
    help="Verify only the pact a webhook named (its ${pactbroker.pactUrl}); needs --broker-url.",
)
@click.option(
    "--ignore-no-pacts-error",
    is_flag=True,
    help="Exit 0 instead of 3 when no pact was found, e.g. for a provider no consumer uses yet.",
)
@click.option(
    "--user",
    envvar="PACT_BROKER_USERNAME",
    help="The broker's basic-auth user name [env: PACT_BROKER_USERNAME].",
)
@click.option(
    "--password",
    envvar="PACT_BROKER_PASSWORD",
    help="The broker's basic-auth password [env: PACT_BROKER_PASSWORD].",
)
@click.option(
    "-t",
    "--token",
    envvar="PACT_BROKER_TOKEN",
    help="A bearer token for the broker [env: PACT_BROKER_TOKEN].",
)
@click.option(
    "--hostname",
    envvar="PACT_PROVIDER_HOSTNAME",
    help="The host the provider runs on, localhost by default [env: PACT_PROVIDER_HOSTNAME].",
)
@click.option(
    "-p",
    "--port",
    envvar="PACT_PROVIDER_PORT",
    type=int,
    help="The port the provider listens on [env: PACT_PROVIDER_PORT].",
)
@click.option(
    "--transport",
    envvar="PACT_PROVIDER_TRANSPORT",
    default="http",
    show_default=True,
    help="The provider's scheme with --hostname and --port: http or https.",
)
@click.option(
    "--provider-base-url",
    help="The provider's base URL, e.g. http://127.0.0.1:8000; instead of --hostname and --port.",
)
@click.option(
    "-n",
    "--provider-name",
    envvar="PACT_PROVIDER_NAME",
    help="The provider's name, as consumers publish against it [env: PACT_PROVIDER_NAME].",
)
@click.option(
    "--base-path",
    envvar="PACT_PROVIDER_BASE_PATH",
    default="",
    help="A path prefix put before every request path, e.g. /api.",
)
@click.option(
    "--request-timeout",
    envvar="PACT_PROVIDER_REQUEST_TIMEOUT",
    type=click.IntRange(min=1),
    help="Timeout of provider and state-change requests, in milliseconds.",
)
@click.option(
    "-H",
    "--header",
    "headers",
    multiple=True,
    help="A header added to every request, as KEY=VALUE; repeatable.",
)
@click.option(
    "--disable-ssl-verification",
    is_flag=True,
    help="Do not check the provider's TLS certificate (test environments only).",
)
@click.option(
    "-s",
    "--state-change-url",
    envvar="PACT_PROVIDER_STATE_CHANGE_URL",
    help="The URL that sets up provider states: POST {state, params, action} before "
    "each interaction.",
)
@click.option(
    "--state-change-as-query",
    is_flag=True,
    help="Send the state, action and params as query parameters instead of a JSON body.",
)
@click.option(
    "--state-change-teardown",
    is_flag=True,
    help="Also call the state URL with action teardown after each interaction.",
)
@click.option(
    "--strict-states",
    is_flag=True,
    help="(accord) Fail when interactions name provider states but neither --state-change-url "
    "nor a handler can set them up (default: a warning naming the states).",
)
@click.option(
    "--filter-description",
    envvar="PACT_DESCRIPTION",
    help="Verify only interactions whose description matches this regex.",
)
@click.option(
    "--filter-state",
    envvar="PACT_PROVIDER_STATE",
    help="Verify only interactions with a provider state matching this regex.",
)
@click.option(
    "--filter-no-state", is_flag=True, help="Verify only interactions that name no provider state."
)
@click.option(
    "-c", "--filter-consumer", multiple=True, help="Verify only this consumer's pacts; repeatable."
)
@click.option(
    "--publish", is_flag=True, help="Publish the results to the broker; needs --provider-version."
)
@click.option(
    "--provider-version", help="The provider version the results belong to, e.g. the commit sha."
)
@click.option("--build-url", help="A link to the CI build, shown with the published results.")
@click.option(
    "--provider-tags",
    multiple=True,
    help="Tags for the provider version, comma-separated or repeated.",
)
@click.option(
    "--provider-branch",
    help="The provider's branch: selects matchingBranch pacts and is published with results.",
)
@click.option(
    "--consumer-version-tags",
    multiple=True,
    help="Verify the latest pact of each of these consumer tags (prefer selectors).",
)
@click.option(
    "--consumer-version-selectors",
    multiple=True,
    help="Which consumer versions to verify, one JSON object per flag, e.g. "
    "'{\"mainBranch\": true}'.",
)
@click.option(
    "--enable-pending",
    is_flag=True,
    help="A pact this provider never verified cannot fail the build (pending pacts).",
)
@click.option(
    "--include-wip-pacts-since",
    metavar="DATE",
    help="Also verify work-in-progress pacts published since DATE (YYYY-MM-DD).",
)
@click.option(
    "--retries",
    envvar="PACT_BROKER_HTTP_RETRIES",
    type=click.IntRange(min=0),
    default=DEFAULT_RETRIES,
    show_default=True,
    help="Retries of broker requests answered 5xx/408/429 or timed out (a broker that "
    "refuses the connection fails at once) [env: PACT_BROKER_HTTP_RETRIES].",
)
@click.option("--exit-on-first-error", is_flag=True, help="Stop at the first failed interaction.")
@click.option(
    "-j",
    "--json",
    "json_report",
    envvar="PACT_VERIFIER_JSON_REPORT",
    help="Also write the results as JSON to this file.",
)
@click.option(
    "-x",
    "--junit",
    "junit_report",
    envvar="PACT_VERIFIER_JUNIT_REPORT",
    help="Also write the results as JUnit XML to this file.",
)
@click.option(
    "--no-colour",
    "--no-color",
    "no_colour",
    is_flag=True,
    help="Print no ANSI colours (also when NO_COLOR is set).",
)
@click.option("-l", "--loglevel", hidden=True)
def verify(
    *,
    request_timeout: int | None,
    headers: tuple[str, ...],
    provider_tags: tuple[str, ...],
    consumer_version_tags: tuple[str, ...],
    no_colour: bool,
    loglevel: str | None,
    **options: Any,
) -> None:
    """Verify pacts against a provider.

    Flags follow `pact verifier`; results can be published to the broker.
    """
    _check_usage(options)
    colour = sys.stdout.isatty() and not no_colour
    with verification_progress() as on_progress:
        config = VerifierConfig(
            headers=headers,
            provider_tags=split_tags(provider_tags),
            consumer_version_tags=split_tags(consumer_version_tags),
            request_timeout=(request_timeout / 1000.0) if request_timeout else 5.0,
            colour=colour,
            raise_on_failure=False,
            on_progress=on_progress,
            **options,
        )
        result = run_verification(config)
    # the report is written once the live progress line is gone, so the two never interleave
    for line in render_console(result, colour=colour):
        sys.stdout.write(line + "\n")
    click.get_current_context().exit(result.exit_code)


#: Flags that ask the broker which pacts to verify: with one of them, an exported
#: PACT_BROKER_BASE_URL selects pacts even when -f/-d/--url are given too.
_BROKER_SELECTION = (
    "consumer_version_selectors",
    "consumer_version_tags",
    "enable_pending",
    "include_wip_pacts_since",
    "webhook_callback_url",
)


def _check_usage(options: dict[str, Any]) -> None:
    """Usage errors found before any network call, named by their flags (exit 2).

    Also decides where pacts come from: files mean files, so a broker URL that only came
    from the environment is dropped when -f/-d/--url are given without broker selection flags
    (results of --url pacts still go to the broker the pact came from).
    """
    ctx = click.get_current_context()
    if not (options["provider_base_url"] or options["hostname"] or options["port"]):
        raise click.UsageError(
            "no provider address: pass --provider-base-url URL, or --hostname and --port "
            "(env PACT_PROVIDER_HOSTNAME, PACT_PROVIDER_PORT), e.g. "
            "--provider-base-url http://127.0.0.1:8000",
            ctx,
        )
    local = options["files"] or options["dirs"] or options["urls"]
    from_env = ctx.get_parameter_source("broker_url") is ParameterSource.ENVIRONMENT
    selecting = any(
        ctx.params.get(name) and ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
        for name in _BROKER_SELECTION
    )
    if local and from_env and not selecting:
        options["broker_url"] = None
        options["webhook_callback_url"] = None


COMMANDS = [verify]
