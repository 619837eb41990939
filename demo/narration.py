"""How the demo talks: step headings, the exact commands it runs, their output, verdicts.

Colours only on a terminal (and never with ``NO_COLOR`` set), so the output pasted into a note
or read by a test is plain text.
"""

import os
import shlex
from collections.abc import Mapping, Sequence
from typing import TextIO

_STYLES = {
    "bold": "1",
    "dim": "2",
    "command": "36",
    "ok": "32",
    "bad": "31",
    "heading": "1;35",
}
COMMAND_WIDTH = 96


def wants_colour(stream: TextIO) -> bool:
    """Colour on a TTY, unless ``NO_COLOR`` says otherwise (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def format_command(argv: Sequence[str], env: Mapping[str, str] | None = None) -> str:
    """A shell command a reader can copy: ``KEY=value`` prefixes, quoting, ``\\`` wrapping.

    Lines wrap before an option (kept together with its value) once they grow past
    ``COMMAND_WIDTH``.
    """
    words = [f"{key}={shlex.quote(value)}" for key, value in (env or {}).items()]
    words += [shlex.quote(arg) for arg in argv]
    units: list[str] = []
    for word in words:
        if units and units[-1].startswith("-") and " " not in units[-1] and word[0] != "-":
            units[-1] += " " + word  # an option and its value stay on one line
        else:
            units.append(word)
    lines: list[str] = []
    line = ""
    for unit in units:
        if line and len(line) + len(unit) + 1 > COMMAND_WIDTH - 2:
            lines.append(line)
            line = "    " + unit
        else:
            line = f"{line} {unit}" if line else unit
    lines.append(line)
    return " \\\n".join(lines)


class Narrator:
    """Writes the story to ``stream``; ``colour`` decides ANSI styling."""

    def __init__(self, stream: TextIO, *, colour: bool) -> None:
        self.stream = stream
        self.colour = colour

    def _style(self, text: str, style: str) -> str:
        if not self.colour:
            return text
        return f"\033[{_STYLES[style]}m{text}\033[0m"

    def _write(self, text: str = "") -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def title(self, text: str) -> None:
        self._write(self._style(text, "bold"))

    def step(self, number: int, text: str) -> None:
        self._write()
        self._write(self._style(f"━━ {number}. {text} ", "heading") + self._style("━" * 20, "dim"))

    def say(self, text: str) -> None:
        self._write(text)

    def command(self, display: str) -> None:
        self._write()
        for index, line in enumerate(display.splitlines()):
            prefix = "$ " if index == 0 else "  "
            self._write(self._style(prefix + line, "command"))

    def output(self, text: str) -> None:
        for line in text.rstrip().splitlines():
            self._write(self._style("    " + line, "dim"))

    def good(self, text: str) -> None:
        self._write(self._style("✔ " + text, "ok"))

    def bad(self, text: str) -> None:
        self._write(self._style("✘ " + text, "bad"))
