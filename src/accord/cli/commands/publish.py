"""``accord publish``: send pact files to a broker for a consumer version."""

from pathlib import Path
from typing import Any

import click

from accord.broker_client import BrokerClient
from accord.broker_client.publishing import (
    PublishedContract,
    VersionProperties,
    find_pact_files,
    load_contracts,
    publish_contracts,
)
from accord.cli.commands._options import output_option, split_tags
from accord.cli.connection import broker_command
from accord.cli.console import print_json, progress, say, success
from accord.cli.variadic import VariadicCommand
from accord.errors import PublishConfigError
from accord.vcs import detect_branch, detect_build_url, detect_commit

EXAMPLES = """
\b
Examples:
  accord publish pacts/ -a 1.2.3 --branch main -b http://broker:9292
  accord publish 'pacts/*.json' -a $GIT_SHA --tag dev,qa --build-url $CI_JOB_URL
  accord publish pacts/ --auto-detect-version-properties   # version, branch, build URL from CI/git
"""


def _version_properties(
    version: str | None,
    branch: str | None,
    tags: tuple[str, ...],
    build_url: str | None,
    *,
    auto_detect: bool,
    tag_with_git_branch: bool,
    merge: bool,
) -> VersionProperties:
    cwd = Path.cwd()
    if auto_detect or tag_with_git_branch:
        detected_branch = detect_branch(cwd)
        if auto_detect:
            branch = branch or detected_branch
            build_url = build_url or detect_build_url()
            version = version or detect_commit(cwd)
        if tag_with_git_branch and detected_branch:
            tags = (*tags, detected_branch)
    if not version:
        raise PublishConfigError(
            "no consumer version: pass --consumer-app-version (e.g. the git sha), or "
            "--auto-detect-version-properties inside a git checkout or CI job"
        )
    return VersionProperties(
        number=version,
        branch=branch,
        tags=tags,
        build_url=build_url,
        on_conflict="merge" if merge else "overwrite",
    )


@click.command(cls=VariadicCommand, variadic_flags={"-t", "--tag"}, epilog=EXAMPLES)
@click.argument("pact_files_dirs_or_globs", nargs=-1, required=True, metavar="PACTS...")
@click.option("-a", "--consumer-app-version", metavar="VERSION", help="The consumer version.")
@click.option("--branch", metavar="BRANCH", help="Repository branch of the consumer version.")
@click.option(
    "-r",
    "--auto-detect-version-properties",
    is_flag=True,
    help="Detect the branch, commit (as the version, when none is given) and build URL from CI "
    "environment variables or git.",
)
@click.option(
    "-t", "--tag", multiple=True, metavar="TAG[,TAG]", help="Tag(s) for the consumer version."
)
@click.option(
    "--tag-with-git-branch", is_flag=True, help="Tag the consumer version with the git branch."
)
@click.option("--build-url", metavar="URL", help="The build URL that created the pacts.")
@click.option("--merge", is_flag=True, help="Merge with a pact already published for this version.")
@click.option("--validate", is_flag=True, hidden=True)
@click.option("--strict", is_flag=True, hidden=True)
@output_option(["text", "json", "pretty"], "text")
@broker_command
def publish(
    *,
    client: BrokerClient,
    pact_files_dirs_or_globs: tuple[str, ...],
    consumer_app_version: str | None,
    branch: str | None,
    auto_detect_version_properties: bool,
    tag: tuple[str, ...],
    tag_with_git_branch: bool,
    build_url: str | None,
    merge: bool,
    output: str,
    **_ignored: Any,
) -> None:
    """Publish pact files for a consumer version."""
    properties = _version_properties(
        consumer_app_version,
        branch,
        split_tags(tag),
        build_url,
        auto_detect=auto_detect_version_properties,
        tag_with_git_branch=tag_with_git_branch,
        merge=merge,
    )
    contracts = load_contracts(find_pact_files(pact_files_dirs_or_globs))
    with progress("Publishing pacts", len(contracts)) as advance:

        def report(outcome: PublishedContract) -> None:
            advance()
            if output == "text":
                success(
                    f"Pact published successfully for consumer: {outcome.consumer} "
                    f"against provider: {outcome.provider}"
                )
                for notice in outcome.notices:
                    say(f"   {notice}")

        published = publish_contracts(client, contracts, properties, on_published=report)
    if output != "text":
        print_json(
            {
                "consumerVersion": properties.number,
                "branch": properties.branch,
                "tags": list(properties.tags),
                "published": [
                    {
                        "consumer": item.consumer,
                        "provider": item.provider,
                        "notices": list(item.notices),
                        "response": item.response,
                    }
                    for item in published
                ],
            },
            pretty=True,
        )


COMMANDS = [publish]
