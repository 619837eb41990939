"""The pytest verifier never passes with nothing verified, and never skips states silently.

Each test runs pytest itself on a small provider project that loads the plugin through its
``pytest11`` entry point (no ``-p``, no ``pytest_plugins`` line), against a broker on 127.0.0.1.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from recording_broker import recording_broker
from verifier_providers import pact_document

from accord.testing import serve_app

CONFTEST = """
import pytest
from fastapi import FastAPI

app = FastAPI()

@app.get("/accounts/{account_id}")
async def account(account_id: int):
    return {"id": account_id}

@pytest.fixture(scope="session")
def accord_provider():
    return app
"""

TEST_MODULE = """
import json, os
import pytest

pytestmark = pytest.mark.accord_pacts(**json.loads(os.environ["MARKER_OPTIONS"]))

def test_contract(accord_interaction):
    accord_interaction.verify()
"""


def _interaction(state: str | None = None) -> dict[str, Any]:
    interaction: dict[str, Any] = {
        "type": "Synchronous/HTTP",
        "description": "account one",
        "request": {"method": "GET", "path": "/accounts/1"},
        "response": {"status": 200, "body": {"id": 1}},
    }
    if state is not None:
        interaction["providerStates"] = [{"name": state}]
    return interaction


def _project(tmp_path: Path, *interactions: dict[str, Any]) -> Path:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_contract.py").write_text(TEST_MODULE)
    (tmp_path / "pacts").mkdir()
    document = pact_document(list(interactions), spec="4.0")
    (tmp_path / "pacts" / "web-accounts.json").write_text(json.dumps(document))
    return tmp_path


def _pytest(
    project: Path, marker: dict[str, Any], *args: str, broker: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MARKER_OPTIONS": json.dumps(marker)}
    for name in ("PACT_BROKER_BASE_URL", "PACT_BROKER_USERNAME", "PACT_BROKER_TOKEN"):
        env.pop(name, None)
    if broker is not None:
        env["PACT_BROKER_BASE_URL"] = broker
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_a_marker_without_broker_url_asks_the_broker_of_PACT_BROKER_BASE_URL(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path, _interaction())
    broker = recording_broker({"web": pact_document([_interaction()], spec="4.0")})
    with serve_app(broker) as server:
        run = _pytest(project, {"provider_name": "accounts"}, broker=server.url)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "PASSED test_contract.py::test_contract[web::account one]" in run.stdout
    assert [c["path"] for c in broker.state.calls if c["method"] == "POST"] == [
        "/pacts/provider/accounts/for-verification"
    ]


def test_selectors_that_match_no_pact_fail_the_session_like_accord_verify(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path, _interaction())
    marker = {"provider_name": "accounts", "consumer_version_selectors": [{"branch": "nope"}]}
    with serve_app(recording_broker({})) as server:
        run = _pytest(project, marker, broker=server.url)

    assert run.returncode == 3, run.stdout + run.stderr
    assert "ERROR test_contract.py::test_contract[no pacts]" in run.stdout
    assert (
        "accord: no pacts found to verify for provider 'accounts'; check the sources, "
        "selectors and consumer filter, or pass --ignore-no-pacts-error when an empty run "
        "is expected"
    ) in run.stdout.splitlines()
    assert "SKIPPED" not in run.stdout


def test_an_empty_run_passes_when_the_marker_expects_it(tmp_path: Path) -> None:
    project = _project(tmp_path, _interaction())
    marker = {"provider_name": "accounts", "ignore_no_pacts_error": True}
    with serve_app(recording_broker({})) as server:
        run = _pytest(project, marker, broker=server.url)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "no pacts found" not in run.stdout


def test_a_state_nothing_sets_up_is_a_warning_naming_it(tmp_path: Path) -> None:
    project = _project(tmp_path, _interaction("an account exists"))

    run = _pytest(project, {"dirs": ["pacts"]}, "-rP")

    assert run.returncode == 0, run.stdout + run.stderr
    assert "accord warnings" in run.stdout
    assert "no provider state callback configured for provider state 'an account exists'" in (
        run.stdout
    )


def test_strict_states_make_a_state_nothing_sets_up_an_error(tmp_path: Path) -> None:
    project = _project(tmp_path, _interaction("an account exists"))

    run = _pytest(project, {"dirs": ["pacts"]}, "--accord-strict-states")

    assert run.returncode == 1, run.stdout + run.stderr
    assert "FAILED test_contract.py::test_contract[web::account one]" in run.stdout
    assert "'an account exists'" in run.stdout
