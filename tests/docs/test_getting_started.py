"""The getting-started page works as written: its shell blocks run, in order, as a new user would.

The page's ``sh`` blocks (all but those marked ``<!-- not run: why -->``) become one bash script,
run in a copy of ``docs/examples/quickstart`` with the real ``accord`` and ``pytest`` commands.
The only change made to them: the fixed ports of the page (9292 for the broker, 8000 for the
provider) become free ones, and a background server (a line ending in ``&``) is waited for
before the next line runs, as a reader would wait for it to start.
"""

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "getting-started.md"
EXAMPLE = ROOT / "docs" / "examples" / "quickstart"

_BLOCK = re.compile(r"(<!-- not run:[^>]*-->\s*)?```sh\n(.*?)```", re.DOTALL)


def shell_blocks(markdown: str) -> list[str]:
    return [match.group(2) for match in _BLOCK.finditer(markdown) if not match.group(1)]


def commands(blocks: list[str]) -> list[str]:
    """One entry per command: continuation lines joined, blank lines dropped."""
    lines: list[str] = []
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip():
                lines.append(line.strip())
    return lines


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_WAIT = (
    "{python} -c 'import socket,sys,time\n"
    "deadline = time.monotonic() + 60\n"
    "while time.monotonic() < deadline:\n"
    "    try:\n"
    '        socket.create_connection(("127.0.0.1", {port}), 0.5).close(); sys.exit(0)\n'
    "    except OSError: time.sleep(0.1)\n"
    'sys.exit("nothing listens on port {port}")\''
)


def script(lines: list[str], ports: dict[str, int]) -> str:
    out = ["set -euo pipefail", "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT"]
    for written in lines:
        line = written
        for fixed, port in ports.items():
            line = re.sub(rf"\b{fixed}\b", str(port), line)
        out.append(f"printf '%s\\n' {shlex.quote('$ ' + line)}")
        out.append(line)
        if line.endswith("&"):
            found = re.search(r"--port (\d+)", line)
            assert found, f"a background command on the page names no --port: {line}"
            out.append(_WAIT.format(python=sys.executable, port=found.group(1)))
    return "\n".join(out) + "\n"


def test_the_page_runs_only_the_blocks_it_promises() -> None:
    lines = commands(shell_blocks(PAGE.read_text(encoding="utf-8")))
    assert not any(line.startswith("pip install") for line in lines)
    assert any(line.startswith("accord verify") for line in lines)
    assert any(line.startswith("accord can-i-deploy") for line in lines)


@pytest.mark.slow
def test_getting_started_runs_as_written(tmp_path: Path) -> None:
    work = tmp_path / "quickstart"
    shutil.copytree(EXAMPLE, work, ignore=shutil.ignore_patterns("__pycache__"))
    ports = {"9292": free_port(), "8000": free_port()}
    body = script(commands(shell_blocks(PAGE.read_text(encoding="utf-8"))), ports)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PACT_", "ACCORD_", "PYTEST_", "COV_"))
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "-c", body],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"the getting-started commands failed:\n{output[-6000:]}"
    assert (work / "pacts" / "shop-catalog.json").is_file()
    assert "1 passed" in output  # the pytest verification ran the interaction
    assert output.count("Computer says yes") >= 2 or output.lower().count("yes") >= 2, output
