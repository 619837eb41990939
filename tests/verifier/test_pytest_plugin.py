"""The pytest plugin, exercised by running pytest itself on a small provider project."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from recording_broker import recording_broker
from verifier_providers import pact_document

from accord.testing import serve_app

CONFTEST = """
import pytest
from fastapi import FastAPI
from accord.verifier import ProviderStates

pytest_plugins = ["accord.verifier.pytest_plugin"]

app = FastAPI()
ACCOUNTS = {}

@app.get("/accounts/{account_id}")
async def account(account_id: int):
    return ACCOUNTS.get(account_id, {"missing": True})

@pytest.fixture(scope="session")
def accord_provider():
    return app

@pytest.fixture
def seeded():
    ACCOUNTS.clear()
    return ACCOUNTS

@pytest.fixture
def accord_provider_states(seeded):
    states = ProviderStates()
    states.add(
        "an account exists",
        lambda params: seeded.update({params["id"]: {"id": params["id"]}}),
    )
    return states
"""

TEST_MODULE = """
import os
import pytest

SOURCE = os.environ.get("PACT_SOURCE")
pytestmark = pytest.mark.accord_pacts(
    **({"urls": [SOURCE]} if SOURCE else {"dirs": ["pacts"]}), provider_name="accounts"
)

def test_contract(accord_interaction):
    accord_interaction.verify()
"""


def _interactions() -> list[dict]:
    def account(description: str, account_id: int, expected_id: int, **extra: object) -> dict:
        return {
            "type": "Synchronous/HTTP",
            "_id": description.replace(" ", "-"),
            "description": description,
            "providerStates": [{"name": "an account exists", "params": {"id": account_id}}],
            "request": {"method": "GET", "path": f"/accounts/{account_id}"},
            "response": {"status": 200, "body": {"id": expected_id}},
            **extra,
        }

    return [
        account("account one", 1, 1),
        account("account two", 2, 2),
        account("a broken account", 3, 4),
        account("a pending account", 5, 6, pending=True),
    ]


def _project(tmp_path: Path) -> Path:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_contract.py").write_text(TEST_MODULE)
    (tmp_path / "pacts").mkdir()
    document = pact_document(_interactions(), spec="4.0")
    (tmp_path / "pacts" / "web-accounts.json").write_text(json.dumps(document))
    return tmp_path


def _pytest(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_each_interaction_is_a_test_item_named_consumer_and_description(tmp_path: Path) -> None:
    run = _pytest(_project(tmp_path))
    assert run.returncode == 1, run.stdout + run.stderr
    out = run.stdout
    assert "PASSED test_contract.py::test_contract[web::account one]" in out
    assert "PASSED test_contract.py::test_contract[web::account two]" in out
    assert "FAILED test_contract.py::test_contract[web::a broken account]" in out
    assert "XFAIL test_contract.py::test_contract[web::a pending account]" in out
    assert "1 failed, 2 passed, 1 xfailed" in out
    assert "$.body.id" in out  # the failure names the mismatching path


def test_it_runs_under_xdist(tmp_path: Path) -> None:
    run = _pytest(_project(tmp_path), "-n", "2")
    assert "1 failed, 2 passed, 1 xfailed" in run.stdout, run.stdout + run.stderr


@pytest.mark.parametrize("workers", [[], ["-n", "2"]])
def test_results_are_published_once_at_session_end(tmp_path: Path, workers: list[str]) -> None:
    project = _project(tmp_path)
    broker_app = recording_broker({"web": pact_document(_interactions(), spec="4.0")})
    with serve_app(broker_app) as broker:
        run = _pytest(
            project,
            *workers,
            "--accord-publish",
            "--accord-provider-version",
            "3.1.4",
            "--accord-provider-branch",
            "main",
            env={"PACT_SOURCE": f"{broker.url}/pacts/x/web"},
        )
    lines = run.stdout.splitlines()
    announced = [line for line in lines if line.startswith("accord:")]
    assert announced == [
        "accord: verification results published for web → accounts: "
        f"{broker.url}/pacts/x/web/verification-results"
    ], run.stdout + run.stderr
    assert not [line for line in lines if "[100%]" in line and "accord" in line]
    body = broker_app.state.published["web"]
    assert body["providerApplicationVersion"] == "3.1.4"
    assert body["success"] is False
    results = {r["interactionId"]: r["success"] for r in body["testResults"]}
    assert results == {
        "account-one": True,
        "account-two": True,
        "a-broken-account": False,
        "a-pending-account": False,
    }
    puts = [c["path"] for c in broker_app.state.calls if c["method"] == "PUT"]
    assert puts == ["/pacticipants/accounts/branches/main/versions/3.1.4"]


def test_the_plugin_is_registered_and_sessions_that_do_not_use_it_are_untouched(
    tmp_path: Path,
) -> None:
    (tmp_path / "test_plain.py").write_text(
        textwrap.dedent(
            """
            import sys

            def test_plain():
                assert "accord.verifier.api" not in sys.modules
                assert "accord.matching" not in sys.modules
            """
        )
    )
    run = _pytest(tmp_path, "--help")
    assert "--accord-publish" in run.stdout  # the pytest11 entry point, no -p line needed
    plain = _pytest(tmp_path)
    assert plain.returncode == 0, plain.stdout + plain.stderr


TWO_PROVIDERS_CONFTEST = """
pytest_plugins = ["accord.verifier.pytest_plugin"]
"""

PROVIDER_MODULE = """
import pytest
from fastapi import FastAPI

