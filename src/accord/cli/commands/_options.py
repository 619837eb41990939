"""Options several commands share with the official CLI (``-o/--output``, tags)."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import click


def output_option(
    choices: Sequence[str], default: str
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``-o/--output`` with the formats the official command accepts (plus any accord adds)."""
    return click.option(
        "-o",
        "--output",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="Output format; json prints one JSON document (for jq).",
    )


def split_tags(values: Iterable[str]) -> tuple[str, ...]:
    """``--tag a,b --tag c`` as ``("a", "b", "c")`` (the official CLI splits on commas)."""
    tags: list[str] = []
    for value in values:
        tags.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(dict.fromkeys(tags))
