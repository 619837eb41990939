"""Broker throughput with 1 and 2 worker processes (issue #19): publications and
for-verification requests per second, from 4 concurrent clients, on a fresh SQLite or
PostgreSQL database. ``python -m benchmarks.broker_workers [--database-url URL] [--rounds N]``;
the figures go to docs/benchmarks.md.

Each run starts ``accord broker serve --workers N`` on a fresh database and measures only
once every worker has logged that it started: spawned workers import the whole broker, and
requests sent while the second one still imports are served by the first alone, on a CPU the
importer shares. Besides the rates, each run reports the publications' latencies and how many
write transactions lost a race and ran again (the broker logs each one).
"""

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests

from accord.testing import free_port

CLIENTS = 4
STARTED = "Application startup complete"
RETRIED = "lost a race and runs again"


def _pact(n: int) -> dict[str, object]:
    return {
        "consumer": {"name": f"Web{n % 8}"},
        "provider": {"name": "Accounts"},
        "interactions": [
            {
                "description": f"request {n}",
                "request": {"method": "GET", "path": f"/accounts/{n}"},
                "response": {"status": 200, "body": {"id": n}},
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


def _publish(session: requests.Session, base: str, n: int) -> None:
    pact = _pact(n)
    body = {
        "pacticipantName": pact["consumer"]["name"],  # type: ignore[index]
        "pacticipantVersionNumber": str(n),
        "branch": "main",
        "contracts": [
            {
                "consumerName": pact["consumer"]["name"],  # type: ignore[index]
                "providerName": "Accounts",
                "specification": "pact",
                "contentType": "application/json",
                "content": base64.b64encode(json.dumps(pact).encode()).decode(),
            }
        ],
    }
    answer = session.post(base + "/contracts/publish", json=body, timeout=60)
    answer.raise_for_status()


def _for_verification(session: requests.Session, base: str, _n: int) -> None:
    body = {"consumerVersionSelectors": [{"mainBranch": True}], "includePendingStatus": True}
    answer = session.post(base + "/pacts/provider/Accounts/for-verification", json=body, timeout=60)
    answer.raise_for_status()


@dataclass(frozen=True)
class Phase:
    rate: float
    """Requests per second."""
    latencies: list[float]
    """Seconds, one per request."""

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _phase(call: object, base: str, count: int) -> Phase:
    """``count`` calls from ``CLIENTS`` threads, each a new connection (as CI jobs make)."""

    def timed(n: int) -> float:
        started = time.perf_counter()
        with requests.Session() as session:
            call(session, base, n)  # type: ignore[operator]
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        latencies = list(pool.map(timed, range(count)))
    return Phase(count / (time.perf_counter() - started), latencies)


@dataclass(frozen=True)
class Cpu:
    """CPU time of the broker's processes, and time their threads waited for a CPU."""

    running: float = 0.0
    waiting: float = 0.0

    def __sub__(self, other: "Cpu") -> "Cpu":
        return Cpu(self.running - other.running, self.waiting - other.waiting)


@dataclass(frozen=True)
class Run:
    workers: int
    publish: Phase
    read: Phase
    retries: int
    publish_cpu: Cpu


def _wait_until_started(log: Path, workers: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while log.read_text(errors="replace").count(STARTED) < workers:
        if process.poll() is not None:
            raise RuntimeError(f"the broker exited:\n{log.read_text()[-4000:]}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{workers} workers did not start:\n{log.read_text()[-4000:]}")
        time.sleep(0.05)


def _broker_cpu(pid: int) -> Cpu:
    """The broker (``pid``) and its workers' CPU and run-queue time, from ``/proc`` (Linux;
    zero elsewhere). A run-queue time far above the CPU time means the machine, not the
    broker, set the pace."""
    proc = Path("/proc")
    if not (proc / str(pid)).exists():
        return Cpu()
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    for entry in proc.iterdir():
        try:
            if entry.name.isdigit() and int(_stat(entry)[1]) == pid:
                pids.append(int(entry.name))
        except OSError:
            continue  # gone meanwhile
    running = waiting = 0.0
    for member in pids:
        try:
            fields = _stat(proc / str(member))
            running += (int(fields[11]) + int(fields[12])) / tick
            for task in (proc / str(member) / "task").iterdir():
                waiting += int((task / "schedstat").read_text().split()[1]) / 1e9
        except OSError:
            continue
    return Cpu(running, waiting)


def _stat(entry: Path) -> list[str]:
    """The fields of ``/proc/PID/stat`` after the command name (state first)."""
    return (entry / "stat").read_text().rsplit(")", 1)[1].split()


def run(workers: int, database_url: str | None, publications: int, reads: int) -> Run:
    with tempfile.TemporaryDirectory() as directory:
        url = database_url or f"sqlite:///{directory}/broker.sqlite"
        port = free_port()
        log = Path(directory) / "broker.log"
        argv = [sys.executable, "-m", "accord_broker", "--port", str(port), "--no-access-log"]
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [*argv, "--workers", str(workers), "--database-url", url],
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_until_started(log, workers, process)
            base = f"http://127.0.0.1:{port}"
            before = _broker_cpu(process.pid)
            publish = _phase(_publish, base, publications)
            publish_cpu = _broker_cpu(process.pid) - before
            read = _phase(_for_verification, base, reads)
        finally:
            process.terminate()
            process.wait(timeout=60)
        retries = log.read_text(errors="replace").count(RETRIED)
    return Run(workers, publish, read, retries, publish_cpu)


def _fresh_postgres(admin_url: str, name: str) -> str:
    """Create database ``name`` on the server of ``admin_url`` (dropped first); its URL."""
    import psycopg

    dsn = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def _report(found: Run) -> str:
    pub, read = found.publish, found.read
    return (
        f"workers={found.workers}: publish {pub.rate:.0f}/s "
        f"(p50 {pub.percentile(0.5) * 1000:.0f} ms, p95 {pub.percentile(0.95) * 1000:.0f} ms, "
        f"max {max(pub.latencies) * 1000:.0f} ms, {found.retries} retried writes, broker CPU "
        f"{found.publish_cpu.running / len(pub.latencies) * 1000:.1f} ms a publication, "
        f"waiting for a CPU {found.publish_cpu.waiting:.1f} s), "
        f"for-verification {read.rate:.0f}/s (p50 {read.percentile(0.5) * 1000:.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL server's admin URL: each run gets a fresh database on it "
        "(default: a fresh SQLite file)",
    )
    parser.add_argument("--publications", type=int, default=300)
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=1, help="alternated 1/2-worker rounds")
    args = parser.parse_args()
    found: dict[int, list[Run]] = {1: [], 2: []}
    for round_number in range(args.rounds):
        order = (1, 2) if round_number % 2 == 0 else (2, 1)  # alternate: the load drifts
        for workers in order:
            url = args.database_url
            if url is not None:
                url = _fresh_postgres(url, f"accord_bench_workers_{workers}")
            result = run(workers, url, args.publications, args.reads)
            found[workers].append(result)
            print(_report(result), flush=True)
    publish = {n: statistics.median(r.publish.rate for r in runs) for n, runs in found.items()}
    read = {n: statistics.median(r.read.rate for r in runs) for n, runs in found.items()}
    for n in (1, 2):
        print(f"median workers={n}: publish {publish[n]:.0f}/s, for-verification {read[n]:.0f}/s")
    print(
        f"ratio 2/1: publish {publish[2] / publish[1]:.2f}x, "
        f"for-verification {read[2] / read[1]:.2f}x"
    )


if __name__ == "__main__":
    main()
