"""Reports (JSON, JUnit) and the exit codes CI relies on."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from verifier_providers import pact_document

from accord.errors import NoPactsFound, PactFormatError, VerifierConfigError
from accord.verifier import verify


def _mixed_pact(write_pact):  # one passing, one failing interaction
    passing = {
        "description": "a version",
        "request": {"method": "GET", "path": "/version"},
        "response": {"status": 200},
    }
    failing = {
        "description": "a missing account",
        "request": {"method": "GET", "path": "/accounts/999"},
        "response": {"status": 200, "body": {"id": 999}},
    }
    return write_pact(pact_document([passing, failing]))


def test_the_json_report_lists_every_interaction_and_each_mismatch(
    write_pact, serve_accounts, tmp_path: Path
) -> None:
    server, _ = serve_accounts()
    report = tmp_path / "report.json"
    result = verify(
        files=[_mixed_pact(write_pact)],
        provider_base_url=server.url,
        json_report=report,
        output=None,
        raise_on_failure=False,
    )
    data = json.loads(report.read_text())
    assert data["result"] is False
    assert [r["result"] for r in data["interactionResults"]] == ["OK", "Error"]
    failing = data["interactionResults"][1]
    assert failing["consumer"] == "web" and failing["provider"] == "accounts"
    assert failing["mismatches"][0]["attribute"] == "status"
    assert failing["mismatches"][0]["expected"] == 200
    assert failing["mismatches"][0]["actual"] == 404
    assert data["errors"][0]["interaction"] == "web::a missing account"
    assert result.exit_code == 1


def test_the_junit_report_has_a_testcase_per_interaction_and_a_failure_element(
    write_pact, serve_accounts, tmp_path: Path
) -> None:
    server, _ = serve_accounts()
    report = tmp_path / "junit.xml"
    verify(
        files=[_mixed_pact(write_pact)],
        provider_base_url=server.url,
        junit_report=report,
        output=None,
        raise_on_failure=False,
    )
    root = ET.parse(report).getroot()
    assert root.get("tests") == "2" and root.get("failures") == "1"
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["a version", "a missing account"]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None and "status" in (failure.text or "")


def test_pending_interactions_are_reported_but_never_fail_the_run(
    write_pact, serve_accounts, tmp_path: Path
) -> None:
    server, _ = serve_accounts()
    failing = {
        "type": "Synchronous/HTTP",
        "description": "a new endpoint",
        "pending": True,
        "request": {"method": "GET", "path": "/not-there-yet"},
        "response": {"status": 200},
    }
    report = tmp_path / "junit.xml"
    result = verify(
        files=[write_pact(pact_document([failing], spec="4.0"))],
        provider_base_url=server.url,
        junit_report=report,
        output=None,
    )
    assert result.success and result.exit_code == 0
    assert [r.outcome for r in result.interactions] == ["pending"]
    assert len(result.pending_failures) == 1
    assert ET.parse(report).getroot().find("./testsuite/testcase/skipped") is not None


def test_no_pacts_found_is_exit_3_unless_ignored(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(NoPactsFound) as caught:
        verify(dirs=[tmp_path / "empty"], provider_base_url="http://127.0.0.1:1", output=None)
    assert caught.value.exit_code == 3
    result = verify(
        dirs=[tmp_path / "empty"],
        provider_base_url="http://127.0.0.1:1",
        ignore_no_pacts_error=True,
        output=None,
    )
    assert result.exit_code == 0 and result.interactions == []


@pytest.mark.parametrize(
    "options",
    [
        {},  # no source
        {"files": ["x.json"], "publish": True},  # publishing without a provider version
        {"files": ["x.json"], "app": object(), "provider_base_url": "http://h"},
        {"broker_url": "http://127.0.0.1:1"},  # broker without a provider name
        {"files": ["x.json"], "headers": ["no-separator"]},
        {"files": ["x.json"], "unknown_option": 1},
    ],
)
def test_usage_errors_are_exit_2(options: dict, tmp_path: Path) -> None:
    with pytest.raises(VerifierConfigError) as caught:
        verify(output=None, **options)
    assert caught.value.exit_code == 2


def test_a_missing_pact_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(VerifierConfigError, match="does not exist"):
        verify(files=[tmp_path / "nope.json"], provider_base_url="http://h", output=None)


def test_a_malformed_pact_is_a_loud_error(write_pact) -> None:
    path = write_pact({"consumer": {"name": "c"}, "interactions": "not a list"})
    with pytest.raises(PactFormatError):
        verify(files=[path], provider_base_url="http://127.0.0.1:1", output=None)


def test_a_pact_from_any_spec_version_is_verified(write_pact, serve_accounts) -> None:
    server, _ = serve_accounts()
    v2 = {
        "description": "a version",
        "providerState": "nothing",
        "request": {"method": "GET", "path": "/version"},
        "response": {
            "status": 200,
            "body": "1.2.3",
            "headers": {"Content-Type": "text/plain; charset=utf-8"},
            "matchingRules": {"$.body": {"match": "regex", "regex": "\\d+\\.\\d+\\.\\d+"}},
        },
    }
    for spec in ("1.0.0", "2.0.0"):
        result = verify(
            files=[write_pact(pact_document([v2], spec=spec))],
            provider_base_url=server.url,
            output=None,
        )
        assert result.success


def test_a_state_error_in_a_pending_interaction_is_not_fatal(write_pact, serve_accounts) -> None:
    server, _ = serve_accounts()
    broken = {
        "type": "Synchronous/HTTP",
        "description": "needs a broken state",
        "pending": True,
        "providerStates": [{"name": "broken state"}],
        "request": {"method": "GET", "path": "/version"},
        "response": {"status": 200},
    }
    result = verify(
        files=[write_pact(pact_document([broken], spec="4.0"))],
        provider_base_url=server.url,
        state_change_url=f"{server.url}/_pact/state",
        output=None,
    )
    assert result.exit_code == 0
    [pending] = result.pending_failures
    assert "broken state" in (pending.error or "")


def test_exit_on_first_error_stops_after_the_first_failure(write_pact, serve_accounts) -> None:
    server, _ = serve_accounts()
    failing = {
        "description": "missing",
        "request": {"method": "GET", "path": "/accounts/1"},
        "response": {"status": 200},
    }
    pact = write_pact(pact_document([failing, {**failing, "description": "missing too"}]))
    result = verify(
        files=[pact],
        provider_base_url=server.url,
        exit_on_first_error=True,
        output=None,
        raise_on_failure=False,
    )
    assert [r.description for r in result.interactions] == ["missing"]
