"""``accord stub`` and the reference ``pact stub`` serve the same pact and give the same answers.

Both run as commands on loopback, with CORS on and the provider state taken from a header; each
request goes to both and the status, the headers a client reads and the bodies must agree.
Generated values are compared by type. Two differences are accord's by design (docs/stub.md):
an unmatched request's 404 carries a JSON report where the reference sends an empty body, and a
``MockServerURL`` generator points at the stub instead of keeping the pact's example.
"""

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from accord.testing import ServerHandle, free_port, start_process
from tests.stub.conftest import STATE_HEADER

pytestmark = pytest.mark.interop

BIN = Path(sys.executable).parent
OPTIONS = ["--cors", "--provider-state-header-name", STATE_HEADER]
JSON = {"Accept": "application/json"}
TRANSFER = {"from": 7, "to": 8, "amount": 1.25, "reference": "gift", "tags": ["x"]}


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None
    generated: frozenset[str] = frozenset()  # top-level keys compared by type only


CALLS = [
    Call("path and query regexes", "GET", "/accounts/77?fields=some", JSON, generated={"id"}),
    Call("header difference tolerated", "GET", "/accounts/5?fields=all", {"Accept": "text/x"},
         generated={"id"}),
    Call("provider state from header", "GET", "/accounts/5?fields=all",
         {**JSON, STATE_HEADER: "no accounts"}),
    Call("path outside its regex", "GET", "/accounts/abc?fields=all", JSON),
    Call("query outside its regex", "GET", "/accounts/5?fields=none", JSON),
    Call("query missing", "GET", "/accounts/5", JSON),
    Call("query regex on a list", "GET", "/accounts?page=42"),
    Call("query not a number", "GET", "/accounts?page=x"),
    Call("unexpected query", "GET", "/accounts?page=1&sort=name"),
    Call("body by rules", "POST", "/transfers", json=TRANSFER),
    Call("body integer rule broken", "POST", "/transfers", json={**TRANSFER, "from": "7"}),
    Call("body regex rule broken", "POST", "/transfers", json={**TRANSFER, "reference": "X1"}),
    Call("body min rule broken", "POST", "/transfers", json={**TRANSFER, "tags": []}),
    Call("body key unexpected", "POST", "/transfers", json={**TRANSFER, "extra": 1}),
    Call("unknown method", "DELETE", "/accounts/1"),
    Call("cors preflight", "OPTIONS", "/transfers", {"Access-Control-Request-Method": "POST"}),
]  # fmt: skip
COMPARED_HEADERS = (
    "Content-Type",
    "Location",
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
)


def _start(argv: list[str]) -> Any:
    port = free_port()
    return start_process([*argv, "--port", str(port)], port=port), port


@pytest.fixture(scope="module")
def servers(bank_pact_file: Path) -> Iterator[tuple[ServerHandle, ServerHandle]]:
    pact_cli = BIN / "pact"
    if not pact_cli.exists():
        pytest.fail("pact-python-cli is not installed: `make test` installs the dev extra")
    ours, _ = _start([str(BIN / "accord"), "stub", "-f", str(bank_pact_file), *OPTIONS])
    theirs, _ = _start([str(pact_cli), "stub", "-f", str(bank_pact_file), "-l", "none", *OPTIONS])
    with ours as accord_stub, theirs as pact_stub:
        _wait_until_answering(pact_stub)
        yield accord_stub, pact_stub


def _wait_until_answering(server: ServerHandle) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(f"{server.url}/", timeout=2)
            return
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _send(server: ServerHandle, call: Call) -> requests.Response:
    return requests.request(
        call.method, f"{server.url}{call.path}", headers=call.headers, json=call.json, timeout=10
    )


def _comparable(body: Any, generated: frozenset[str]) -> Any:
    if isinstance(body, dict):
        return {k: type(v).__name__ if k in generated else v for k, v in body.items()}
    return body


@pytest.mark.parametrize("call", CALLS, ids=[c.name for c in CALLS])
def test_both_stubs_answer_alike(servers: tuple[ServerHandle, ServerHandle], call: Call) -> None:
    accord_stub, pact_stub = servers
    ours, theirs = _send(accord_stub, call), _send(pact_stub, call)

    assert ours.status_code == theirs.status_code, ours.text
    explained = theirs.status_code == 404 and not theirs.content
    for name in COMPARED_HEADERS:
        if not (explained and name == "Content-Type"):
            assert ours.headers.get(name) == theirs.headers.get(name), name
    if explained:
        assert ours.json()["error"] == "no interaction matched"  # accord explains the 404
    elif theirs.content:
        assert _comparable(ours.json(), call.generated) == _comparable(
            theirs.json(), call.generated
        )
    else:
        assert ours.content == b""


def test_a_mock_server_url_points_at_accord_stub_and_keeps_the_example_in_the_reference(
    servers: tuple[ServerHandle, ServerHandle],
) -> None:
    accord_stub, pact_stub = servers

    assert requests.get(f"{accord_stub.url}/", timeout=10).json() == {
        "accounts": f"{accord_stub.url}/accounts"
    }
    assert requests.get(f"{pact_stub.url}/", timeout=10).json() == {
        "accounts": "http://localhost:1234/accounts"
    }


def test_the_reference_runs_at_all() -> None:
    completed = subprocess.run(
        [str(BIN / "pact"), "stub", "--version"],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert completed.returncode == 0
