"""A generator that could not produce a value is a warning on the verdict, in every report.

Without it, a provider-state value the state handler did not return shows only as a puzzling
mismatch (the pact's example id was sent instead of the state's); the warning says why.
"""

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from verifier_providers import get_account_interaction, pact_document

from accord.verifier import verify

MISSING_PATH_WARNING = (
    "path: the ProviderState generator could not produce a value "
    "(no provider-state value named 'accountNumber'), so the example value was kept"
)
MISSING_HEADER_WARNING = (
    "header X-Trace: the ProviderState generator could not produce a value "
    "(no provider-state value named 'traceId'), so the example value was kept"
)


def _account_by_missing_number() -> dict[str, Any]:
    """The state handler answers ``accountId``; the pact asks for ``accountNumber``."""
    interaction = get_account_interaction("an account by a number the state does not return")
    interaction["request"]["path"] = "/accounts/7"
    interaction["request"]["generators"] = {
        "path": {"type": "ProviderState", "expression": "/accounts/${accountNumber}"}
    }
    return interaction


def _account_with_missing_trace_header() -> dict[str, Any]:
    """The path is generated fine; only a header the provider ignores keeps its example."""
    interaction = get_account_interaction("an account with a trace header")
    interaction["request"]["headers"] = {"X-Trace": "example-trace"}
    interaction["request"]["generators"] = {
        "path": {"type": "ProviderState", "expression": "/accounts/${accountId}"},
        "header": {"X-Trace": {"type": "ProviderState", "expression": "${traceId}"}},
    }
    return interaction


def _verify(pact: Path, url: str, tmp_path: Path) -> tuple[Any, str]:
    console = io.StringIO()
    result = verify(
        files=[pact],
        provider_base_url=url,
        state_change_url=f"{url}/_pact/state",
        json_report=tmp_path / "report.json",
        junit_report=tmp_path / "junit.xml",
        output=console,
        raise_on_failure=False,
    )
    return result, console.getvalue()


def test_a_missing_state_value_is_named_on_the_failure_it_causes(
    write_pact, serve_accounts, tmp_path: Path
) -> None:
    server, app = serve_accounts()
    pact = write_pact(pact_document([_account_by_missing_number()]))

    result, console = _verify(pact, server.url, tmp_path)

    [failed] = result.failures
    assert app.state.requests[-1]["path"] == "/accounts/7"  # the example, not the state's id
    assert failed.warnings == (MISSING_PATH_WARNING,)
    lines = console.splitlines()
    verdict = lines.index("  an account by a number the state does not return "
                          "(given an account exists) ... FAILED")  # fmt: skip
    assert lines[verdict + 1] == f"    warning: {MISSING_PATH_WARNING}"
    failure = lines.index("1) web::an account by a number the state does not return")
    assert lines[failure + 1] == f"    warning: {MISSING_PATH_WARNING}"
    [entry] = json.loads((tmp_path / "report.json").read_text())["interactionResults"]
    assert entry["warnings"] == [MISSING_PATH_WARNING]
    junit_failure = ET.parse(tmp_path / "junit.xml").find(".//testcase/failure")
    assert junit_failure is not None
    assert f"warning: {MISSING_PATH_WARNING}" in (junit_failure.text or "")


def test_a_passing_interaction_still_shows_its_warning(
    write_pact, serve_accounts, tmp_path: Path
) -> None:
    server, app = serve_accounts()
    pact = write_pact(pact_document([_account_with_missing_trace_header()]))

    result, console = _verify(pact, server.url, tmp_path)

    assert result.success, result.failures
    assert app.state.requests[-1]["headers"]["x-trace"] == "example-trace"
    [passed] = result.interactions
    assert passed.warnings == (MISSING_HEADER_WARNING,)
    lines = console.splitlines()
    verdict = lines.index("  an account with a trace header (given an account exists) ... OK")
    assert lines[verdict + 1] == f"    warning: {MISSING_HEADER_WARNING}"
    [entry] = json.loads((tmp_path / "report.json").read_text())["interactionResults"]
    assert entry["result"] == "OK"
    assert entry["warnings"] == [MISSING_HEADER_WARNING]
    system_out = ET.parse(tmp_path / "junit.xml").find(".//testcase/system-out")
    assert system_out is not None
    assert system_out.text == f"warning: {MISSING_HEADER_WARNING}"


