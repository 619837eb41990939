"""``accord can-i-deploy`` and ``accord can-i-merge``: ask the broker's matrix, explain a no."""

import os
import re
import time
from collections.abc import Callable
from typing import Any

import click

from accord.broker_client import BrokerClient
from accord.broker_client.client import JsonObject
from accord.broker_client.deployments import get_version
from accord.broker_client.matrix import (
    MatrixQuery,
    VersionSelector,
    deployable,
    explain,
    matrix_rows,
    notices,
    query_matrix,
)
from accord.cli.commands._options import output_option
from accord.cli.connection import broker_command
from accord.cli.console import failure, print_json, print_table, say, stderr_console, success
from accord.cli.selector_args import SelectorCommand, parse_selector_args

CAN_I_DEPLOY_EXAMPLES = """
\b
Examples:
  accord can-i-deploy --pacticipant Web --version 1.2.3 --to-environment production
  accord can-i-deploy -a Web --branch main -a Accounts --latest --to-environment test
  accord can-i-deploy -a Web -e $GIT_SHA --to-environment production \\
      --retry-while-unknown 30 --retry-interval 10 --output json | jq .summary.deployable
\b
Exit codes (as the official CLI): 0 yes, 1 no or unknown (table/text output),
2 usage error; with --output json the exit code is 0 and the verdict is in
.summary.deployable; --dry-run always exits 0.
"""

CAN_I_MERGE_EXAMPLES = """
\b
Examples:
  accord can-i-merge --pacticipant Web --version $GIT_SHA
"""


def _env_ignores() -> list[VersionSelector]:
    names = os.environ.get("PACT_BROKER_CAN_I_DEPLOY_IGNORE", "")
    return [VersionSelector(name.strip()) for name in names.split(",") if name.strip()]


def _ask(
    client: BrokerClient, query: MatrixQuery, retry_while_unknown: int, retry_interval: float
) -> JsonObject:
    """The matrix answer, asked again while a result is still unknown (``deployable: null``)."""
    body = query_matrix(client, query)
    remaining = retry_while_unknown
    while deployable(body) is None and remaining > 0:
        stderr_console().print(
            f"Waiting for verification results to be published "
            f"({remaining} {'retry' if remaining == 1 else 'retries'} left)…",
            markup=False,
        )
        time.sleep(retry_interval)
        remaining -= 1
        body = query_matrix(client, query)
    return body


def _show(body: JsonObject, *, environment: str | None) -> None:
    rows = matrix_rows(body)
    print_table(
        ["CONSUMER", "C.VERSION", "PROVIDER", "P.VERSION", "SUCCESS?", "RESULT"],
        [
            (
                row.consumer,
                row.consumer_version or "unknown",
                row.provider,
                row.provider_version or "unknown",
                "ignored"
                if row.ignored
                else "unknown"
                if row.success is None
                else str(row.success).lower(),
                index if row.verification_url else 0,
            )
            for index, row in enumerate(rows, start=1)
        ],
    )
    verified = [(index, row) for index, row in enumerate(rows, start=1) if row.verification_url]
    if verified:
        say("")
        say("VERIFICATION RESULTS")
        say("--------------------")
        for index, row in verified:
            outcome = "success" if row.success else "failure"
            say(f"{index}. {row.verification_url} ({outcome})")
    verdict = deployable(body)
    reasons = explain(body, environment=environment) if verdict is not True else []
    for text in notices(body):
        if not _said_in(text, reasons):
            say("")
            say(text)
    if reasons:
        say("")
        say("Why not:" if verdict is False else "Why not (results still unknown):")
        for sentence in reasons:
            say(f"  - {sentence}")
    say("")


_URL = re.compile(r"https?://[^\s()]+")


def _said_in(notice: str, reasons: list[str]) -> bool:
    """Whether "Why not" says what this notice says (the same text, or about the same pact).

    The broker explains a "no" both in its notices and in its reason; printed as they come, the
    paragraph above "Why not" repeated it. Each integration is explained once, in "Why not".
    """
    if any(notice.strip() == sentence.strip() for sentence in reasons):
        return True
    urls = [url.rstrip(".,;") for url in _URL.findall(notice)]
    return bool(urls) and all(any(url in sentence for sentence in reasons) for url in urls)


def _check_versions_exist(
    client: BrokerClient, selectors: list[VersionSelector], body: JsonObject
) -> None:
    """A version named by number that the broker does not know is an input error (exit 2).

    Asked only after a "no" whose matrix has no row for that version: the matrix would only
    answer "no pacts or verifications", which reads like a missing verification; this says
    the version does not exist and how to create it.
    """
    rows = matrix_rows(body)
    for selector in selectors:
        if selector.version is None:
            continue
        seen = any(
            (row.consumer, row.consumer_version) == (selector.pacticipant, selector.version)
            or (row.provider, row.provider_version) == (selector.pacticipant, selector.version)
            for row in rows
        )
        if not seen:
            get_version(client, selector.pacticipant, selector.version)


def _check_selected(selectors: list[VersionSelector]) -> None:
    """Each --pacticipant needs a version option after it; otherwise every version is judged."""
    for selector in selectors:
        if not (
            selector.version
            or selector.latest
            or selector.tag
            or selector.branch
            or selector.main_branch
        ):
            raise click.UsageError(
                f"--pacticipant {selector.pacticipant} has no version: add --version VERSION, "
                "--latest [TAG], --branch BRANCH or --main-branch after it, e.g. "
                f"--pacticipant {selector.pacticipant} --version $GIT_SHA"
            )


