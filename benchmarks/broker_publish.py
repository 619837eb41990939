"""Publish throughput (pacts/s, ~10 KB pacts) and retrieval latency of the accord broker.

Run from the repository root: ``python -m benchmarks.broker_publish [--pacts 300 --workers 4]``.

A real broker (uvicorn, one process, the default thread pool) serves over loopback; clients
``POST /contracts/publish`` exactly as ``pact broker publish`` does (base64 content, a branch,
a tag), each publication a new consumer version with new content, so every request writes a
version, a branch version, a tag, a pact version (content) and a publication. Measured:
sequentially (one client) and with ``--workers`` concurrent clients. PostgreSQL is a throw-away
server from the machine's binaries (``ACCORD_TEST_POSTGRES_URL`` to use another). Then the
read paths a verifier uses are timed (latest pact, latest by branch, latest per consumer).
"""

import argparse
import base64
import json
import os
import platform
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from accord_broker import Settings, create_app

from accord.testing import serve_app, start_postgres

CONSUMERS = 10


def _pact(consumer: str, n: int) -> dict[str, Any]:
    """A ~10 KB V4 pact with 10 interactions; ``n`` makes its content unique."""
    interactions = []
    for i in range(10):
        interactions.append(
            {
                "type": "Synchronous/HTTP",
                "description": f"request {i} of publication {n}",
                "providerStates": [{"name": "account exists", "params": {"id": i, "n": n}}],
                "request": {
                    "method": "GET",
                    "path": f"/accounts/{i}",
                    "headers": {"Accept": ["application/json"]},
                },
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {
                        "content": {
                            "id": i,
                            "owner": "Ada Lovelace",
                            "balance": {"amount": 1234.5, "currency": "EUR"},
                            "iban": "FR7630006000011234567890189",
                            "history": [
                                {"at": f"2024-01-0{d}T10:00:00Z", "amount": d} for d in range(1, 6)
                            ],
                        },
                        "contentType": "application/json",
                        "encoded": False,
                    },
                    "matchingRules": {
                        "body": {
                            "$.id": {"combine": "AND", "matchers": [{"match": "integer"}]},
                            "$.iban": {
                                "combine": "AND",
                                "matchers": [{"match": "regex", "regex": "^[A-Z]{2}\\d+$"}],
                            },
                            "$.history": {
                                "combine": "AND",
                                "matchers": [{"match": "type", "min": 1}],
                            },
                        }
                    },
                },
            }
        )
    return {
        "consumer": {"name": consumer},
        "provider": {"name": "Accounts"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}, "pactRust": {"models": "1.3.16"}},
    }


def _body(n: int) -> dict[str, Any]:
    consumer = f"consumer-{n % CONSUMERS}"
    content = json.dumps(_pact(consumer, n)).encode()
    return {
        "pacticipantName": consumer,
        "pacticipantVersionNumber": f"1.0.{n}",
        "branch": "main",
        "tags": ["dev"],
        "contracts": [
            {
                "consumerName": consumer,
                "providerName": "Accounts",
                "specification": "pact",
                "contentType": "application/json",
                "content": base64.b64encode(content).decode(),
            }
        ],
    }


def _run(url: str, numbers: list[int], workers: int) -> tuple[float, list[float]]:
    bodies = [_body(n) for n in numbers]
    latencies: list[float] = []

    def publish(body: dict[str, Any], session: requests.Session) -> None:
        started = time.perf_counter()
        response = session.post(url + "/contracts/publish", json=body, timeout=60)
        latencies.append(time.perf_counter() - started)
        response.raise_for_status()

    sessions = [requests.Session() for _ in range(workers)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda ib: publish(ib[1], sessions[ib[0] % workers]), enumerate(bodies)))
    elapsed = time.perf_counter() - started
    for session in sessions:
        session.close()
    return elapsed, latencies


@contextmanager
def _database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:///{Path(directory) / 'bench.sqlite'}"
        return
    given = os.environ.get("ACCORD_TEST_POSTGRES_URL")
    if given:
        import psycopg

        name = f"accord_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(given.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        yield given.rsplit("/", 1)[0] + "/" + name
        return
    server = start_postgres()
    try:
        yield server.url
    finally:
        server.stop()


def _read_latencies(url: str, path: str, rounds: int) -> list[float]:
    latencies = []
    with requests.Session() as session:
        for _ in range(rounds):
            started = time.perf_counter()
            session.get(url + path, timeout=60).raise_for_status()
            latencies.append(time.perf_counter() - started)
    return latencies


READS = {
    "latest pact": "/pacts/provider/Accounts/consumer/consumer-3/latest",
    "latest by branch": "/pacts/provider/Accounts/consumer/consumer-3/branch/main/latest",
    "latest per consumer (10)": "/pacts/provider/Accounts/latest",
}


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pacts", type=int, default=300, help="publications per run")
    parser.add_argument("--workers", type=int, default=4, help="concurrent clients")
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    size = len(json.dumps(_pact("consumer-0", 0)))
    print(f"pact size: {size / 1024:.1f} KB; {args.pacts} publications per run")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    retrieval: list[str] = []
    print("| database | clients | pacts/s | p50 ms | p95 ms |")
    print("|---|---|---|---|---|")
    for kind in args.databases.split(","):
        with _database(kind) as url, serve_app(create_app(Settings(database_url=url))) as server:
            _run(server.url, list(range(-20, 0)), 1)  # warm-up: connections, caches
            next_number = 0
            for workers in (1, args.workers):
                numbers = list(range(next_number, next_number + args.pacts))
                next_number += args.pacts
                elapsed, latencies = _run(server.url, numbers, workers)
                print(
                    f"| {kind} | {workers} | {args.pacts / elapsed:.0f} | "
                    f"{statistics.median(latencies) * 1000:.1f} | "
                    f"{_percentile(latencies, 0.95) * 1000:.1f} |"
                )
            for name, path in READS.items():
                reads = _read_latencies(server.url, path, 200)
                retrieval.append(
                    f"| {kind} | {name} | {statistics.median(reads) * 1000:.1f} | "
                    f"{_percentile(reads, 0.95) * 1000:.1f} |"
                )
    print(f"\nretrieval after {2 * args.pacts + 20} publications, 200 requests each, one client:")
    print("| database | request | p50 ms | p95 ms |")
    print("|---|---|---|---|")
    print("\n".join(retrieval))


if __name__ == "__main__":
    main()
