"""Where a version being published comes from: CI environment variables first, then git.

Shared by the consumer pytest plugin's publishing and the CLI (``accord publish``,
``accord create-version-tag --tag-with-git-branch``...), so neither depends on the other.

A pact published without a branch cannot be selected by ``mainBranch``/``matchingBranch`` and a
version that is not the commit sha cannot be traced back to code, so publishing fills both in
when they are not given: the CI system's variables win (a CI checkout is often a detached HEAD),
then ``git`` in the project directory.
"""

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

#: Branch variables of common CI systems, most specific first (a pull request's source branch
#: before the branch being built).
BRANCH_VARIABLES = (
    "GITHUB_HEAD_REF",
    "GITHUB_REF_NAME",
    "CI_COMMIT_REF_NAME",
    "BUILDKITE_BRANCH",
    "CIRCLE_BRANCH",
    "BRANCH_NAME",
    "GIT_BRANCH",
)
SHA_VARIABLES = ("GITHUB_SHA", "CI_COMMIT_SHA", "BUILDKITE_COMMIT", "CIRCLE_SHA1", "GIT_COMMIT")


def detect_branch(cwd: Path, env: Mapping[str, str] | None = None) -> str | None:
    """The branch being built, or ``None`` (detached HEAD, not a git checkout, no git)."""
    environ = os.environ if env is None else env
    for name in BRANCH_VARIABLES:
        if environ.get(name):
            return environ[name]
    branch = _git(cwd, "rev-parse", "--abbrev-ref", "HEAD")
    return None if branch in (None, "HEAD") else branch


def detect_commit(cwd: Path, env: Mapping[str, str] | None = None) -> str | None:
    """The full commit sha being built, or ``None``."""
    environ = os.environ if env is None else env
    for name in SHA_VARIABLES:
        if environ.get(name):
            return environ[name]
    return _git(cwd, "rev-parse", "HEAD")


def detect_build_url(env: Mapping[str, str] | None = None) -> str | None:
    """A link to the CI job, when the CI system tells us one."""
    environ = os.environ if env is None else env
    if environ.get("GITHUB_RUN_ID") and environ.get("GITHUB_REPOSITORY"):
        server = environ.get("GITHUB_SERVER_URL", "https://github.com")
        return f"{server}/{environ['GITHUB_REPOSITORY']}/actions/runs/{environ['GITHUB_RUN_ID']}"
    return environ.get("CI_JOB_URL") or environ.get("BUILDKITE_BUILD_URL") or None


def _git(cwd: Path, *args: str) -> str | None:
    try:
        completed = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    output = completed.stdout.strip()
    return output if completed.returncode == 0 and output else None
