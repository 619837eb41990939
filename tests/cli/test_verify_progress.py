"""accord verify shows each pact's progress on stderr; stdout keeps exactly the report."""

import io
import os
import pty
import re
import select
import subprocess
from pathlib import Path

from cli_support import ACCORD, Accord, accounts_provider, make_pact, write_pact

from accord.testing import serve_app
from accord.verifier import verify

NO_BROKER: dict[str, str | None] = {"PACT_BROKER_BASE_URL": None, "CI": None}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _two_pacts(directory: Path) -> list[Path]:
    """Web's pact matches the provider; Mobile expects a name the provider does not give."""
    return [
        write_pact(directory, make_pact("Web")),
        write_pact(directory, make_pact("Mobile", name="Bob")),
    ]


def _report(pacts: list[Path], url: str) -> str:
    """The console report the verifier itself renders for the same run."""
    buffer = io.StringIO()
    verify(files=pacts, provider_base_url=url, output=buffer, raise_on_failure=False)
    return buffer.getvalue()


def _run_with_terminal_stderr(argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run the real ``accord`` with stderr on a pseudo-terminal; stdout stays a pipe."""
    controller, terminal = pty.openpty()
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=terminal, env=env, text=True
    ) as process:
        os.close(terminal)
        seen = bytearray()
        try:
            while select.select([controller], [], [], 60)[0]:
                try:
                    chunk = os.read(controller, 4096)
                except OSError:  # the terminal closes when the process exits
                    break
                if not chunk:
                    break
                seen.extend(chunk)
            else:
                process.kill()
                raise AssertionError(f"accord verify hung; stderr so far: {seen.decode()!r}")
        finally:
            os.close(controller)
        stdout, _ = process.communicate(timeout=60)
    return process.returncode, stdout, ANSI.sub("", seen.decode())


def _terminal_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true", "TERM": "xterm", **extra}
    for name in ("PACT_BROKER_BASE_URL", "CI", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        if name not in extra:
            env.pop(name, None)
    return env


def test_without_a_terminal_each_finished_pact_gets_one_plain_line_on_stderr(
    accord: Accord, tmp_path: Path
) -> None:
    pacts = _two_pacts(tmp_path / "pacts")
    with serve_app(accounts_provider()) as provider:
        result = accord(
            "verify", "-f", str(pacts[0]), "-f", str(pacts[1]), "--provider-base-url",
            provider.url, env=NO_BROKER,
        )  # fmt: skip
        report = _report(pacts, provider.url)

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"1/2 ✔ Web → Accounts  1 interaction  \d+\.\d\d s", lines[0])
    assert re.fullmatch(r"2/2 ✘ Mobile → Accounts  1 interaction, 1 failed  \d+\.\d\d s", lines[1])
    assert len(lines) == 2
    assert result.stdout == report


def test_on_a_terminal_a_live_line_names_each_pact_and_results_follow(tmp_path: Path) -> None:
    pacts = _two_pacts(tmp_path / "pacts")
    with serve_app(accounts_provider()) as provider:
        argv = [ACCORD, "verify", "-f", str(pacts[0]), "-f", str(pacts[1])]
        code, stdout, stderr = _run_with_terminal_stderr(
            [*argv, "--provider-base-url", provider.url], _terminal_env()
        )
        report = _report(pacts, provider.url)

    assert code == 1
    assert "verifying 1/2  Web → Accounts" in stderr
    assert "verifying 2/2  Mobile → Accounts" in stderr
    assert re.search(r"✔ Web → Accounts  1 interaction  \d+\.\d\d s", stderr)
    assert re.search(r"✘ Mobile → Accounts  1 interaction, 1 failed  \d+\.\d\d s", stderr)
    assert stdout == report


def test_in_ci_a_terminal_gets_plain_lines_and_no_live_line(tmp_path: Path) -> None:
    pacts = _two_pacts(tmp_path / "pacts")
    with serve_app(accounts_provider()) as provider:
        argv = [ACCORD, "verify", "-f", str(pacts[0]), "-f", str(pacts[1])]
        code, _, stderr = _run_with_terminal_stderr(
            [*argv, "--provider-base-url", provider.url], _terminal_env(CI="true")
        )

    assert code == 1
    assert "verifying" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert [line.split("  ")[0] for line in lines] == [
        "1/2 ✔ Web → Accounts",
        "2/2 ✘ Mobile → Accounts",
    ]


def test_a_pact_fetched_by_version_url_shows_the_consumer_version(
    accord: Accord, broker_url: str, tmp_path: Path
) -> None:
    pact = write_pact(tmp_path, make_pact())
    assert accord("publish", str(pact), "-a", "1.2.3", "--branch", "main").exit_code == 0
    url = f"{broker_url}/pacts/provider/Accounts/consumer/Web/version/1.2.3"

    with serve_app(accounts_provider()) as provider:
        result = accord("verify", "--url", url, "--provider-base-url", provider.url, env=NO_BROKER)

    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("1/1 ✔ Web → Accounts (1.2.3)  1 interaction  ")


def test_pacts_for_verification_from_the_broker_show_their_consumer_version(
    accord: Accord, broker_url: str, tmp_path: Path
) -> None:
    """Their URLs are content-addressed; the version comes from the pact's broker links."""
    pact = write_pact(tmp_path, make_pact())
    assert accord("publish", str(pact), "-a", "2.0.1", "--branch", "main").exit_code == 0

    with serve_app(accounts_provider()) as provider:
        result = accord(
            "verify", "--broker-url", broker_url, "--provider-name", "Accounts",
            "--provider-base-url", provider.url,
            "--consumer-version-selectors", '{"mainBranch": true}',
        )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("1/1 ✔ Web → Accounts (2.0.1)  1 interaction  "), result.stderr
