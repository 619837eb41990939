"""Fixtures for the verifier's tests: pact files on disk, real providers on uvicorn."""

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from verifier_providers import accounts_app

from accord.testing import ServerHandle, serve_app

WritePact = Callable[..., Path]


@pytest.fixture
def write_pact(tmp_path: Path) -> WritePact:
    """Write a pact document to a file under tmp_path and return its path."""
    counter = iter(range(1000))

    def write(document: dict[str, Any], name: str | None = None) -> Path:
        path = tmp_path / (name or f"pact-{next(counter)}.json")
        path.write_text(json.dumps(document), encoding="utf-8")
        return path

    return write


Serve = Callable[..., tuple[ServerHandle, FastAPI]]


@pytest.fixture
def serve_accounts() -> Iterator[Serve]:
    """Start the accounts provider (with seeded faults) on a free port."""
    with ExitStack() as stack:

        def serve(*faults: str) -> tuple[ServerHandle, FastAPI]:
            app = accounts_app(set(faults))
            handle = stack.enter_context(serve_app(app))
            return handle, app

        yield serve
