"""``accord openapi diff OLD NEW``: breaking changes between two versions of a document."""

from typing import TYPE_CHECKING

import click

from accord.cli.commands._options import output_option
from accord.cli.commands.openapi._inputs import load_document, load_pacts
from accord.cli.console import print_json, say

if TYPE_CHECKING:
    from accord.openapi.spec_diff import SpecChange, Usage


@click.command(
    "diff",
    epilog="""
\b
Examples:
  accord openapi diff openapi-main.yaml openapi.yaml
  accord openapi diff old.yaml new.yaml --pacts pacts/ --output json
""",
)
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option(
    "--pacts",
    "pacts_dir",
    type=click.Path(),
    help="A directory (or file) of consumer pacts: only breaking changes a consumer relies on "
    "fail the command, and the report names the consumer, the field and the operation.",
)
@output_option(["text", "json"], "text")
def diff_command(old: str, new: str, pacts_dir: str | None, output: str) -> None:
    """List the changes from the OpenAPI document OLD to NEW and say which are breaking.

    The exit code is 1 when a change is breaking (with --pacts: when a consumer relies on a
    breaking change), 0 otherwise, and 2 when a document cannot be read.
    """
    from accord.openapi.spec_diff import diff_openapi, used_by

    old_document, new_document = load_document(old), load_document(new)
    changes = diff_openapi(old_document, new_document)
    pacts = load_pacts((pacts_dir,)) if pacts_dir else None
    usages = {
        index: used_by(change, old_document, pacts) if pacts is not None else []
        for index, change in enumerate(changes)
        if change.breaking
    }
    failing = [i for i in usages if pacts is None or usages[i]]
    if output == "json":
        print_json(
            {
                "breaking": bool(failing),
                "changes": [
                    {
                        **change.to_json(),
                        "usedBy": [u.__dict__ for u in usages.get(i, [])]
                        if pacts is not None
                        else None,
                    }
                    for i, change in enumerate(changes)
                ],
            }
        )
    else:
        _print_changes(changes, usages, pacts is not None)
    if failing:
        click.get_current_context().exit(1)


def _print_changes(
    changes: list["SpecChange"], usages: dict[int, list["Usage"]], with_pacts: bool
) -> None:
    if not changes:
        say("✅ no differences a client could notice")
        return
    for index, change in enumerate(changes):
        if not change.breaking:
            say(f"  change    {change.operation}: {change.message}")
            continue
        used = usages.get(index, [])
        if with_pacts and not used:
            say(
                f"⚠️  breaking, but no consumer uses it: {change.operation}: {change.message}",
                style="yellow",
            )
        elif with_pacts:
            for usage in used:
                say(
                    f"❌ breaking, and consumer {usage.consumer} uses {usage.what} in "
                    f"{change.operation} (interaction {usage.interaction!r}): {change.message}",
                    style="red",
                )
        else:
            say(f"❌ breaking  {change.operation}: {change.message}", style="red")
        say(f"            at {change.pointer}")
