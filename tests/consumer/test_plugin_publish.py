"""``pytest --pact-publish`` publishes the session's pacts, against a real accord broker."""

import base64
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from accord.testing import ServerHandle, free_port, serve_app, start_process
from accord.vcs import BRANCH_VARIABLES, SHA_VARIABLES

PYPROJECT = """
[tool.pytest.ini_options]
filterwarnings = ["error"]
"""

CONSUMER_TEST = """
import pytest
import requests
from pact import match

pytestmark = pytest.mark.pact(consumer="web", provider="accounts")


def test_balance(pact):
    (
        pact.upon_receiving("a request for the balance of account 1")
        .given("an account exists", id=1)
        .with_request("GET", "/accounts/1/balance")
        .will_respond_with(200)
        .with_body({"balance": match.integer(100)}, content_type="application/json")
    )
    with pact.serve() as server:
        assert requests.get(f"{server.url}/accounts/1/balance").json() == {"balance": EXPECTED}
"""


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHandle]:
    """A real accord broker in its own process.

    Not in a thread of this process: ``pytester`` restores ``sys.modules`` after each test, and
    modules a threaded server imported meanwhile would be imported twice. Each test uses its own
    consumer versions, so one broker serves the whole module.
    """
    database = tmp_path_factory.mktemp("broker") / "broker.sqlite"
    port = free_port()
    argv = [sys.executable, "-m", "accord_broker", "--port", str(port)]
    argv += ["--database-url", f"sqlite:///{database}"]
    env = {"ACCORD_BROKER_WEBHOOK_WORKER_ENABLED": "false"}
    with start_process(argv, port=port, env=env) as server:
        yield server


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PACT_DO_NOT_TRACK", "true")
    for name in (*BRANCH_VARIABLES, *SHA_VARIABLES, "PACT_BROKER_BASE_URL", "PACT_BROKER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("PACT_BROKER_USERNAME", raising=False)
    monkeypatch.delenv("PACT_BROKER_PASSWORD", raising=False)
    pytester.makepyprojecttoml(PYPROJECT)
    return pytester


def consumer_test(expected: int = 100) -> str:
    return CONSUMER_TEST.replace("EXPECTED", str(expected))


def published_pact(broker: ServerHandle, version: str) -> requests.Response:
    return requests.get(
        f"{broker.url}/pacts/provider/accounts/consumer/web/version/{version}",
        headers={"Accept": "application/hal+json"},
    )


def test_the_pacts_are_published_when_every_consumer_test_passed(
    broker: ServerHandle, project: pytest.Pytester
) -> None:
    project.makepyfile(test_web=consumer_test())

    result = project.runpytest_subprocess(
        "--pact-publish",
        "--pact-broker-url",
        broker.url,
        "--consumer-app-version",
        "1.2.3",
        "--pact-branch",
        "main",
    )

    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        [f"published web → accounts version 1.2.3 on branch main to {broker.url}"]
    )
    pact = published_pact(broker, "1.2.3")
    assert pact.status_code == 200
    assert [i["description"] for i in pact.json()["interactions"]] == [
        "a request for the balance of account 1"
    ]
    on_main = requests.get(
        f"{broker.url}/pacts/provider/accounts/consumer/web/branch/main/latest",
        headers={"Accept": "application/hal+json"},
    )
    assert on_main.status_code == 200


def test_nothing_is_published_when_a_consumer_test_failed(
    broker: ServerHandle, project: pytest.Pytester
) -> None:
    project.makepyfile(test_web=consumer_test(expected=7))

    result = project.runpytest_subprocess(
        "--pact-publish", "--pact-broker-url", broker.url, "--consumer-app-version", "3.0.0"
    )

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["pacts NOT published: 1 consumer test(s) failed"])
    assert published_pact(broker, "3.0.0").status_code == 404


def test_version_and_branch_come_from_git_when_not_given(
    broker: ServerHandle, project: pytest.Pytester
) -> None:
    project.makepyfile(test_web=consumer_test())
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q", "-b", "feat/login"], ["add", "."], ["commit", "-qm", "first"]):
        subprocess.run([*git, *args], cwd=project.path, check=True)
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=project.path, check=True, capture_output=True, text=True
    ).stdout.strip()

    result = project.runpytest_subprocess("--pact-publish", "--pact-broker-url", broker.url)

    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines([f"published web → accounts version {sha} on branch feat/login*"])
    assert published_pact(broker, sha).status_code == 200


def test_a_broker_refusal_fails_the_session_with_the_brokers_reason(
    broker: ServerHandle, project: pytest.Pytester
) -> None:
    arguments = [
        "--pact-publish",
        "--pact-broker-url",
        broker.url,
        "--consumer-app-version",
        "4.0.0",
    ]
    project.makepyfile(test_web=consumer_test())
    assert project.runpytest_subprocess(*arguments).ret == pytest.ExitCode.OK
    changed = consumer_test().replace("account 1", "account one")
    project.makepyfile(test_web=changed)

    result = project.runpytest_subprocess(*arguments)

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["publishing pacts failed: POST */contracts/publish failed (HTTP 409)*"]
    )


