"""Whole-process wall time of the ``accord`` command, side by side with the reference CLI.

Run from the repository root: ``python -m benchmarks.startup [--interactions 200 --rounds 7]``
(``make bench`` runs it). Two figures, each the median of alternated runs (the order flips
every round, so a busy neighbour slows both sides alike):

* start-up: ``accord --version`` against ``python -c pass`` (the interpreter's own floor) and
  the reference ``pact --version`` (pact-python-cli's Rust binary);
* verification: ``accord verify`` on one pact of N HTTP interactions, each with a provider
  state set up through a state-change URL, against ``pact verifier`` with the same flags, the
  same pact and the same provider (FastAPI on uvicorn in a process of its own,
  ``benchmarks/verifier_provider.py``). Both must exit 0: a failing run is not a benchmark.

Every figure is a whole process as a user meets it, start-up and report included.
"""

import argparse
import compileall
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from accord.testing import free_port, start_process
from benchmarks.verifier import write_pact

BIN = Path(sys.executable).parent
ACCORD = BIN / "accord"
PACT = BIN / "pact"
QUIET_ENV = {**os.environ, "PACT_DO_NOT_TRACK": "true"}


def wall_time(argv: Sequence[str]) -> float:
    """Seconds ``argv`` takes from start to exit; a non-zero exit stops the benchmark."""
    started = time.perf_counter()
    completed = subprocess.run(argv, capture_output=True, env=QUIET_ENV, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        output = (completed.stdout + completed.stderr).decode(errors="replace")[-3000:]
        raise SystemExit(f"{' '.join(map(str, argv))} exited {completed.returncode}:\n{output}")
    return elapsed


def alternated(commands: dict[str, list[str]], rounds: int) -> dict[str, float]:
    """The median wall time of each command over ``rounds`` rounds, order flipped each round."""
    for argv in commands.values():  # warm-up: file caches, .pyc files
        wall_time(argv)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_number in range(rounds):
        order = list(commands.items())
        if round_number % 2:
            order.reverse()
        for name, argv in order:
            times[name].append(wall_time(argv))
    return {name: statistics.median(values) for name, values in times.items()}


def startup_figures(rounds: int) -> dict[str, float]:
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "accord --version": [str(ACCORD), "--version"],
        "accord --help": [str(ACCORD), "--help"],
        "pact verifier --version (reference)": [str(PACT), "verifier", "--version"],
    }
    return alternated(commands, rounds)


def verify_figures(interactions: int, rounds: int) -> dict[str, float]:
    port = free_port()
    provider = [
        sys.executable,
        "-m",
        "uvicorn",
        "benchmarks.verifier_provider:app",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    target = ["--hostname", "127.0.0.1", "--port", str(port)]
    states = ["--state-change-url", f"http://127.0.0.1:{port}/_pact/state"]
    with tempfile.TemporaryDirectory() as tmp, start_process(provider, port=port):
        pact = str(write_pact(Path(tmp), interactions))
        commands = {
            "accord verify": [str(ACCORD), "verify", "--file", pact, *target, *states],
            "pact verifier (reference)": [str(PACT), "verifier", "--file", pact, *target, *states],
        }
        return alternated(commands, rounds)


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages: figures from a busy machine are not a quiet
    machine's, and the report says which it was."""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def report(
    startup: dict[str, float], verify: dict[str, float], interactions: int, loads: list[str]
) -> None:
    """The figures as Markdown, ready for docs/benchmarks.md."""
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"load average (1/5/15 min) at start, between the parts, at the end: {'; '.join(loads)}")
    print("\n| start-up (whole process) | median wall |\n|---|---|")
    for name, seconds in startup.items():
        print(f"| `{name}` | {seconds * 1000:.0f} ms |")
    floor = startup["python -c pass"]
    version = startup["accord --version"]
    print(f"\n`accord --version` / `python -c pass`: {version / floor:.1f}x")
    print(f"`accord --version` above the interpreter's floor: {(version - floor) * 1000:.0f} ms")
    print(f"\n| verify {interactions} interactions (whole process) | median wall |\n|---|---|")
    for name, seconds in verify.items():
        print(f"| `{name}` | {seconds:.3f} s |")
    ratio = verify["pact verifier (reference)"] / verify["accord verify"]
    print(f"\n`pact verifier` / `accord verify`: {ratio:.1f}x")


def compile_bytecode() -> None:
    """Write every accord module's ``.pyc`` before measuring, as an installed package has them.

    A source tree edited under ``PYTHONDONTWRITEBYTECODE`` (set in many dev and CI shells) would
    otherwise recompile each changed module in every timed run: tens of milliseconds that no
    user of an installed accord pays.
    """
    import accord

    compileall.compile_dir(Path(accord.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    compile_bytecode()
    loads = [load_average()]
    startup = startup_figures(args.rounds * 3)
    loads.append(load_average())
    verify = verify_figures(args.interactions, args.rounds)
    loads.append(load_average())
    report(startup, verify, args.interactions, loads)


if __name__ == "__main__":
    main()
