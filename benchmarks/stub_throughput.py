"""Requests per second of ``accord stub`` vs the reference ``pact stub`` on the same pact.

Run from the repository root: ``python -m benchmarks.stub_throughput [--requests 3000
--clients 4 --rounds 3 --interactions 20]``.

Both stubs run as their commands (``accord stub -f``, ``pact stub -f``) on loopback, serving
one V3 pact of N interactions: half ``GET /items{n}/{id}?fields=...`` with a path regex, a
query regex and a header regex, half ``POST /orders{n}`` with a JSON body under integer,
decimal, regex and ``type``-with-``min`` rules, and a response generator on each. The client
(this process) sends a fixed mix, every request different in its values: 45 % matched GETs,
45 % matched POSTs and 10 % requests no interaction matches (a 404 each). ``--clients``
threads each keep one HTTP/1.1 connection open (``http.client``), so the figure is the stub's
throughput on a warm connection, not connection set-up. Each round runs both stubs, order
alternating, after a warm-up; reported are the medians and their ratio.
"""

import argparse
import http.client
import json
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from accord.testing import free_port, start_process

BIN = Path(sys.executable).parent
Call = tuple[str, str, bytes | None, dict[str, str]]


def _regex(pattern: str) -> dict[str, Any]:
    return {"matchers": [{"match": "regex", "regex": pattern}]}


def _get(n: int) -> dict[str, Any]:
    return {
        "description": f"get item {n}",
        "request": {
            "method": "GET",
            "path": f"/items{n}/1",
            "query": {"fields": ["all"]},
            "headers": {"Accept": "application/json"},
            "matchingRules": {
                "path": _regex(rf"/items{n}/\d+"),
                "query": {"fields": _regex("all|some")},
                "header": {"Accept": _regex(r"application/.*json")},
            },
        },
        "response": {
            "status": 200,
            "headers": {"Content-Type": "application/json"},
            "body": {"id": 1, "name": f"item {n}", "price": 9.5, "tags": ["a", "b"]},
            "generators": {"body": {"$.id": {"type": "RandomInt", "min": 1, "max": 999}}},
        },
    }


def _post(n: int) -> dict[str, Any]:
    return {
        "description": f"create order {n}",
        "request": {
            "method": "POST",
            "path": f"/orders{n}",
            "headers": {"Content-Type": "application/json"},
            "body": {"item": 1, "quantity": 2, "price": 9.5, "ref": "abc", "lines": [{"a": 1}]},
            "matchingRules": {
                "body": {
                    "$.item": {"matchers": [{"match": "integer"}]},
                    "$.quantity": {"matchers": [{"match": "integer"}]},
                    "$.price": {"matchers": [{"match": "decimal"}]},
                    "$.ref": _regex("^[a-z]+$"),
                    "$.lines": {"matchers": [{"match": "type", "min": 1}]},
                }
            },
        },
        "response": {
            "status": 201,
            "headers": {"Content-Type": "application/json"},
            "body": {"id": "o-1", "status": "accepted"},
            "generators": {"body": {"$.id": {"type": "Uuid"}}},
        },
    }


def write_pact(directory: Path, interactions: int) -> Path:
    half = max(1, interactions // 2)
    document = {
        "consumer": {"name": "Shop"},
        "provider": {"name": "Catalogue"},
        "interactions": [_get(n) for n in range(half)] + [_post(n) for n in range(half)],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }
    path = directory / "shop-catalogue.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def calls(count: int, interactions: int) -> list[Call]:
    """A fixed mix of requests, each with its own values: 45 % GET, 45 % POST, 10 % misses."""
    half = max(1, interactions // 2)
    made: list[Call] = []
    for i in range(count):
        n = i % half
        if i % 10 == 9:
            made.append(("GET", f"/nothing/{i}", None, {}))
        elif i % 2:
            order = {"item": i, "quantity": 3, "price": 1.25, "ref": "xyz", "lines": [{"a": i}]}
            body = json.dumps(order).encode()
            made.append(("POST", f"/orders{n}", body, {"Content-Type": "application/json"}))
        else:
            fields = "some" if i % 4 else "all"
            made.append(
                ("GET", f"/items{n}/{i}?fields={fields}", None, {"Accept": "application/json"})
            )
    return made


def _client(port: int, work: list[Call], errors: list[str]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for method, path, body, headers in work:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            expected = 404 if path.startswith("/nothing") else (201 if method == "POST" else 200)
            if response.status != expected:
                errors.append(f"{method} {path}: {response.status}, expected {expected}")
    finally:
        connection.close()


def throughput(port: int, work: list[Call], clients: int) -> float:
    """Requests per second of ``work`` split over ``clients`` keep-alive connections."""
    shares = [work[i::clients] for i in range(clients)]
    errors: list[str] = []
    threads = [threading.Thread(target=_client, args=(port, s, errors)) for s in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"wrong answers ({len(errors)}), first: {errors[0]}")
    return len(work) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--interactions", type=int, default=20)
    args = parser.parse_args()

    commands = {
        "accord stub": [str(BIN / "accord"), "stub", "--loglevel", "none"],
        "pact stub": [str(BIN / "pact"), "stub", "--loglevel", "none"],
    }
    work = calls(args.requests, args.interactions)
    results: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as tmp:
        pact = write_pact(Path(tmp), args.interactions)
        ports = {name: free_port() for name in commands}
        with (
            start_process(
                [*commands["accord stub"], "-f", str(pact), "-p", str(ports["accord stub"])],
                port=ports["accord stub"],
            ),
            start_process(
                [*commands["pact stub"], "-f", str(pact), "-p", str(ports["pact stub"])],
                port=ports["pact stub"],
            ),
        ):
            for name in commands:  # warm-up: imports, caches, compiled rules
                throughput(ports[name], work[:200], args.clients)
            for round_number in range(args.rounds):
                order = list(commands) if round_number % 2 == 0 else list(reversed(commands))
                for name in order:
                    results[name].append(throughput(ports[name], work, args.clients))

    print(
        f"{args.requests} requests x {args.rounds} rounds, {args.clients} keep-alive clients, "
        f"{args.interactions} interactions; Python {platform.python_version()}, "
        f"{platform.machine()}"
    )
    medians = {name: statistics.median(values) for name, values in results.items()}
    for name, value in medians.items():
        rounds = ", ".join(f"{v:,.0f}" for v in results[name])
        print(f"  {name:12} {value:10,.0f} req/s   (rounds: {rounds})")
    ratio = medians["accord stub"] / medians["pact stub"]
    print(f"  accord / pact stub: {ratio:.2f}x")


if __name__ == "__main__":
    main()