def test_publishing_without_a_broker_url_is_explained(project: pytest.Pytester) -> None:
    project.makepyfile(test_web=consumer_test())

    result = project.runpytest_subprocess("--pact-publish", "--consumer-app-version", "1")

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "publishing pacts failed: no Pact Broker URL:"
            " pass --pact-broker-url or set PACT_BROKER_BASE_URL"
        ]
    )


@pytest.fixture
def recording_broker() -> Iterator[tuple[ServerHandle, list[dict[str, Any]]]]:
    """A stand-in broker whose index links to an odd host, recording what it is sent."""
    with stand_in_broker(failures_before_success=0) as served:
        yield served


@contextmanager
def stand_in_broker(
    *, failures_before_success: int
) -> Iterator[tuple[ServerHandle, list[dict[str, Any]]]]:
    """The recording broker; its first ``failures_before_success`` publications answer 503."""
    received: list[dict[str, Any]] = []
    failures_left = [failures_before_success]

    async def index(request: Request) -> JSONResponse:
        received.append({"path": "/", "headers": dict(request.headers)})
        link = {"href": "http://elsewhere.invalid/api/publish-here"}
        return JSONResponse({"_links": {"pb:publish-contracts": link}})

    async def publish(request: Request) -> JSONResponse:
        body = await request.json()
        received.append({"path": request.url.path, "headers": dict(request.headers), "body": body})
        if failures_left[0]:
            failures_left[0] -= 1
            return JSONResponse({"error": "busy, try again"}, status_code=503)
        return JSONResponse({"notices": [{"type": "success", "text": "thanks"}]})

    app = Starlette(
        routes=[
            Route("/", index),
            Route("/api/publish-here", publish, methods=["POST"]),
        ]
    )
    with serve_app(app) as server:
        yield server, received


def test_the_publication_request_carries_the_pact_and_the_version_properties(
    recording_broker: tuple[ServerHandle, list[dict[str, Any]]],
    project: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, received = recording_broker
    monkeypatch.setenv("PACT_BROKER_BASE_URL", server.url)
    monkeypatch.setenv("PACT_BROKER_TOKEN", "sekrit")
    project.makepyfile(test_web=consumer_test())

    result = project.runpytest_subprocess(
        "--pact-publish",
        "--consumer-app-version",
        "2.0.0",
        "--pact-tag",
        "dev",
        "--pact-tag",
        "qa",
        "--pact-build-url",
        "http://ci/7",
    )

    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["  thanks"])
    index, publication = received
    assert index["headers"]["authorization"] == "Bearer sekrit"
    assert publication["path"] == "/api/publish-here"
    assert publication["headers"]["authorization"] == "Bearer sekrit"
    body = publication["body"]
    (contract,) = body.pop("contracts")
    assert body == {
        "pacticipantName": "web",
        "pacticipantVersionNumber": "2.0.0",
        "tags": ["dev", "qa"],
        "buildUrl": "http://ci/7",
    }
    written = (project.path / "pacts" / "web-accounts.json").read_bytes()
    assert base64.b64decode(contract.pop("content")) == written
    assert contract == {
        "consumerName": "web",
        "providerName": "accounts",
        "specification": "pact",
        "contentType": "application/json",
        "onConflict": "overwrite",
    }
    assert json.loads(written)["consumer"]["name"] == "web"


def test_git_detection_prefers_the_ci_variables(tmp_path: Path) -> None:
    from accord.vcs import detect_branch, detect_build_url, detect_commit

    env = {
        "GITHUB_HEAD_REF": "feat/x",
        "GITHUB_REF_NAME": "12/merge",
        "GITHUB_SHA": "abc123",
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_REPOSITORY": "bank/web",
        "GITHUB_RUN_ID": "99",
    }

    assert detect_branch(tmp_path, env) == "feat/x"
    assert detect_commit(tmp_path, env) == "abc123"
    assert detect_build_url(env) == "https://github.example/bank/web/actions/runs/99"
    assert detect_branch(tmp_path, {}) is None, "tmp_path is not a git checkout"


def test_under_xdist_a_failure_on_any_worker_stops_publishing(
    recording_broker: tuple[ServerHandle, list[dict[str, Any]]],
    project: pytest.Pytester,
) -> None:
    server, received = recording_broker
    project.makepyfile(
        test_good=consumer_test(),
        test_bad=consumer_test(expected=7).replace("test_balance", "test_bad_balance"),
        test_other=consumer_test().replace("account 1", "account 2").replace("/1/", "/2/"),
    )
    arguments = ["--pact-publish", "--pact-broker-url", server.url, "--consumer-app-version", "5"]

    result = project.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", *arguments)

    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["pacts NOT published: 1 consumer test(s) failed"])
    assert received == []


def test_a_brokers_passing_unavailability_is_retried(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PACT_BROKER_TOKEN", raising=False)
    project.makepyfile(test_web=consumer_test())

    with stand_in_broker(failures_before_success=1) as (server, received):
        result = project.runpytest_subprocess(
            "--pact-publish", "--pact-broker-url", server.url, "--consumer-app-version", "6"
        )

    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    publications = [call for call in received if call["path"] == "/api/publish-here"]
    assert len(publications) == 2, "the 503 was retried once"
    assert publications[0]["body"] == publications[1]["body"]
    result.stdout.fnmatch_lines(["published web → accounts version 6*", "  thanks"])