pytestmark = pytest.mark.accord_pacts(files=["pacts/web-NAME.json"], provider_name="NAME")

app = FastAPI()

@app.get("/NAME/{item}")
async def item(item: int):
    return {"provider": "NAME", "item": item}

@pytest.fixture(scope="session")
def accord_provider():
    return app

def test_NAME_contract(accord_interaction):
    accord_interaction.verify()
"""


def _two_provider_project(tmp_path: Path) -> Path:
    """Two modules, each verifying its own provider app, in one pytest session."""
    (tmp_path / "conftest.py").write_text(TWO_PROVIDERS_CONFTEST)
    (tmp_path / "pacts").mkdir()
    for name in ("accounts", "transfers"):
        (tmp_path / f"test_{name}.py").write_text(PROVIDER_MODULE.replace("NAME", name))
        interactions = [
            {
                "type": "Synchronous/HTTP",
                "description": f"{name} item {item}",
                "request": {"method": "GET", "path": f"/{name}/{item}"},
                "response": {"status": 200, "body": {"provider": name, "item": item}},
            }
            for item in range(4)
        ]
        document = pact_document(interactions, provider=name, spec="4.0")
        (tmp_path / "pacts" / f"web-{name}.json").write_text(json.dumps(document))
    return tmp_path


@pytest.mark.parametrize("workers", [[], ["-n", "2"]])
def test_each_module_replays_against_the_provider_it_defines(
    tmp_path: Path, workers: list[str]
) -> None:
    run = _pytest(_two_provider_project(tmp_path), *workers)

    assert run.returncode == 0, run.stdout + run.stderr
    assert "8 passed" in run.stdout


def _broker_marker_project(tmp_path: Path, marker_extra: str = "") -> Path:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_contract.py").write_text(
        TEST_MODULE.replace(
            '**({"urls": [SOURCE]} if SOURCE else {"dirs": ["pacts"]}),',
            f'broker_url=SOURCE, consumer_version_selectors=[{{"matchingBranch": True}}],'
            f"{marker_extra}",
        )
    )
    return tmp_path


def _for_verification_body(broker_app: Any) -> dict[str, Any]:
    [call] = [
        c
        for c in broker_app.state.calls
        if c["method"] == "POST" and c["path"].endswith("/for-verification")
    ]
    body: dict[str, Any] = call["body"]
    return body


def test_the_marker_takes_the_provider_branch_and_tags_from_the_command_line(
    tmp_path: Path,
) -> None:
    project = _broker_marker_project(tmp_path)
    broker_app = recording_broker({"web": pact_document(_interactions()[:2], spec="4.0")})
    with serve_app(broker_app) as broker:
        run = _pytest(
            project,
            "--accord-provider-branch",
            "feat/x",
            "--accord-provider-tags",
            "dev,qa",
            "--accord-provider-version",
            "9.9.9",
            env={"PACT_SOURCE": broker.url},
        )

    assert run.returncode == 0, run.stdout + run.stderr
    body = _for_verification_body(broker_app)
    assert body["providerVersionBranch"] == "feat/x"
    assert body["providerVersionTags"] == ["dev", "qa"]


def test_a_branch_named_in_the_marker_wins_over_the_command_line(tmp_path: Path) -> None:
    project = _broker_marker_project(tmp_path, ' provider_branch="from-marker",')
    broker_app = recording_broker({"web": pact_document(_interactions()[:2], spec="4.0")})
    with serve_app(broker_app) as broker:
        run = _pytest(
            project, "--accord-provider-branch", "feat/x", env={"PACT_SOURCE": broker.url}
        )

    assert run.returncode == 0, run.stdout + run.stderr
    assert _for_verification_body(broker_app)["providerVersionBranch"] == "from-marker"