def _conclude(body: JsonObject, *, output: str, dry_run: bool, environment: str | None) -> None:
    ctx = click.get_current_context()
    if output == "json":
        print_json(body)
        ctx.exit(0)
    _show(body, environment=environment)
    if deployable(body) is True:
        success("Computer says yes \\o/")
        ctx.exit(0)
    failure("Computer says no ¯\\_(ツ)_/¯")
    if dry_run:
        say("📌 Dry run enabled, suppressing failing exit code")
        ctx.exit(0)
    ctx.exit(1)


def verdict_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--retry-while-unknown``, ``--retry-interval`` and ``--dry-run``, as can-i-deploy and
    can-i-merge both take them (the official CLI's names and environment variable)."""
    command = click.option(
        "--dry-run",
        is_flag=True,
        envvar="PACT_BROKER_CAN_I_DEPLOY_DRY_RUN",
        help="Always exit 0, whatever the verdict [env: PACT_BROKER_CAN_I_DEPLOY_DRY_RUN].",
    )(command)
    command = click.option(
        "--retry-interval",
        type=click.FloatRange(min=0),
        default=10.0,
        show_default=True,
        metavar="SECONDS",
        help="Seconds between those retries.",
    )(command)
    return click.option(
        "--retry-while-unknown",
        type=click.IntRange(min=0),
        default=0,
        metavar="TIMES",
        help="Ask again up to TIMES while a verification result is unknown.",
    )(command)


@click.command(cls=SelectorCommand, epilog=CAN_I_DEPLOY_EXAMPLES)
@click.option(
    "-a",
    "--pacticipant",
    multiple=True,
    required=True,
    help="A pacticipant to check; the version options after it apply to it (repeatable).",
)
@click.option("-e", "--version", multiple=True, help="The version of the pacticipant before it.")
@click.option(
    "-l",
    "--latest",
    is_flag=False,
    flag_value="",
    multiple=True,
    metavar="[TAG]",
    help="The latest version of the pacticipant before it (optionally with TAG).",
)
@click.option("--tag", multiple=True, help="The latest version with this tag.")
@click.option("--branch", multiple=True, help="The latest version of this branch.")
@click.option("--main-branch", is_flag=True, help="The latest version of the main branch.")
@click.option("--no-main-branch", hidden=True)
@click.option("--skip-main-branch", hidden=True)
@click.option(
    "--ignore",
    multiple=True,
    help="A pacticipant to ignore (a --version after it ignores only that version) "
    "[env: PACT_BROKER_CAN_I_DEPLOY_IGNORE, comma-separated].",
)
@click.option("--to-environment", metavar="ENVIRONMENT", help="The environment to deploy to.")
@click.option("--to", "to_tag", metavar="TAG", help="The tag of the target (legacy).")
@output_option(["table", "text", "json"], "table")
@verdict_options
@broker_command
def can_i_deploy(
    *,
    client: BrokerClient,
    to_environment: str | None,
    to_tag: str | None,
    output: str,
    retry_while_unknown: int,
    retry_interval: float,
    dry_run: bool,
    **_selector_options: Any,
) -> None:
    """Check if versions can be deployed.

    Asks the broker's matrix; on "no" it prints why, one sentence per failing or
    unverified integration, with the URL to look at.
    """
    ctx = click.get_current_context()
    command = ctx.command
    assert isinstance(command, SelectorCommand)
    parsed = parse_selector_args(ctx.meta["accord.args"], command.valued_option_names())
    ignore = parsed.ignore or _env_ignores()
    if to_environment and to_tag:
        raise click.UsageError("give either --to-environment or --to, not both")
    _check_selected(list(parsed.selectors))
    query = MatrixQuery(
        selectors=parsed.selectors,
        ignore=ignore,
        to_environment=to_environment,
        to_tag=to_tag,
    )
    body = _ask(client, query, retry_while_unknown, retry_interval)
    if deployable(body) is not True:
        _check_versions_exist(client, list(parsed.selectors), body)
    _conclude(body, output=output, dry_run=dry_run, environment=to_environment)


@click.command("can-i-merge", cls=SelectorCommand, epilog=CAN_I_MERGE_EXAMPLES)
@click.option("-a", "--pacticipant", multiple=True, required=True, help="A pacticipant.")
@click.option("-e", "--version", multiple=True, help="The version of the pacticipant before it.")
@output_option(["table", "text", "json"], "table")
@verdict_options
@broker_command
def can_i_merge(
    *,
    client: BrokerClient,
    output: str,
    retry_while_unknown: int,
    retry_interval: float,
    dry_run: bool,
    **_selector_options: Any,
) -> None:
    """Check a version against main branches.

    Compares the version with the main branch of every pacticipant it integrates with.
    """
    ctx = click.get_current_context()
    command = ctx.command
    assert isinstance(command, SelectorCommand)
    parsed = parse_selector_args(ctx.meta["accord.args"], command.valued_option_names())
    query = MatrixQuery(selectors=parsed.selectors, main_branch=True)
    body = _ask(client, query, retry_while_unknown, retry_interval)
    _conclude(body, output=output, dry_run=dry_run, environment=None)


can_i_deploy.name = "can-i-deploy"
COMMANDS = [can_i_deploy, can_i_merge]