def test_interactions_whose_generators_all_worked_have_no_warnings(
    write_pact, serve_accounts, tmp_path: Path
) -> None:
    server, _ = serve_accounts()
    interaction = _account_with_missing_trace_header()
    del interaction["request"]["generators"]["header"]
    pact = write_pact(pact_document([interaction]))

    result, console = _verify(pact, server.url, tmp_path)

    assert result.success, result.failures
    assert result.interactions[0].warnings == ()
    assert "warning:" not in console
    [entry] = json.loads((tmp_path / "report.json").read_text())["interactionResults"]
    assert entry["warnings"] == []
    assert ET.parse(tmp_path / "junit.xml").find(".//testcase/system-out") is None


def test_accord_verify_prints_the_warning_in_the_report_on_stdout(
    write_pact, serve_accounts
) -> None:
    server, _ = serve_accounts()
    pact = write_pact(pact_document([_account_by_missing_number()]))
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true"}
    env.pop("PACT_BROKER_BASE_URL", None)

    finished = subprocess.run(
        [str(Path(sys.executable).parent / "accord"), "verify", "--file", str(pact),
         "--provider-base-url", server.url, "--state-change-url", f"{server.url}/_pact/state"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip

    assert finished.returncode == 1, finished.stderr
    assert f"    warning: {MISSING_PATH_WARNING}" in finished.stdout.splitlines()
    assert "warning:" not in finished.stderr


PLUGIN_CONFTEST = """
import pytest
from fastapi import FastAPI
from accord.verifier import ProviderStates

pytest_plugins = ["accord.verifier.pytest_plugin"]

app = FastAPI()

@app.get("/accounts/{account_id}")
async def account(account_id: int):
    return {"id": account_id}

@pytest.fixture(scope="session")
def accord_provider():
    return app

@pytest.fixture
def accord_provider_states():
    states = ProviderStates()
    states.add("an account exists", lambda params: {"accountId": 5})
    return states
"""

PLUGIN_TEST_MODULE = """
import pytest

pytestmark = pytest.mark.accord_pacts(dirs=["pacts"], provider_name="accounts")

def test_contract(accord_interaction):
    accord_interaction.verify()
"""


def _generated_account(description: str, key: str, expected_id: int) -> dict[str, Any]:
    return {
        "description": description,
        "providerStates": [{"name": "an account exists"}],
        "request": {
            "method": "GET",
            "path": "/accounts/1",
            "headers": {"X-Trace": "example-trace"},
            "generators": {
                "path": {"type": "ProviderState", "expression": f"/accounts/${{{key}}}"},
                "header": {"X-Trace": {"type": "ProviderState", "expression": "${traceId}"}},
            },
        },
        "response": {"status": 200, "body": {"id": expected_id}},
    }


def test_the_pytest_plugin_shows_warnings_on_failures_and_passes(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(PLUGIN_CONFTEST)
    (tmp_path / "test_contract.py").write_text(PLUGIN_TEST_MODULE)
    (tmp_path / "pacts").mkdir()
    document = pact_document(
        [
            _generated_account("a generated account", "accountId", 5),
            _generated_account("an account by number", "accountNumber", 5),
        ]
    )
    (tmp_path / "pacts" / "web-accounts.json").write_text(json.dumps(document))

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
    )  # fmt: skip

    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert "1 failed, 1 passed" in out
    assert f"  warning: {MISSING_PATH_WARNING}" in out  # in the failure's message
    passes = out.split("= PASSES =")[1]
    assert "Captured accord warnings call" in passes
    assert MISSING_HEADER_WARNING in passes
    # once per interaction, never repeated (the short summary is left out: under CI=true
    # pytest prints its lines whole, and a failure's line then quotes the warning again)
    report = out.split("short test summary info")[0]
    assert report.count(MISSING_HEADER_WARNING) == 2
