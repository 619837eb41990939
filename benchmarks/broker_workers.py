"""Broker throughput with 1 and 2 worker processes (issue #19): publications and
for-verification requests per second, from 4 concurrent clients, on a fresh SQLite or
PostgreSQL database. ``python -m benchmarks.broker_workers [--database-url URL]``; the figures
go to docs/benchmarks.md."""

import argparse
import base64
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from accord.testing import free_port, wait_for_port

CLIENTS = 4


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


def _publish(base: str, n: int) -> None:
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
    with requests.Session() as session:
        answer = session.post(base + "/contracts/publish", json=body, timeout=60)
    answer.raise_for_status()


def _for_verification(base: str, _n: int) -> None:
    body = {"consumerVersionSelectors": [{"mainBranch": True}], "includePendingStatus": True}
    with requests.Session() as session:
        answer = session.post(
            base + "/pacts/provider/Accounts/for-verification", json=body, timeout=60
        )
    answer.raise_for_status()


def _rate(call: object, base: str, count: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(lambda n: call(base, n), range(count)))  # type: ignore[operator]
    return count / (time.perf_counter() - started)


def run(
    workers: int, database_url: str | None, publications: int, reads: int
) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as directory:
        url = database_url or f"sqlite:///{directory}/broker.sqlite"
        port = free_port()
        argv = [sys.executable, "-m", "accord_broker", "--port", str(port), "--no-access-log"]
        process = subprocess.Popen(
            [*argv, "--workers", str(workers), "--database-url", url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port("127.0.0.1", port, timeout=60)
            time.sleep(1.0)  # every worker up
            base = f"http://127.0.0.1:{port}"
            publish_rate = _rate(_publish, base, publications)
            read_rate = _rate(_for_verification, base, reads)
        finally:
            process.terminate()
            process.wait(timeout=60)
    return publish_rate, read_rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--publications", type=int, default=300)
    parser.add_argument("--reads", type=int, default=300)
    args = parser.parse_args()
    results = {n: run(n, args.database_url, args.publications, args.reads) for n in (1, 2)}
    for n, (pub, read) in results.items():
        print(f"workers={n}: publish {pub:.0f}/s, for-verification {read:.0f}/s")
    (p1, r1), (p2, r2) = results[1], results[2]
    print(f"ratio 2/1: publish {p2 / p1:.2f}x, for-verification {r2 / r1:.2f}x")


if __name__ == "__main__":
    main()
