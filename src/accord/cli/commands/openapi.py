"""``accord openapi check|diff``: bi-directional contract testing offline, before a push.

The OpenAPI stack (PyYAML, jsonschema, openapi-spec-validator) is imported only when one of
these commands runs, so ``accord --help`` and the other commands start as fast as before.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from accord.cli.commands._options import output_option
from accord.cli.console import print_json, say
from accord.errors import OpenApiError

if TYPE_CHECKING:
    from accord.openapi import Comparison, OpenApiDocument
    from accord.openapi.spec_diff import SpecChange, Usage
    from accord.pact import Pact

INSTALL_HINT = "reinstall accord (`pip install --force-reinstall accord`): it depends on them"


def _openapi_stack() -> Any:
    """Import :mod:`accord.openapi`, or say exactly what is missing and how to get it."""
    try:
        import accord.openapi as stack
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise OpenApiError(
            "accord",
            "",
            f"the OpenAPI libraries are not installed ({exc.name} is missing)",
            INSTALL_HINT,
        ) from exc
    return stack


def _load_document(path: str) -> "OpenApiDocument":
    document: OpenApiDocument = _openapi_stack().load_openapi(path)
    return document


def _load_pacts(paths: tuple[str, ...]) -> list["Pact"]:
    from accord.errors import PactFormatError
    from accord.pact import load_pact

    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    pacts = []
    for file in files:
        try:
            pacts.append(load_pact(file))
        except PactFormatError:
            raise
        except (OSError, ValueError) as exc:
            raise OpenApiError(
                str(file), "", f"is not a readable pact file ({exc})", "give a pact JSON file"
            ) from exc
    return pacts


@click.group(
    "openapi",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""
\b
Examples:
  accord openapi check openapi.yaml pacts/
  accord openapi diff openapi-main.yaml openapi.yaml --pacts pacts/
""",
)
def openapi_group() -> None:
    """Check consumer pacts against a provider's OpenAPI document, without a broker.

    This is bi-directional contract testing offline: the provider describes its API with an
    OpenAPI 3.0 or 3.1 document, and each consumer pact is compared with it statically.
    """


@openapi_group.command(
    "check",
    epilog="""
\b
Examples:
  accord openapi check openapi.yaml pacts/Web-Users.json
  accord openapi check openapi.json pacts/ --strict --output json | jq '.[0].findings'
""",
)
@click.argument("spec", type=click.Path(dir_okay=False))
@click.argument("pacts", nargs=-1, required=True, type=click.Path())
@click.option(
    "--strict",
    is_flag=True,
    help="Treat a response field the document does not list as an error, even without "
    "additionalProperties: false (PactFlow's default).",
)
@output_option(["text", "json"], "text")
def check_command(spec: str, pacts: tuple[str, ...], strict: bool, output: str) -> None:
    """Compare each PACT (a file or a directory of pact files) with the OpenAPI document SPEC.

    The exit code is 0 when every pact is compatible, 1 when one is not (the report names each
    interaction, the JSON path in the pact and the JSON pointer in the document), and 2 when an
    input cannot be read.
    """
    stack = _openapi_stack()
    document = _load_document(spec)
    comparisons: list[Comparison] = [
        stack.compare_pact(document, pact, stack.CompareOptions(strict=strict))
        for pact in _load_pacts(pacts)
    ]
    if output == "json":
        print_json([c.to_json() for c in comparisons])
    else:
        for comparison in comparisons:
            _print_comparison(comparison)
    if not all(c.compatible for c in comparisons):
        click.get_current_context().exit(1)


def _print_comparison(comparison: "Comparison") -> None:
    pair = f"{comparison.consumer} → {comparison.provider}"
    counts = f"{len(comparison.errors)} error(s), {len(comparison.warnings)} warning(s)"
    if comparison.compatible:
        say(
            f"✅ {pair}: {comparison.pact_source} is compatible with {comparison.openapi_source} "
            f"({counts})",
            style="green",
        )
    else:
        say(
            f"❌ {pair}: {comparison.pact_source} is NOT compatible with "
            f"{comparison.openapi_source} ({counts})",
            style="red",
        )
    current = None
    for finding in comparison.findings:
        if finding.interaction != current:
            current = finding.interaction
            operation = f" → {finding.operation}" if finding.operation else ""
            say(f"\n  interaction {finding.interaction!r}{operation}")
        say(
            f"    {finding.severity.value:<7} {finding.code}: {finding.message}",
            style="red" if finding.severity.value == "error" else "yellow",
        )
        say(f"            pact:     {finding.pact_path}")
        if finding.openapi_pointer:
            say(f"            openapi:  {finding.openapi_pointer}")
        say(f"            consumer: {finding.expected}")
        say(f"            provider: {finding.documented}")
    if comparison.findings:
        say("")


@openapi_group.command(
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

    old_document, new_document = _load_document(old), _load_document(new)
    changes = diff_openapi(old_document, new_document)
    pacts = _load_pacts((pacts_dir,)) if pacts_dir else None
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


COMMANDS = [openapi_group]
