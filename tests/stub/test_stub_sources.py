"""The stub serves pacts from files, directories, URLs and a real accord broker; its Python
face (``accord.testing.stub_server``, the ``pact_stub`` fixture) and its command line."""

import base64
import json
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from accord.cli import cli
from accord.errors import StubConfigError
from accord.stub import BrokerPacts, StubServer, load_pacts
from accord.testing import ServerHandle, serve_app, stub_server
from tests.stub.pacts import create_transfer, list_accounts, pact_document, write_pact

ACCORD = str(Path(sys.executable).parent / "accord")


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHandle]:
    """A real accord broker on SQLite holding Web's and Mobile's pacts with Accounts."""
    import accord_broker

    database = tmp_path_factory.mktemp("broker") / "broker.db"
    settings = accord_broker.Settings(database_url=f"sqlite:///{database}")
    with serve_app(accord_broker.create_app(settings)) as server:
        _publish(server, pact_document([list_accounts()], consumer="Web"), "1.0.0")
        _publish(server, pact_document([create_transfer()], consumer="Mobile"), "2.0.0")
        yield server


def _publish(broker: ServerHandle, document: dict[str, Any], version: str) -> None:
    body = {
        "pacticipantName": document["consumer"]["name"],
        "pacticipantVersionNumber": version,
        "branch": "main",
        "contracts": [
            {
                "consumerName": document["consumer"]["name"],
                "providerName": document["provider"]["name"],
                "specification": "pact",
                "contentType": "application/json",
                "content": base64.b64encode(json.dumps(document).encode()).decode(),
            }
        ],
    }
    answer = requests.post(f"{broker.url}/contracts/publish", json=body, timeout=30)
    assert answer.status_code in (200, 201), answer.text


def _consumers_served(stub: StubServer) -> set[str]:
    return {candidate.pact.consumer for candidate in stub.app.index.interactions}


def test_a_directory_serves_its_files_with_the_given_extension(tmp_path: Path) -> None:
    write_pact(tmp_path, pact_document([list_accounts()]), "web.pact")
    write_pact(tmp_path, pact_document([create_transfer()]), "ignored.json")

    with stub_server(dirs=[tmp_path], extension="pact") as stub:
        listed = requests.get(f"{stub.url}/accounts?page=1", timeout=10)
        posted = requests.post(f"{stub.url}/transfers", json={}, timeout=10)

    assert listed.status_code == 200
    assert posted.status_code == 404


def test_the_broker_serves_the_providers_pacts_of_the_consumers_named(
    broker: ServerHandle,
) -> None:
    source = BrokerPacts(broker.url, "Accounts", consumers=["Web"], selectors=[{"branch": "main"}])

    with stub_server(broker=source) as stub:
        listed = requests.get(f"{stub.url}/accounts?page=4", timeout=10)

    assert listed.status_code == 200
    assert _consumers_served(stub) == {"Web"}


def test_without_consumers_or_selectors_the_broker_serves_every_consumers_latest_pact(
    broker: ServerHandle,
) -> None:
    pacts = load_pacts(broker=BrokerPacts(broker.url, "Accounts"))

    assert sorted(p.consumer for p in pacts) == ["Mobile", "Web"]


def test_a_pact_url_is_served(broker: ServerHandle) -> None:
    url = f"{broker.url}/pacts/provider/Accounts/consumer/Mobile/latest"

    with stub_server(urls=[url]) as stub:
        answer = requests.post(
            f"{stub.url}/transfers",
            json={"from": 1, "to": 2, "amount": 3.5, "reference": "x", "tags": ["t"]},
            timeout=10,
        )

    assert answer.status_code == 201


def test_a_missing_directory_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(StubConfigError, match="nowhere"):
        load_pacts(dirs=[tmp_path / "nowhere"])


def test_pacts_without_http_interactions_refuse_to_start() -> None:
    with pytest.raises(StubConfigError, match="no HTTP interactions to serve"):
        StubServer([])


def test_the_pact_stub_fixture_starts_stubs_for_the_test(
    pact_stub: Callable[..., StubServer], bank_pact_file: Path
) -> None:
    stub = pact_stub(files=[bank_pact_file])

    assert requests.get(f"{stub.url}/accounts?page=1", timeout=10).status_code == 200


def test_the_command_prints_its_url_first_and_stops_cleanly_on_sigterm(
    bank_pact_file: Path,
) -> None:
    process = subprocess.Popen(
        [ACCORD, "stub", "-f", str(bank_pact_file), "--loglevel", "info"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        answer = requests.get(f"{url}/accounts?page=1", timeout=10)
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=20)

    assert url.startswith("http://127.0.0.1:")
    assert answer.status_code == 200
    assert process.returncode == 0, errors
    assert "GET /accounts?page=1 -> 200" in errors


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--broker-url", "http://127.0.0.1:9"], "needs --provider-name"),
        ([], "no pacts to serve"),
        (["-f", "missing.json"], "does not exist"),
        (["-f", "{pact}", "-s", "(unclosed"], "is not a regular expression"),
    ],
)
def test_configuration_errors_exit_2_with_what_to_do(
    arguments: list[str], message: str, bank_pact_file: Path
) -> None:
    argv = [a.replace("{pact}", str(bank_pact_file)) for a in arguments]
    result = CliRunner().invoke(cli, ["stub", *argv], env={"PACT_BROKER_BASE_URL": None})

    assert result.exit_code == 2, result.output
    assert message in result.stderr
