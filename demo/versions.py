"""The version and branch the story publishes with: from git, or demo values outside git."""

import subprocess
from dataclasses import dataclass
from pathlib import Path

DEMO_VERSION = "1.0.0-demo"
DEMO_BRANCH = "main"


@dataclass(frozen=True)
class SourceVersion:
    version: str
    branch: str
    origin: str  # how they were found, for the narration


def _git(repository: Path, *args: str) -> str | None:
    try:
        completed = subprocess.run(
            ["git", *args], cwd=repository, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = completed.stdout.strip()
    return value if completed.returncode == 0 and value else None


def detect_version(repository: Path) -> SourceVersion:
    """The short commit SHA and current branch, as CI would publish them."""
    sha = _git(repository, "rev-parse", "--short", "HEAD")
    if sha is None:
        return SourceVersion(DEMO_VERSION, DEMO_BRANCH, "not a git checkout: demo values")
    branch = _git(repository, "branch", "--show-current") or DEMO_BRANCH
    return SourceVersion(sha, branch, "from git")
