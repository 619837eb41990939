"""Wall time of a 500-interaction verification: accord vs ``pact verifier`` vs the floor.

Run from the repository root: ``python -m benchmarks.verifier [--interactions 500 --rounds 5]``.

One pact of N HTTP interactions, each with a provider state (with params) and matching rules
(type, regex, integer, decimal, eachLike, a datetime). The provider (FastAPI, uvicorn, one
process of its own) sets the state up through the state-change URL. Per round, alternating:

* ``pact verifier``  - the reference CLI (``--file --hostname --port --state-change-url``);
* ``accord``         - ``accord.verifier.verify(...)`` over HTTP, same state-change URL;
* ``floor``          - bare ``requests`` replay: the same state-change POSTs and requests on one
                       keep-alive session, reading each body, no matching, no reports;
* ``accord asgi``    - the in-process mode (the app object, Python state handler, no socket).

Reported: the median of each and the ratios of medians.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from accord.testing import free_port, start_process
from accord.verifier import ProviderStates, verify

PACT_CLI = Path(sys.executable).parent / "pact"


def _interaction(n: int) -> dict[str, Any]:
    return {
        "description": f"a request for item {n}",
        "providerStates": [{"name": "an item exists", "params": {"id": n}}],
        "request": {
            "method": "GET",
            "path": f"/items/{n}",
            "headers": {"Accept": "application/json"},
        },
        "response": {
            "status": 200,
            "headers": {"Content-Type": "application/json"},
            "body": {
                "id": n,
                "name": f"item {n}",
                "price": 1.5,
                "tags": ["x"],
                "owner": {"id": 1, "email": "someone@example.com"},
                "createdAt": "2020-01-01T00:00:00",
            },
            "matchingRules": {
                "body": {
                    "$.id": {"matchers": [{"match": "integer"}]},
                    "$.name": {"matchers": [{"match": "regex", "regex": "^item \\d+$"}]},
                    "$.price": {"matchers": [{"match": "decimal"}]},
                    "$.tags": {"matchers": [{"match": "type", "min": 1}]},
                    "$.owner.id": {"matchers": [{"match": "integer"}]},
                    "$.owner.email": {
                        "matchers": [{"match": "regex", "regex": "^[^@]+@[^@]+\\.[a-z]+$"}]
                    },
                    "$.createdAt": {
                        "matchers": [{"match": "timestamp", "timestamp": "yyyy-MM-dd'T'HH:mm:ss"}]
                    },
                },
                "header": {
                    "Content-Type": {
                        "matchers": [{"match": "regex", "regex": "application/json.*"}]
                    }
                },
            },
        },
    }


def write_pact(directory: Path, count: int) -> Path:
    pact = {
        "consumer": {"name": "bench-consumer"},
        "provider": {"name": "bench-provider"},
        "interactions": [_interaction(n) for n in range(1, count + 1)],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }
    path = directory / "bench.json"
    path.write_text(json.dumps(pact))
    return path


def run_reference(pact: Path, port: int) -> float:
    started = time.perf_counter()
    completed = subprocess.run(
        [
            str(PACT_CLI),
            "verifier",
            "--file",
            str(pact),
            "--hostname",
            "127.0.0.1",
            "--port",
            str(port),
            "--state-change-url",
            f"http://127.0.0.1:{port}/_pact/state",
        ],
        capture_output=True,
        env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
        check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit("pact verifier failed:\n" + completed.stdout.decode()[-3000:])
    return elapsed


def run_accord(pact: Path, port: int) -> float:
    started = time.perf_counter()
    verify(
        files=[pact],
        provider_base_url=f"http://127.0.0.1:{port}",
        state_change_url=f"http://127.0.0.1:{port}/_pact/state",
        output=None,
    )
    return time.perf_counter() - started


def run_floor(pact: Path, port: int) -> float:
    """The same HTTP exchanges with nothing else: what any verifier has to pay."""
    started = time.perf_counter()
    document = json.loads(pact.read_text())
    base = f"http://127.0.0.1:{port}"
    with requests.Session() as session:
        for interaction in document["interactions"]:
            state = interaction["providerStates"][0]
            _ = session.post(
                base + "/_pact/state",
                json={"state": state["name"], "params": state["params"], "action": "setup"},
            ).content
            request = interaction["request"]
            _ = session.request(
                request["method"], base + request["path"], headers=request["headers"]
            ).content
    return time.perf_counter() - started


def run_accord_asgi(pact: Path, port: int) -> float:
    from benchmarks.verifier_provider import app, seed

    states = ProviderStates()
    states.add("an item exists", lambda params: seed(int(params["id"])))
    started = time.perf_counter()
    verify(files=[pact], app=app, provider_states=states, output=None)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-reference", action="store_true")
    args = parser.parse_args()
    runs: dict[str, Callable[[Path, int], float]] = {
        "pact verifier": run_reference,
        "accord": run_accord,
        "floor (bare requests)": run_floor,
        "accord asgi (in-process)": run_accord_asgi,
    }
    if args.skip_reference:
        del runs["pact verifier"]
    times: dict[str, list[float]] = {name: [] for name in runs}
    port = free_port()
    argv = [
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
    with tempfile.TemporaryDirectory() as tmp, start_process(argv, port=port):
        pact = write_pact(Path(tmp), args.interactions)
        for run in runs.values():  # warm-up: imports, connections, JIT-free caches
            run(pact, port)
        for round_number in range(args.rounds):
            order = list(runs.items())
            if round_number % 2:
                order.reverse()
            for name, run in order:
                times[name].append(run(pact, port))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"{args.interactions} interactions, {args.rounds} alternated rounds, medians:")
    for name, value in medians.items():
        per = value / args.interactions * 1000
        print(f"  {name:26s} {value:7.3f} s   {per:6.2f} ms/interaction")
    accord = medians["accord"]
    floor = medians["floor (bare requests)"]
    if "pact verifier" in medians:
        print(f"  pact verifier / accord       {medians['pact verifier'] / accord:6.1f}x")
    print(f"  accord / floor               {accord / floor:6.2f}x")
    print(f"  accord asgi / floor          {medians['accord asgi (in-process)'] / floor:6.2f}x")


if __name__ == "__main__":
    main()
