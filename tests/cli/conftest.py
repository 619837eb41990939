"""A real accord broker (uvicorn on a free port, SQLite in tmp_path) for every CLI test."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from accord_broker import Settings, create_app
from cli_support import Accord

from accord.testing import serve_app


@pytest.fixture
def broker_url(tmp_path: Path) -> Iterator[str]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'broker.sqlite'}")
    with serve_app(create_app(settings)) as server:
        yield server.url


@pytest.fixture
def accord(broker_url: str) -> Accord:
    return Accord(broker_url)
