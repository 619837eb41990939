"""The session owns the pact directory: one merged file per pair, nothing stale left behind."""

import json
from pathlib import Path

import pytest

PYPROJECT = """
[tool.pytest.ini_options]
filterwarnings = ["error"]
"""

BALANCE_TEST = """
import pytest
import requests
from pact import match

pytestmark = pytest.mark.pact(consumer="web", provider="accounts")


def test_{name}(pact):
    (
        pact.upon_receiving("a request for the balance of account {account}")
        .given("an account exists", id={account})
        .with_request("GET", "/accounts/{account}/balance")
        .will_respond_with(200)
        .with_body({{"balance": match.integer(100)}}, content_type="application/json")
    )
    with pact.serve() as server:
        response = requests.get(f"{{server.url}}/accounts/{account}/balance")
        assert response.json() == {{"balance": 100}}
"""

MESSAGE_TEST = """
import json
from pact import match


def test_notification(pact_factory):
    pact = pact_factory("notifications", "transfers")
    (
        pact.upon_receiving("a transfer-completed event", "Async")
        .with_body({"transferId": match.like("t-1")}, content_type="application/json")
    )
    seen = []
    pact.verify(lambda body, metadata: seen.append(json.loads(body)), "Async")
    assert seen == [{"transferId": "t-1"}]
"""


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PACT_DO_NOT_TRACK", "true")
    pytester.makepyprojecttoml(PYPROJECT)
    return pytester


def balance_test(name: str, account: int) -> str:
    return BALANCE_TEST.format(name=name, account=account)


def read_pacts(directory: Path) -> dict[str, dict]:
    return {path.name: json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))}


def descriptions(pact: dict) -> list[str]:
    return [interaction["description"] for interaction in pact["interactions"]]


def test_interactions_of_many_tests_and_files_merge_into_one_v4_file_per_pair(
    project: pytest.Pytester,
) -> None:
    project.makepyfile(
        test_one=balance_test("one", 1),
        test_two=balance_test("two", 2),
        test_inner_messages=MESSAGE_TEST,
    )

    project.runpytest().assert_outcomes(passed=3)

    pacts = read_pacts(project.path / "pacts")
    assert sorted(pacts) == ["notifications-transfers.json", "web-accounts.json"]
    web = pacts["web-accounts.json"]
    assert web["metadata"]["pactSpecification"]["version"] == "4.0"
    assert descriptions(web) == [
        "a request for the balance of account 1",
        "a request for the balance of account 2",
    ]
    assert pacts["notifications-transfers.json"]["interactions"][0]["type"] == (
        "Asynchronous/Messages"
    )
    left = sorted(path.name for path in (project.path / "pacts").iterdir())
    assert left == sorted(pacts), "no staging directory may be left behind"


def test_a_deleted_test_leaves_nothing_behind(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_one=balance_test("one", 1),
        test_two=balance_test("two", 2),
        test_inner_messages=MESSAGE_TEST,
    )
    project.runpytest().assert_outcomes(passed=3)

    (project.path / "test_two.py").unlink()
    (project.path / "test_inner_messages.py").unlink()
    project.runpytest().assert_outcomes(passed=1)

    pacts = read_pacts(project.path / "pacts")
    assert list(pacts) == ["web-accounts.json"]
    assert descriptions(pacts["web-accounts.json"]) == ["a request for the balance of account 1"]


def test_the_same_interaction_from_two_tests_is_written_once(project: pytest.Pytester) -> None:
    project.makepyfile(test_one=balance_test("one", 1), test_again=balance_test("again", 1))

    project.runpytest().assert_outcomes(passed=2)

    assert descriptions(read_pacts(project.path / "pacts")["web-accounts.json"]) == [
        "a request for the balance of account 1"
    ]


def test_two_tests_defining_one_interaction_differently_fail_the_session(
    project: pytest.Pytester,
) -> None:
    project.makepyfile(
        test_one=balance_test("one", 1),
        test_other=balance_test("other", 1).replace("match.integer(100)", "match.like(100)"),
    )

    result = project.runpytest()

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*cannot merge the pact web → accounts: interaction 'a request for the balance of"
            " account 1' is defined differently by test_*.py::test_* and test_*.py::test_*"
        ]
    )


def test_pacts_from_xdist_workers_merge_into_one_file(project: pytest.Pytester) -> None:
    project.makepyfile(**{f"test_{n}": balance_test(f"n{n}", n) for n in range(1, 5)})

    result = project.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*created: 2/2 workers*"])
    pact_dir = project.path / "pacts"
    assert descriptions(read_pacts(pact_dir)["web-accounts.json"]) == [
        f"a request for the balance of account {n}" for n in range(1, 5)
    ]
    assert [p.name for p in pact_dir.iterdir()] == ["web-accounts.json"]


def test_a_failing_test_contributes_no_interaction(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_one=balance_test("one", 1),
        test_broken=balance_test("broken", 2).replace('== {"balance": 100}', '== {"balance": 1}'),
    )

    project.runpytest().assert_outcomes(passed=1, failed=1)

    assert descriptions(read_pacts(project.path / "pacts")["web-accounts.json"]) == [
        "a request for the balance of account 1"
    ]


def test_pact_dir_option_chooses_the_directory(project: pytest.Pytester) -> None:
    project.makepyfile(test_one=balance_test("one", 1))

    project.runpytest("--pact-dir", "build/contracts").assert_outcomes(passed=1)

    assert list(read_pacts(project.path / "build" / "contracts")) == ["web-accounts.json"]
    assert not (project.path / "pacts").exists()


def test_a_session_without_pact_tests_does_not_touch_the_default_directory(
    project: pytest.Pytester,
) -> None:
    pact_dir = project.path / "pacts"
    pact_dir.mkdir()
    old = pact_dir / "web-accounts.json"
    old.write_text(json.dumps({"consumer": {"name": "web"}, "provider": {"name": "accounts"}}))
    project.makepyfile(test_plain="def test_plain():\n    assert True\n")

    project.runpytest().assert_outcomes(passed=1)

    assert old.exists()


def test_an_explicit_pact_dir_is_cleared_of_stale_pacts_but_not_of_other_files(
    project: pytest.Pytester,
) -> None:
    pact_dir = project.path / "contracts"
    pact_dir.mkdir()
    stale = pact_dir / "gone-accounts.json"
    stale.write_text(json.dumps({"consumer": {"name": "gone"}, "provider": {"name": "x"}}))
    unrelated = pact_dir / "settings.json"
    unrelated.write_text('{"keep": true}')
    project.makepyfile(test_plain="def test_plain():\n    assert True\n")

    result = project.runpytest("--pact-dir", "contracts")

    result.assert_outcomes(passed=1)
    assert not stale.exists()
    assert unrelated.exists()
    result.stdout.fnmatch_lines(["*removed stale*gone-accounts.json"])


def test_marker_names_can_be_overridden_by_factory_arguments(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_factory=balance_test("one", 1).replace(
            "def test_one(pact):",
            "def test_one(pact_factory):\n    pact = pact_factory(provider='ledger')",
        )
    )

    project.runpytest().assert_outcomes(passed=1)

    assert list(read_pacts(project.path / "pacts")) == ["web-ledger.json"]


def test_a_pact_without_names_is_a_usage_error(project: pytest.Pytester) -> None:
    project.makepyfile(test_nameless="def test_nameless(pact):\n    pass\n")

    result = project.runpytest()

    result.stdout.fnmatch_lines(["*the pact needs a consumer and a provider name*"])
    assert result.ret != pytest.ExitCode.OK
