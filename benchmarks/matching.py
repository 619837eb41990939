"""Response matches per second for the matching engine (recorded in docs/benchmarks.md).

Run from the repository root: ``python -m benchmarks.matching`` (or ``make bench``). Two bodies:
a ~1 KB JSON order with 10 matching rules, and a ~100 KB JSON list of 110 such orders matched
by type with item rules. Each is matched repeatedly in one process against an actual response
that satisfies the contract (the common case for a verifier), after a warm-up, two ways:

* ``json``: both sides as pact JSON dicts (the convenience for callers that hold JSON);
* ``model``: the verifier's path, the pact model's ``HttpResponse`` against an
  ``ActualResponse`` holding the status, headers and body bytes the provider returned (so
  reading the body is part of each match).
"""

import argparse
import json
import platform
import time
from collections.abc import Callable
from typing import Any

from accord.matching import ActualResponse, Mismatch, match_response
from accord.pact import SynchronousHttp, parse_pact
from accord.pact.bodies import canonical_json


def _order(n: int) -> dict[str, Any]:
    return {
        "id": f"ord-{n:06d}",
        "customer": {"id": 1000 + n, "name": f"Customer {n}", "email": f"c{n}@example.com"},
        "status": "PAID",
        "placedAt": "2024-05-01T13:02:03.123Z",
        "total": 129.95,
        "currency": "EUR",
        "lines": [
            {"sku": f"SKU-{n % 97:04d}", "quantity": 2, "price": 24.99, "name": "Blue mug"},
            {"sku": f"SKU-{n % 89:04d}", "quantity": 1, "price": 79.97, "name": "Teapot"},
            {"sku": f"SKU-{n % 83:04d}", "quantity": 4, "price": 0.0, "name": "Gift card"},
        ],
        "shipping": {
            "method": "express",
            "address": {
                "street": "1 Main St",
                "city": "Paris",
                "postcode": "75001",
                "country": "FR",
            },
        },
        "tags": ["priority", "gift", "eu"],
        "notes": "Leave the parcel with the neighbour at number 3 if nobody is at home.",
        "payment": {"method": "card", "last4": "4242", "authorised": True, "reference": None},
        "loyalty": {"points": 120, "tier": "gold", "memberSince": "2019-04-12"},
        "giftMessage": "Happy birthday! With love from all of us, see you soon.",
        "links": {"self": "/orders/current", "invoice": "/orders/current/invoice"},
    }


SMALL_RULES: dict[str, Any] = {
    "body": {
        "$.id": {"matchers": [{"match": "regex", "regex": "ord-\\d{6}"}]},
        "$.customer.id": {"matchers": [{"match": "integer"}]},
        "$.customer.email": {"matchers": [{"match": "regex", "regex": "[^@]+@[^@]+"}]},
        "$.status": {"matchers": [{"match": "regex", "regex": "PAID|PENDING|SHIPPED"}]},
        "$.placedAt": {
            "matchers": [{"match": "timestamp", "format": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"}]
        },
        "$.total": {"matchers": [{"match": "decimal"}]},
        "$.lines": {"matchers": [{"match": "type", "min": 1}]},
        "$.lines[*].sku": {"matchers": [{"match": "regex", "regex": "SKU-\\d{4}"}]},
        "$.lines[*].quantity": {"matchers": [{"match": "integer"}]},
        "$.customer.name": {"matchers": [{"match": "type"}]},
    },
    "header": {"Content-Type": {"matchers": [{"match": "regex", "regex": "application/json.*"}]}},
}

LARGE_RULES: dict[str, Any] = {
    "body": {
        "$": {"matchers": [{"match": "type", "min": 1}]},
        "$[*].id": {"matchers": [{"match": "regex", "regex": "ord-\\d{6}"}]},
        "$[*].customer": {"matchers": [{"match": "type"}]},
        "$[*].customer.email": {"matchers": [{"match": "regex", "regex": "[^@]+@[^@]+"}]},
        "$[*].placedAt": {
            "matchers": [{"match": "timestamp", "format": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"}]
        },
        "$[*].lines[*].sku": {"matchers": [{"match": "regex", "regex": "SKU-\\d{4}"}]},
    }
}


def _cases() -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    headers = {"Content-Type": "application/json; charset=utf-8"}
    small_expected = {
        "status": 200,
        "headers": headers,
        "body": _order(1),
        "matchingRules": SMALL_RULES,
    }
    small_actual = {"status": 200, "headers": headers, "body": _order(7)}
    large_expected = {
        "status": 200,
        "headers": headers,
        "body": [_order(1)],
        "matchingRules": LARGE_RULES,
    }
    large_actual = {"status": 200, "headers": headers, "body": [_order(i) for i in range(110)]}
    return {
        "1kb-10-rules": (small_expected, small_actual),
        "100kb": (large_expected, large_actual),
    }


def _as_json(expected: dict[str, Any], actual: dict[str, Any]) -> Callable[[], list[Mismatch]]:
    return lambda: match_response(expected, actual, spec="V4")


def _as_model(expected: dict[str, Any], actual: dict[str, Any]) -> Callable[[], list[Mismatch]]:
    """The same comparison as the verifier makes it: the parsed pact's response against the
    bytes a provider would send."""
    pact = parse_pact(
        {
            "consumer": {"name": "bench-consumer"},
            "provider": {"name": "bench-provider"},
            "interactions": [
                {
                    "type": "Synchronous/HTTP",
                    "description": "bench",
                    "request": {"method": "GET", "path": "/"},
                    "response": expected,
                }
            ],
            "metadata": {"pactSpecification": {"version": "4.0"}},
        }
    )
    (interaction,) = pact.interactions
    assert isinstance(interaction, SynchronousHttp)
    received = ActualResponse(actual["status"], actual["headers"], canonical_json(actual["body"]))
    return lambda: match_response(interaction.response, received, spec="V4")


def measure(compare: Callable[[], list[Mismatch]], seconds: float) -> float:
    """Matches per second over about ``seconds`` of wall time (after one warm-up match)."""
    mismatches = compare()
    if mismatches:
        raise SystemExit(f"benchmark input does not match: {mismatches[:3]}")
    count = 0
    started = time.perf_counter()
    deadline = started + seconds
    batch = 1
    while True:
        for _ in range(batch):
            compare()
        count += batch
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - started)
        batch = min(batch * 2, 1024)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=3.0, help="time per case (default 3)")
    args = parser.parse_args(argv)
    print(f"python {platform.python_version()} on {platform.machine()} ({platform.system()})")
    for name, (expected, actual) in _cases().items():
        size = len(json.dumps(actual["body"]))
        ways: dict[str, Callable[[], list[Mismatch]]] = {
            "json": _as_json(expected, actual),
            "model": _as_model(expected, actual),
        }
        for way, compare in ways.items():
            rate = measure(compare, args.seconds)
            print(
                f"{name:>14} {way:>5}: body {size / 1024:6.1f} KB  {rate:10,.0f} matches/s  "
                f"({1e6 / rate:8.1f} µs/match)"
            )


if __name__ == "__main__":
    main()
