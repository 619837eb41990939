"""Memory soak (issue #20): a real broker process answers 20,000 mixed requests and its
resident memory stays flat.

One broker process (``python -m accord_broker``, uvicorn, one worker) per database, SQLite and
PostgreSQL, is driven with the requests a pipeline, a browser and the official clients send:
publications, verification results, can-i-deploy, for-verification with pending and WIP, the
matrix of a pair, UI pages, badges, deployments, and webhooks firing to a receiver on
127.0.0.1. Its resident set size (``VmRSS`` in ``/proc/PID/status``) is sampled as it goes.

Passes when, after warm-up, memory stays flat: RSS at the end is at most ``--max-growth``
(10 % by default) above RSS at the 25 % mark, no answer was a 5xx and every webhook arrived.
Fails loudly (exit 1) otherwise. Figures go to docs/benchmarks.md ("Memory soak").

    python -m benchmarks.soak                         # both databases, 20,000 requests each
    python -m benchmarks.soak --requests 2000 --database sqlite
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from accord.testing import free_port, start_postgres, wait_for_port
from benchmarks.soak_traffic import Traffic

WARM_UP_MARK = 0.25
"""Memory is compared from this fraction of the requests on: before it, caches, pools, the
allocator's arenas and imported-on-first-use modules legitimately grow."""
SAMPLE_EVERY = 100


@dataclass
class SoakResult:
    database: str
    requests: int
    samples: list[tuple[int, int]] = field(default_factory=list)
    """(requests sent, RSS in KiB)"""
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    webhooks_expected: int = 0
    webhooks_received: int = 0
    seconds: float = 0.0

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())

    def rss_at(self, fraction: float) -> int:
        """RSS (KiB) of the first sample at or after ``fraction`` of the requests."""
        wanted = fraction * self.requests
        return next(rss for sent, rss in self.samples if sent >= wanted)

    def growth(self) -> float:
        """Growth of RSS from the warm-up mark to the end, as a fraction."""
        return self.rss_at(1.0) / self.rss_at(WARM_UP_MARK) - 1

    def problems(self, max_growth: float) -> list[str]:
        found = []
        if self.growth() > max_growth:
            found.append(
                f"RSS grew {self.growth():.1%} from the {WARM_UP_MARK:.0%} mark to the end "
                f"({self.rss_at(WARM_UP_MARK) / 1024:.1f} -> {self.rss_at(1.0) / 1024:.1f} MiB), "
                f"more than the {max_growth:.0%} allowed"
            )
        if self.server_errors:
            found.append(f"{len(self.server_errors)} answers were 5xx: {self.server_errors[:5]}")
        if self.webhooks_received < self.webhooks_expected:
            found.append(
                f"only {self.webhooks_received} of {self.webhooks_expected} webhooks arrived"
            )
        return found


def rss_kib(pid: int) -> int:
    """The process's resident set size in KiB, from ``/proc/PID/status``."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS in /proc/{pid}/status")


class WebhookCounter:
    """A receiver on 127.0.0.1 that counts what the broker's webhooks send it."""

    def __init__(self) -> None:
        self.received = 0
        self._lock = threading.Lock()
        counter = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with counter._lock:
                    counter.received += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def broker_process(database_url: str) -> Iterator[tuple[str, int]]:
    """``python -m accord_broker`` on a free port: its URL and PID (uvicorn runs in it)."""
    port = free_port()
    env = {
        **os.environ,
        "ACCORD_BROKER_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "ACCORD_BROKER_WEBHOOK_ALLOWED_SCHEMES": "http",
        "ACCORD_BROKER_WEBHOOK_POLL_INTERVAL_SECONDS": "0.1",
    }
    argv = [sys.executable, "-m", "accord_broker", "--port", str(port)]
    process = subprocess.Popen(
        [*argv, "--database-url", database_url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port("127.0.0.1", port, timeout=60)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def soak(database: str, database_url: str, total: int) -> SoakResult:
    result = SoakResult(database, total)
    receiver = WebhookCounter()
    try:
        with broker_process(database_url) as (url, pid):
            traffic = Traffic(url, result)
            traffic.set_up(receiver.url)
            started = time.perf_counter()
            result.samples.append((0, rss_kib(pid)))
            n = 0
            next_sample = SAMPLE_EVERY
            while result.sent < total:
                n += 1
                traffic.step(n)
                if result.sent >= min(next_sample, total):
                    result.samples.append((result.sent, rss_kib(pid)))
                    next_sample += SAMPLE_EVERY
                    if result.sent % (total // 10 or 1) < SAMPLE_EVERY:
                        rss = result.samples[-1][1] / 1024
                        print(
                            f"  {database}: {result.sent} requests, RSS {rss:.1f} MiB", flush=True
                        )
            result.seconds = time.perf_counter() - started
            deadline = time.monotonic() + 120
            while receiver.received < result.webhooks_expected and time.monotonic() < deadline:
                time.sleep(0.2)
            result.webhooks_received = receiver.received
            result.samples.append((total, rss_kib(pid)))  # after the queue drained
    finally:
        receiver.close()
    return result


@contextmanager
def database_urls(which: list[str]) -> Iterator[dict[str, str]]:
    with ExitStack() as stack:
        urls: dict[str, str] = {}
        for database in which:
            if database == "sqlite":
                directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="soak-"))
                urls["sqlite"] = f"sqlite:///{directory}/soak.sqlite"
            else:
                given = os.environ.get("ACCORD_TEST_POSTGRES_URL")
                if given is None:
                    server = start_postgres()
                    stack.callback(server.stop)
                    given = server.url
                urls["postgres"] = _fresh_database(given)
        yield urls


def _fresh_database(admin_url: str) -> str:
    import psycopg

    name = f"accord_soak_{uuid.uuid4().hex[:8]}"
    dsn = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def report(result: SoakResult, max_growth: float) -> list[str]:
    marks = "  ".join(
        f"{mark:.0%}: {result.rss_at(mark) / 1024:.1f}" for mark in (0.0, 0.25, 0.5, 0.75, 1.0)
    )
    peak = max(rss for _, rss in result.samples) / 1024
    drained = result.samples[-1][1] / 1024
    print(
        f"{result.database}: {result.requests} requests in {result.seconds:.0f}s "
        f"({result.requests / result.seconds:.0f}/s); RSS MiB {marks}; peak {peak:.1f}; "
        f"after the webhook queue drained {drained:.1f}; growth after warm-up "
        f"{result.growth():+.1%} (bound {max_growth:.0%}); statuses {dict(result.statuses)}; "
        f"webhooks {result.webhooks_received}/{result.webhooks_expected}"
    )
    return result.problems(max_growth)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--max-growth", type=float, default=0.10)
    args = parser.parse_args(argv)
    # stopped from outside: unwind, so the broker and the PostgreSQL server are stopped too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    which = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    problems: list[str] = []
    with database_urls(which) as urls:
        for database, url in urls.items():
            result = soak(database, url, args.requests)
            problems += [f"{database}: {p}" for p in report(result, args.max_growth)]
    if problems:
        print("MEMORY SOAK FAILED:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print("memory soak passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
