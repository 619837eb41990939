"""Versions: ``create-or-update-version``, ``describe-version``, ``create-version-tag``,
``delete-branch``."""

from pathlib import Path

import click

from accord.broker_client import BrokerClient
from accord.broker_client.deployments import DEPLOYED, RELEASED, current
from accord.broker_client.environments import find_environment
from accord.broker_client.versions import (
    branches_of,
    create_or_update_version,
    create_version_tags,
    delete_branch,
    describe_version,
    tags_of,
)
from accord.cli.commands._options import output_option, split_tags
from accord.cli.connection import broker_command
from accord.cli.console import print_json, print_table, say, success
from accord.cli.variadic import VariadicCommand
from accord.errors import PublishConfigError
from accord.vcs import detect_branch


@click.command(
    epilog="""
\b
Examples:
  accord create-or-update-version --pacticipant Web --version $GIT_SHA --branch main --tag dev
"""
)
@click.option("-a", "--pacticipant", required=True, help="The pacticipant name.")
@click.option("-e", "--version", required=True, help="The version number.")
@click.option("--branch", help="The repository branch of the version.")
@click.option("-t", "--tag", multiple=True, help="Tag(s) for the version (comma-separated).")
@output_option(["text", "json"], "text")
@broker_command
def create_or_update_version_command(
    *,
    client: BrokerClient,
    pacticipant: str,
    version: str,
    branch: str | None,
    tag: tuple[str, ...],
    output: str,
) -> None:
    """Create or update a pacticipant version."""
    resource = create_or_update_version(
        client, pacticipant, version, branch=branch, tags=split_tags(tag)
    )
    if output == "json":
        print_json(resource)
    else:
        success(f"Created/updated pacticipant version {version} of {pacticipant}")


def _describe_environment(
    client: BrokerClient,
    pacticipant: str,
    environment: str,
    *,
    deployed: bool,
    released: bool,
    output: str,
) -> None:
    env = find_environment(client, environment)
    both = not deployed and not released
    records = []
    if deployed or both:
        records += [("deployed", r) for r in current(client, DEPLOYED, env, pacticipant)]
    if released or both:
        records += [("released", r) for r in current(client, RELEASED, env, pacticipant)]
    if output == "json":
        print_json(
            {
                "environment": environment,
                "deployedVersions": [r for kind, r in records if kind == "deployed"],
                "releasedVersions": [r for kind, r in records if kind == "released"],
            }
        )
        return
    print_table(
        ["PACTICIPANT", "VERSION", "STATUS", "APPLICATION INSTANCE"],
        [
            (
                pacticipant,
                record.get("_embedded", {}).get("version", {}).get("number"),
                kind,
                record.get("applicationInstance") or "",
            )
            for kind, record in records
        ],
    )


@click.command(
    epilog="""
\b
Examples:
  accord describe-version --pacticipant Web --version 1.2.3
  accord describe-version -a Web --latest prod -o json | jq -r .number
  accord describe-version -a Web --environment production
"""
)
@click.option("-a", "--pacticipant", required=True, help="The pacticipant name.")
@click.option("-e", "--version", help="The version number.")
@click.option(
    "-l",
    "--latest",
    is_flag=False,
    flag_value="",
    metavar="[TAG]",
    help="The latest version (optionally with TAG); the default.",
)
@click.option("--environment", help="Versions currently deployed/released to this environment.")
@click.option("--deployed", is_flag=True, help="Only deployed versions (with --environment).")
@click.option("--released", is_flag=True, help="Only released versions (with --environment).")
@output_option(["table", "json"], "table")
@broker_command
def describe_version_command(
    *,
    client: BrokerClient,
    pacticipant: str,
    version: str | None,
    latest: str | None,
    environment: str | None,
    deployed: bool,
    released: bool,
    output: str,
) -> None:
    """Describe a pacticipant version.

    The latest, unless a version or tag is named.
    """
    if environment:
        _describe_environment(
            client, pacticipant, environment, deployed=deployed, released=released, output=output
        )
        return
    resource = describe_version(client, pacticipant, version=version, latest_tag=latest or None)
    if output == "json":
        print_json(resource)
        return
    print_table(
        ["NAME", "TAGS", "BRANCHES"],
        [(resource.get("number"), ", ".join(tags_of(resource)), ", ".join(branches_of(resource)))],
    )


@click.command(
    cls=VariadicCommand,
    variadic_flags={"-t", "--tag"},
    epilog="""
\b
Examples:
  accord create-version-tag --pacticipant Web --version 1.2.3 --tag prod
  accord create-version-tag -a Web -e $GIT_SHA --tag-with-git-branch --auto-create-version
""",
)
@click.option("-a", "--pacticipant", required=True, help="The pacticipant name.")
@click.option("-e", "--version", required=True, help="The version number.")
@click.option("-t", "--tag", multiple=True, help="Tag name(s) (comma-separated, repeatable).")
@click.option("--auto-create-version", is_flag=True, help="Create the version if it is missing.")
@click.option("-g", "--tag-with-git-branch", is_flag=True, help="Tag with the git branch.")
@broker_command
def create_version_tag_command(
    *,
    client: BrokerClient,
    pacticipant: str,
    version: str,
    tag: tuple[str, ...],
    auto_create_version: bool,
    tag_with_git_branch: bool,
) -> None:
    """Add tags to a pacticipant version."""
    tags = split_tags(tag)
    if tag_with_git_branch:
        branch = detect_branch(Path.cwd())
        if branch:
            tags = (*tags, branch)
    if not tags:
        raise PublishConfigError("no tag to add: pass --tag NAME (or --tag-with-git-branch)")
    for name in create_version_tags(
        client, pacticipant, version, tags, auto_create_version=auto_create_version
    ):
        success(f"Tagged {pacticipant} version {version} with {name}")


@click.command(
    epilog="""
\b
Examples:
  accord delete-branch --pacticipant Web --branch feat/old-login
"""
)
@click.option("--branch", required=True, help="The branch name.")
@click.option("-a", "--pacticipant", required=True, help="The pacticipant it belongs to.")
@click.option(
    "--error-when-not-found",
    type=click.BOOL,
    default=False,
    show_default=True,
    help="Fail if the branch does not exist.",
)
@broker_command
def delete_branch_command(
    *, client: BrokerClient, branch: str, pacticipant: str, error_when_not_found: bool
) -> None:
    """Delete a pacticipant branch.

    Its versions, pacts and results stay.
    """
    if delete_branch(client, pacticipant, branch, error_when_not_found=error_when_not_found):
        success(f"Deleted branch {branch} of {pacticipant}")
    else:
        say(f"Branch {branch} of {pacticipant} was not found; nothing deleted")


create_or_update_version_command.name = "create-or-update-version"
describe_version_command.name = "describe-version"
create_version_tag_command.name = "create-version-tag"
delete_branch_command.name = "delete-branch"
COMMANDS = [
    create_or_update_version_command,
    describe_version_command,
    create_version_tag_command,
    delete_branch_command,
]
