"""Publishing a provider contract compared with N consumer pacts, against a pact publication.

Run from the repository root: ``python -m benchmarks.provider_contracts [--consumers 200]``.

A real broker (uvicorn, SQLite in a temporary directory) serves over loopback. ``--consumers``
consumers each publish a one-interaction pact for the provider on ``main``; then the median
time of a pact publication (a new consumer version, new content) is compared with the median
time of a provider contract publication (a new provider version on ``main``), which compares the
document with every consumer's pact and records each verdict as a verification result. The
first contract publication computes the comparisons; later ones find them cached by content
and only record results.
"""

import argparse
import base64
import statistics
import tempfile
import time
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


def run(consumers: int, repeats: int) -> tuple[float, float, float]:
    """(median pact publication, first contract publication, median later one), seconds."""
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'broker.sqlite'}"
        with serve_app(create_app(Settings(database_url=url))) as server:
            broker = RunningBroker(url=server.url, database_url=url)
            for n in range(consumers):
                broker.publish(f"C{n}", "1", make_pact(f"C{n}", "Accounts", f"call {n}"))
            pacts = []
            for n in range(repeats):
                start = time.perf_counter()
                broker.publish("C0", f"2.{n}", make_pact("C0", "Accounts", f"new call {n}"))
                pacts.append(time.perf_counter() - start)
            contracts = []
            for n in range(repeats + 1):
                start = time.perf_counter()
                response = broker.post(
                    "/provider-contracts/provider/Accounts/publish", _contract(f"p{n}")
                )
                contracts.append(time.perf_counter() - start)
                response.raise_for_status()
    return statistics.median(pacts), contracts[0], statistics.median(contracts[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consumers", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    pact, first, later = run(args.consumers, args.repeats)
    print(f"pact publication (median):            {pact * 1000:8.1f} ms")
    print(f"provider contract, first (compares):  {first * 1000:8.1f} ms  ({first / pact:.1f}x)")
    print(f"provider contract, later (cached):    {later * 1000:8.1f} ms  ({later / pact:.1f}x)")


if __name__ == "__main__":
    main()
