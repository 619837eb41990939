"""Publishing a provider contract compared with N consumer pacts, against a pact publication.

Run from the repository root: ``python -m benchmarks.provider_contracts [--consumers 200]``.

A real broker (uvicorn, SQLite in a temporary directory) serves over loopback. ``--consumers``
consumers each publish a one-interaction pact for the provider on ``main``; then the median
time of a pact publication (a new consumer version, new content) is compared with the median
time of a provider contract publication (a new provider version on ``main``), which compares the
document with every consumer's pact and records each verdict as a verification result (after
one contract publication for another provider, so the process's one-time costs, such as
loading the OpenAPI meta-schema, are not counted). The
first contract publication computes the comparisons that fit in its budget and leaves the rest
to the background worker, so the time until all verdicts are recorded is measured too (polling
the contract's resource until no comparison is pending); later ones find them cached by
content and only record results.
"""

import argparse
import base64
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from accord_broker import Settings, create_app

from accord.testing import serve_app
from tests.broker.conftest import RunningBroker, make_pact

OPENAPI = """\
openapi: 3.0.3
info: {title: Accounts, version: "1"}
paths:
  /accounts/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: an account
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: integer}
                  name: {type: string}
"""


def _contract(version: str) -> dict[str, object]:
    return {
        "pacticipantVersionNumber": version,
        "branch": "main",
        "contract": {
            "content": base64.b64encode(OPENAPI.encode()).decode(),
            "contentType": "application/yaml",
            "specification": "oas",
            "selfVerificationResults": {"success": True, "verifier": "schemathesis"},
        },
    }


@dataclass(frozen=True)
class Figures:
    pact: float
    """Median pact publication, seconds."""
    first: float
    """The first contract publication's answer."""
    first_pending: int
    """Comparisons it left to the worker."""
    all_recorded: float
    """From the first publication's request until every verdict was recorded."""
    later: float
    """Median later (cached) contract publication."""


def _until_recorded(broker: RunningBroker, consumers: int, started: float) -> float:
    """Seconds from ``started`` until the first contract shows every comparison recorded."""
    while True:
        found = broker.get("/provider-contracts/provider/Accounts/version/p0").json()
        if found["pendingComparisons"] == 0 and len(found["comparisons"]) == consumers:
            return time.perf_counter() - started
        time.sleep(0.1)  # the poll shares the process (and the GIL) with the worker


def run(consumers: int, repeats: int) -> Figures:
    """Publish the pacts, then time pact and contract publications and the worker."""
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'broker.sqlite'}"
        with serve_app(create_app(Settings(database_url=url))) as server:
            broker = RunningBroker(url=server.url, database_url=url)
            for n in range(consumers):
                broker.publish(f"C{n}", "1", make_pact(f"C{n}", "Accounts", f"call {n}"))
            # Once per process, not per document: the OpenAPI meta-schema is loaded and the
            # statements compiled. A contract for another provider pays that before timing.
            broker.publish("W", "1", make_pact("W", "Warmup", "warm-up call"))
            warm_up = broker.post("/provider-contracts/provider/Warmup/publish", _contract("w"))
            warm_up.raise_for_status()
            # Pact and contract publications alternate, so both meet the same machine load.
            pacts, contracts = [], []
            for n in range(repeats + 1):
                start = time.perf_counter()
                broker.publish("C0", f"2.{n}", make_pact("C0", "Accounts", f"new call {n}"))
                pacts.append(time.perf_counter() - start)
                start = time.perf_counter()
                response = broker.post(
                    "/provider-contracts/provider/Accounts/publish", _contract(f"p{n}")
                )
                contracts.append(time.perf_counter() - start)
                response.raise_for_status()
                if n == 0:
                    notices = [notice["text"] for notice in response.json()["notices"]]
                    pending = next(
                        (int(t.split()[0]) for t in notices if "in the background" in t), 0
                    )
                    all_recorded = _until_recorded(broker, consumers, start)
    return Figures(
        statistics.median(pacts),
        contracts[0],
        pending,
        all_recorded,
        statistics.median(contracts[1:]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consumers", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    f = run(args.consumers, args.repeats)
    print(f"pact publication (median):            {f.pact * 1000:8.1f} ms")
    print(
        f"provider contract, first (answer):    {f.first * 1000:8.1f} ms  "
        f"({f.first / f.pact:.1f}x; {f.first_pending} comparisons left to the worker)"
    )
    print(f"  ... until all {args.consumers} verdicts recorded: {f.all_recorded * 1000:8.1f} ms")
    print(
        f"provider contract, later (cached):    {f.later * 1000:8.1f} ms  ({f.later / f.pact:.1f}x)"
    )


if __name__ == "__main__":
    main()
