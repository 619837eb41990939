"""Pacts, a provider and a command runner for the CLI tests."""

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from fastapi import FastAPI

from accord.cli import cli

BIN = Path(sys.executable).parent
ACCORD = str(BIN / "accord")
PACT = str(BIN / "pact")


def make_pact(
    consumer: str = "Web", provider: str = "Accounts", *, name: str = "Alice"
) -> dict[str, Any]:
    """A V4 pact: GET /accounts/1 answers ``{"id": 1, "name": name}``."""
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": "a request for account 1",
                "pending": False,
                "request": {"method": "GET", "path": "/accounts/1"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {
                        "content": {"id": 1, "name": name},
                        "contentType": "application/json",
                        "encoded": False,
                    },
                },
            }
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


def write_pact(directory: Path, document: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{document['consumer']['name']}-{document['provider']['name']}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def accounts_provider(name: str = "Alice") -> FastAPI:
    """The provider the pacts above describe; ``name`` lets a test break it."""
    app = FastAPI()

    @app.get("/accounts/{account_id}")
    def account(account_id: int) -> dict[str, Any]:
        return {"id": account_id, "name": name}

    return app


@dataclass(frozen=True)
class Accord:
    """Runs ``accord`` in-process against one broker (``PACT_BROKER_BASE_URL`` is set)."""

    broker_url: str

    def __call__(self, *args: str, env: dict[str, str | None] | None = None) -> Result:
        runner = CliRunner()
        environment: dict[str, str | None] = {
            "PACT_BROKER_BASE_URL": self.broker_url,
            "PACT_DO_NOT_TRACK": "true",
        }
        environment.update(env or {})
        return runner.invoke(cli, list(args), env=environment, catch_exceptions=False)

    def json(self, *args: str) -> Any:
        result = self(*args, "--output", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


def run_binary(
    argv: Sequence[str], *, broker_url: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a real executable (``accord`` or the official ``pact``) and capture its output."""
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true", "NO_COLOR": "1"}
    env.pop("PACT_BROKER_BASE_URL", None)
    if broker_url is not None:
        env["PACT_BROKER_BASE_URL"] = broker_url
    return subprocess.run(
        list(argv), env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


@dataclass
class Recorded:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: Any


def recording_broker(
    answers: dict[str, list[tuple[int, Any]]],
) -> tuple[FastAPI, list[Recorded]]:
    """A stand-in broker: ``answers["GET /path"]`` are replayed in turn (the last one repeats).

    Every request is recorded, so a test can check exactly what a command sent.
    """
    from fastapi import Request
    from fastapi.responses import JSONResponse, Response

    app = FastAPI()
    seen: list[Recorded] = []

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def record(request: Request, path: str) -> Response:
        raw = await request.body()
        seen.append(
            Recorded(
                request.method,
                "/" + path,
                request.url.query,
                {k.lower(): v for k, v in request.headers.items()},
                json.loads(raw) if raw else None,
            )
        )
        queue = answers.get(f"{request.method} /{path}") or [(404, {"error": "not here"})]
        status, body = queue.pop(0) if len(queue) > 1 else queue[0]
        return JSONResponse(body, status_code=status, media_type="application/hal+json")

    return app, seen
