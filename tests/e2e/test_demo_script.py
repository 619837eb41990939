"""``make demo`` as a user runs it: ``demo/run_demo.py`` in a subprocess, start to finish."""

import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from demo.narration import format_command
from demo.shell import CommandResult, clean_environment
from demo.story import StorySurprise, expect

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    workdir = tmp_path_factory.mktemp("demo")
    return subprocess.run(
        [sys.executable, str(REPOSITORY / "demo" / "run_demo.py"), "--workdir", str(workdir)],
        cwd=REPOSITORY,
        env=clean_environment({"NO_COLOR": "1"}),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.mark.slow
def test_the_demo_tells_the_whole_story_and_exits_zero(
    demo_run: subprocess.CompletedProcess[str],
) -> None:
    out = demo_run.stdout

    assert demo_run.returncode == 0, out[-4000:] + demo_run.stderr[-2000:]
    for heading in (
        "1. The consumers test their side and publish pacts",
        "2. The providers verify their consumers' pacts from the broker",
        "3. Release: can-i-deploy, then record the deployment",
        "4. A breaking change: accounts renames `balance` to `amount`",
        "5. An incompatible OpenAPI change: statements renames `description`",
        "6. Where to look",
    ):
        assert heading in out
    assert "The story went as expected" in out


@pytest.mark.slow
def test_the_demo_shows_each_real_command_before_its_outcome(
    demo_run: subprocess.CompletedProcess[str],
) -> None:
    out = re.sub(r" \\\n\s+", " ", demo_run.stdout)  # wrapped commands back on one line

    assert re.search(r"^\$ \S*python\S* -m pytest -q consumers ", out, re.MULTILINE)
    assert re.search(r"^\$ \S*accord publish \S+ --consumer-app-version ", out, re.MULTILINE)
    assert "-p accord.verifier.pytest_plugin" in out
    assert re.search(r"^\$ \S*accord create-environment --name production", out, re.MULTILINE)
    assert out.count("Computer says yes") == 6
    assert re.search(
        r"^\$ \S*accord openapi publish --app providers.statements.app:app ", out, re.M
    )
    assert "Compatible with the pact of mobile" in out
    assert "entries[0].description" in out
    assert "ACCORD_DEMO_BREAKING=1" in out
    assert "Computer says no" in out
    assert "Expected key 'balance' in the body but it was missing" in out


@pytest.mark.slow
def test_the_demo_output_is_plain_text_when_not_on_a_terminal(
    demo_run: subprocess.CompletedProcess[str],
) -> None:
    assert "\033[" not in demo_run.stdout


@pytest.mark.slow
def test_the_demo_leaves_no_broker_running(demo_run: subprocess.CompletedProcess[str]) -> None:
    match = re.search(r"^broker\s+http://127\.0\.0\.1:(\d+)", demo_run.stdout, re.MULTILINE)
    assert match is not None, demo_run.stdout[-2000:]

    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", int(match[1])), 1):
        pass


def test_a_shown_command_can_be_pasted_back_into_a_shell() -> None:
    argv = ["accord", "verify", "--provider-name", "accounts", "--consumer-version-selectors"]
    argv += ['{"mainBranch": true}', "--publish", "--provider-version", "x" * 80]

    shown = format_command(argv, {"ACCORD_DEMO_BREAKING": "1"})

    assert "\\\n" in shown  # long commands are wrapped
    assert shlex.split(shown.replace("\\\n", " ")) == ["ACCORD_DEMO_BREAKING=1", *argv]


def test_an_unexpected_exit_code_names_the_step_and_the_command() -> None:
    result = CommandResult("accord can-i-deploy --pacticipant accounts", 0, "Computer says yes")

    with pytest.raises(StorySurprise, match=r"step 'breaking change'.*exited with 0.*expects 1"):
        expect("breaking change", result, exit_code=1)
