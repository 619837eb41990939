"""``accord openapi check SPEC PACT...``: the broker's comparison, offline."""

from typing import TYPE_CHECKING

import click

from accord.cli.commands._options import output_option
from accord.cli.commands.openapi._inputs import load_document, load_pacts, openapi_stack
from accord.cli.console import print_json, say

if TYPE_CHECKING:
    from accord.openapi import Comparison


@click.command(
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
    stack = openapi_stack()
    document = load_document(spec)
    comparisons: list[Comparison] = [
        stack.compare_pact(document, pact, stack.CompareOptions(strict=strict))
        for pact in load_pacts(pacts)
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
