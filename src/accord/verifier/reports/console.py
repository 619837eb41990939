"""The human report: per pact and interaction a verdict, then each failure explained.

A failure names the part (status, header, body...), the path inside it, what was expected and
what came back, and for bodies a unified diff, so nobody needs a debug rerun to see what broke.
Warnings (a generator that kept its example value) show under the interaction's verdict line,
passed or not, and again in its failure explanation, where they often are the cause.
"""

import difflib
import json
from collections.abc import Iterable
from typing import Any

from accord.verifier.previews import byte_preview, printable
from accord.verifier.results import InteractionResult, PactResult, VerificationResult

_MARKS = {"passed": "OK", "failed": "FAILED", "pending": "FAILED (pending)"}
_COLOURS = {"passed": "\x1b[32m", "failed": "\x1b[31m", "pending": "\x1b[33m"}
_RESET = "\x1b[0m"


# past this many characters a value is cut: a binary body's Base64 would fill the screen
_LONGEST_VALUE = 200


def _show(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return byte_preview(value)
    if isinstance(value, str):
        shown = repr(value)
    else:
        # default=repr: a value of a type JSON does not know is shown, never a crash
        shown = json.dumps(value, ensure_ascii=False, sort_keys=True, default=repr)
    if len(shown) > _LONGEST_VALUE:
        return f"{shown[:_LONGEST_VALUE]}… ({len(shown)} characters)"
    return shown


def body_diff_lines(result: InteractionResult) -> list[str]:
    if result.body_diff is None:
        return []
    return list(
        difflib.unified_diff(
            result.body_diff.expected.splitlines(),
            result.body_diff.actual.splitlines(),
            fromfile="expected body",
            tofile="actual body",
            lineterm="",
        )
    )


def warning_lines(result: InteractionResult, indent: str = "    ") -> list[str]:
    """One ``warning:`` line per thing the verifier did that the user should know about."""
    return [f"{indent}warning: {warning}" for warning in result.warnings]


def comment_lines(result: InteractionResult, indent: str = "    ") -> list[str]:
    """What the consumer wrote about the interaction (V4 comments): its test name, then each
    comment, so the verdict can be traced back to the consumer test that made it."""
    lines = [f"{indent}test name: {result.test_name}"] if result.test_name else []
    lines.extend(f"{indent}comment: {comment}" for comment in result.comments)
    return lines


def failure_lines(result: InteractionResult, indent: str = "    ") -> list[str]:
    """What went wrong with one interaction: its warnings first (a generator that kept the
    example value usually explains the mismatches), then one line per mismatch and the body
    diff. Control characters a body carried are escaped (``\x1b``): raw, they would repaint
    a terminal and make a JUnit file unreadable."""
    lines = warning_lines(result, indent)
    if result.error is not None:
        lines.append(f"{indent}error: {result.error}")
    for mismatch in result.mismatches:
        where = f"{mismatch.attribute} {mismatch.path}".rstrip()
        lines.append(f"{indent}{where}: {mismatch.message}")
        lines.append(
            f"{indent}    expected {_show(mismatch.expected)}, actual {_show(mismatch.actual)}"
        )
    diff = body_diff_lines(result)
    if diff:
        lines.append(f"{indent}body diff:")
        lines.extend(f"{indent}  {line}" for line in diff)
    return [printable(line) for line in lines]


def _pact_header(pact: PactResult) -> str:
    extra = []
    if pact.pending:
        extra.append("pending")
    if pact.wip:
        extra.append("WIP")
    suffix = f" [{', '.join(extra)}]" if extra else ""
    return f"Verifying a pact between {pact.consumer} and {pact.provider}{suffix}  ({pact.source})"


def render_console(result: VerificationResult, *, colour: bool = False) -> Iterable[str]:
    """The lines of the console report (no trailing newlines)."""

    def paint(outcome: str, text: str) -> str:
        return f"{_COLOURS[outcome]}{text}{_RESET}" if colour else text

    for pact in result.pacts:
        yield ""
        yield _pact_header(pact)
        for notice in pact.notices:
            if notice.get("when") == "before_verification":
                yield f"  notice: {notice.get('text', '')}"
        for interaction in pact.interactions:
            given = f" (given {', '.join(interaction.states)})" if interaction.states else ""
            mark = paint(interaction.outcome, _MARKS[interaction.outcome])
            yield f"  {interaction.description}{given} ... {mark}"
            yield from comment_lines(interaction)
            yield from warning_lines(interaction)
    failed = result.failures
    pending = result.pending_failures
    for title, items in (("Failures:", failed), ("Pending failures (not fatal):", pending)):
        if not items:
            continue
        yield ""
        yield title
        for number, interaction in enumerate(items, start=1):
            yield ""
            yield f"{number}) {interaction.test_id}"
            yield from failure_lines(interaction)
    for publication in result.publications:
        state = "published" if publication.published else "NOT published"
        yield f"Verification results {state} for {publication.pact_source}: {publication.detail}"
    yield ""
    yield result.summary()
