"""How the CLI writes: rich text on a terminal, plain text in CI logs, one JSON document for jq.

Colour and progress displays appear only when stdout is a terminal (and ``NO_COLOR`` is unset),
so CI logs and pipes get plain lines. Lines are never wrapped: URLs in them must stay whole.

rich is imported by the first function that writes with it, not with this module: commands
import this module at start-up, and ``print_json`` (the machine output) never needs rich.
"""

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

#: Width used when stdout is not a terminal, wide enough that tables are not squeezed.
PLAIN_WIDTH = 200


def stdout_console() -> "Console":
    """A console on the current ``sys.stdout`` (so test runners that swap it are honoured)."""
    from rich.console import Console

    console = Console(file=sys.stdout, soft_wrap=True, highlight=False)
    if not console.is_terminal:
        console = Console(
            file=sys.stdout, soft_wrap=True, highlight=False, no_color=True, width=PLAIN_WIDTH
        )
    return console


def stderr_console() -> "Console":
    """A console on the current ``sys.stderr``, plain when it is not a terminal."""
    from rich.console import Console

    console = Console(file=sys.stderr, soft_wrap=True, highlight=False)
    if not console.is_terminal:
        console = Console(file=sys.stderr, soft_wrap=True, highlight=False, no_color=True)
    return console


def say(text: str, *, style: str | None = None) -> None:
    """One line of human output (markup in ``text`` is not interpreted)."""
    from rich.markup import escape

    stdout_console().print(escape(text), style=style)


def success(text: str) -> None:
    say(f"✅ {text}", style="green")


def failure(text: str) -> None:
    say(f"❌ {text}", style="red")


def print_json(document: Any, *, pretty: bool = True) -> None:
    """Exactly one JSON document on stdout, nothing else (pipe it to ``jq``)."""
    sys.stdout.write(json.dumps(document, indent=2 if pretty else None, ensure_ascii=False))
    sys.stdout.write("\n")
    sys.stdout.flush()


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A table on stdout (plain columns when stdout is not a terminal)."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(*headers, show_lines=False, header_style="bold")
    for row in rows:
        table.add_row(*(escape("" if cell is None else str(cell)) for cell in row))
    stdout_console().print(table)


@contextmanager
def progress(description: str, total: int) -> Iterator[Any]:
    """A progress bar on a terminal for ``total`` steps; a no-op elsewhere.

    Yields a function to call once per finished step.
    """
    console = stderr_console()
    if not console.is_terminal or total < 2:
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)


@contextmanager
def working(description: str) -> Iterator[None]:
    """A spinner on a terminal while something long runs; nothing elsewhere."""
    console = stderr_console()
    if not console.is_terminal:
        yield
        return
    with console.status(description):
        yield
