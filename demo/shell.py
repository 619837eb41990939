"""Run one command of the story as a subprocess, after showing it exactly as it runs."""

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from demo.narration import Narrator, format_command

# variables a surrounding pytest, or the user's own broker settings, must not leak into the story
_DROPPED_PREFIXES = ("PYTEST_", "PACT_BROKER_", "ACCORD_DEMO_", "PACT_URL")


@dataclass(frozen=True)
class CommandResult:
    display: str
    exit_code: int
    output: str


def clean_environment(extra: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without leaking variables, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED_PREFIXES)}
    env["PACT_DO_NOT_TRACK"] = "true"
    env.pop("NO_COLOR", None)
    return env | dict(extra)


class Shell:
    """Runs commands in ``cwd`` with the story's exported variables, narrating each one."""

    def __init__(self, narrator: Narrator, cwd: Path, exported: Mapping[str, str]) -> None:
        self.narrator = narrator
        self.cwd = cwd
        self.exported = dict(exported)

    def shown(self, path: Path) -> str:
        """``path`` relative to the working directory when inside it (as a user types it)."""
        try:
            return str(path.relative_to(self.cwd))
        except ValueError:
            return str(path)

    def run(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        timeout: float = 120.0,
        show_output: bool = True,
    ) -> CommandResult:
        display = format_command(argv, env)
        self.narrator.command(display)
        completed = subprocess.run(
            list(argv),
            cwd=self.cwd,
            env=clean_environment({**self.exported, **(env or {})}),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            check=False,
        )
        if show_output:
            self.narrator.output(completed.stdout)
        return CommandResult(display, completed.returncode, completed.stdout)
