"""Fixtures of the stub tests: the bank pact on disk and stubs serving it on loopback."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from accord.stub import StubOptions, StubServer, load_pacts
from tests.stub.pacts import bank_pact, write_pact

STATE_HEADER = "X-Provider-State"


@pytest.fixture(scope="session")
def bank_pact_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pact(tmp_path_factory.mktemp("pacts"), bank_pact())


@pytest.fixture(scope="module")
def stub(bank_pact_file: Path) -> Iterator[StubServer]:
    """The bank pact served with CORS on and the provider state taken from a header."""
    options = StubOptions(cors=True, provider_state_header=STATE_HEADER)
    with StubServer(load_pacts(files=[bank_pact_file]), options) as server:
        yield server


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session
