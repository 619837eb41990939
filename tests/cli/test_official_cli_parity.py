"""The official `pact broker` CLI and accord, on the same broker state, agree.

Verdicts and exit codes of can-i-deploy, and the content of describe-version and
list-environments, are compared command by command.
"""

import json
from pathlib import Path

import pytest
from cli_support import ACCORD, PACT, Accord, accounts_provider, make_pact, run_binary, write_pact

from accord.testing import serve_app

pytestmark = pytest.mark.interop


@pytest.fixture
def state(accord: Accord, broker_url: str, tmp_path: Path) -> str:
    """Web 1.0.0 verified by Accounts 2.0.0 (in production); Web 1.1.0 failed by 2.1.0;
    Web 1.2.0 never verified."""
    steps = (("1.0.0", "Alice", "2.0.0"), ("1.1.0", "Bob", "2.1.0"), ("1.2.0", "Carol", None))
    for version, name, provider_version in steps:
        pact = write_pact(tmp_path / version, make_pact(name=name))
        published = accord("publish", str(pact), "-a", version, "--branch", "main", "-t", "dev")
        assert published.exit_code == 0, published.output
        if provider_version is None:
            continue
        with serve_app(accounts_provider(name="Alice")) as provider:
            verified = accord(
                "verify", "--broker-url", broker_url, "--provider-name", "Accounts",
                "--provider-base-url", provider.url,
                "--consumer-version-selectors", '{"latest": true}',
                "--publish", "--provider-version", provider_version,
            )  # fmt: skip
        assert verified.exit_code == (0 if name == "Alice" else 1), verified.output
    for environment in ("production", "test"):
        assert accord("create-environment", "--name", environment).exit_code == 0
    accord("record-deployment", "-a", "Accounts", "-e", "2.0.0", "--environment", "production")
    accord("record-deployment", "-a", "Web", "-e", "1.0.0", "--environment", "production")
    return broker_url


def both(broker_url: str, *args: str) -> tuple[tuple[int, str], tuple[int, str]]:
    official = run_binary([PACT, "broker", *args], broker_url=broker_url)
    ours = run_binary([ACCORD, *args], broker_url=broker_url)
    return (official.returncode, official.stdout), (ours.returncode, ours.stdout)


#: What each question must answer in this state (so the comparison cannot pass vacuously).
EXPECTED_EXIT = {
    "-a Web -e 1.0.0 --to-environment production": 0,
    "-a Web -e 1.1.0 --to-environment production": 1,
    "-a Web -e 1.2.0 --to-environment production": 1,
    "-a Web -e 9.9.9 --to-environment production": 1,
    "-a Web -e 1.0.0 --to-environment test": 1,  # Accounts is not in test (clients.md §0.13)
    "-a Accounts -e 2.0.0 --to-environment production": 0,
    "-a Accounts -e 2.1.0 --to-environment production": 1,
    "-a Web -e 1.0.0 -a Accounts -e 2.0.0": 0,
    "-a Web -e 1.1.0 -a Accounts -e 2.1.0": 1,
    "-a Web --latest": 1,
    "-a Web --latest dev --to-environment production": 1,
    "-a Web --branch main --to-environment production": 1,
    "-a Web -e 1.1.0 --to-environment production --dry-run": 0,
    "-a Web -e 1.1.0 --to-environment production --ignore Accounts": 0,
}


#: Where accord's exit code departs from the official CLI's on purpose: an input error is 2.
INPUT_ERRORS = {"-a Web -e 9.9.9 --to-environment production"}


@pytest.mark.parametrize(
    "args",
    [
        ["-a", "Web", "-e", "1.0.0", "--to-environment", "production"],
        ["-a", "Web", "-e", "1.1.0", "--to-environment", "production"],
        ["-a", "Web", "-e", "1.2.0", "--to-environment", "production"],
        ["-a", "Web", "-e", "9.9.9", "--to-environment", "production"],
        ["-a", "Web", "-e", "1.0.0", "--to-environment", "test"],
        ["-a", "Accounts", "-e", "2.0.0", "--to-environment", "production"],
        ["-a", "Accounts", "-e", "2.1.0", "--to-environment", "production"],
        ["-a", "Web", "-e", "1.0.0", "-a", "Accounts", "-e", "2.0.0"],
        ["-a", "Web", "-e", "1.1.0", "-a", "Accounts", "-e", "2.1.0"],
        ["-a", "Web", "--latest"],
        ["-a", "Web", "--latest", "dev", "--to-environment", "production"],
        ["-a", "Web", "--branch", "main", "--to-environment", "production"],
        ["-a", "Web", "-e", "1.1.0", "--to-environment", "production", "--dry-run"],
        ["-a", "Web", "-e", "1.1.0", "--to-environment", "production", "--ignore", "Accounts"],
    ],
)
def test_can_i_deploy_gives_the_same_verdict_and_exit_code(state: str, args: list[str]) -> None:
    (official_code, official_out), (our_code, our_out) = both(state, "can-i-deploy", *args)

    if " ".join(args) in INPUT_ERRORS:
        # a deliberate difference (docs/exit-codes.md): the official CLI says "no" (1) about a
        # version that does not exist; accord says it does not exist, an input error (2)
        assert (official_code, our_code) == (1, 2), f"official:\n{official_out}\naccord:\n{our_out}"
        return
    assert our_code == official_code, f"official:\n{official_out}\naccord:\n{our_out}"
    official_yes = "Computer says yes" in official_out
    assert ("Computer says yes" in our_out) == official_yes
    assert our_code == EXPECTED_EXIT[" ".join(args)]


def test_can_i_deploy_json_documents_agree(state: str) -> None:
    args = [
        "can-i-deploy",
        "-a",
        "Web",
        "-e",
        "1.1.0",
        "--to-environment",
        "production",
        "-o",
        "json",
    ]
    (official_code, official_out), (our_code, our_out) = both(state, *args)

    official = json.loads(official_out)
    ours = json.loads(our_out)
    assert our_code == official_code == 0
    assert ours["summary"]["deployable"] == official["summary"]["deployable"]
    assert len(ours["matrix"]) == len(official["matrix"])


def test_can_i_merge_agrees(state: str, accord: Accord) -> None:
    accord("create-or-update-pacticipant", "--name", "Accounts", "--main-branch", "main")
    for version in ("1.0.0", "1.1.0"):
        (official_code, _), (our_code, _) = both(state, "can-i-merge", "-a", "Web", "-e", version)
        assert our_code == official_code


@pytest.mark.parametrize(
    "args",
    [
        ["-a", "Web", "-e", "1.1.0"],
        ["-a", "Web"],
        ["-a", "Web", "--latest", "dev"],
        ["-a", "Accounts", "-e", "2.0.0"],
    ],
)
def test_describe_version_describes_the_same_version(state: str, args: list[str]) -> None:
    (official_code, official_out), (our_code, our_out) = both(
        state, "describe-version", *args, "-o", "json"
    )

    assert our_code == official_code == 0
    official, ours = json.loads(official_out), json.loads(our_out)
    assert ours["number"] == official["number"]
    assert [t["name"] for t in ours["_embedded"]["tags"]] == [
        t["name"] for t in official["_embedded"]["tags"]
    ]


def test_describe_version_of_an_unknown_version_fails_in_both(state: str) -> None:
    (official_code, _), (our_code, _) = both(state, "describe-version", "-a", "Web", "-e", "0")

    # both fail; accord's code is the input-error code of docs/exit-codes.md
    assert (official_code, our_code) == (1, 2)


def test_describe_version_table_shows_the_same_number(state: str) -> None:
    (official_code, official_out), (our_code, our_out) = both(
        state, "describe-version", "-a", "Web", "-e", "1.0.0"
    )

    assert our_code == official_code == 0
    assert "1.0.0" in official_out and "1.0.0" in our_out


def test_list_environments_lists_the_same_environments(state: str) -> None:
    (official_code, official_out), (our_code, our_out) = both(
        state, "list-environments", "-o", "json"
    )

    assert our_code == official_code == 0

    def names(document: str) -> list[tuple[str, str]]:
        listing = json.loads(document)["_embedded"]["environments"]
        return sorted((env["name"], env["uuid"]) for env in listing)

    assert names(our_out) == names(official_out)


def test_list_environments_text_mentions_the_same_names(state: str) -> None:
    (official_code, official_out), (our_code, our_out) = both(state, "list-environments")

    assert our_code == official_code == 0
    for name in ("production", "test"):
        assert name in official_out and name in our_out


def test_record_deployment_to_an_unknown_environment_fails_in_both(state: str) -> None:
    args = ["record-deployment", "-a", "Web", "-e", "1.0.0", "--environment", "nope"]
    (official_code, _), (our_code, _) = both(state, *args)

    # both fail; accord's code is the input-error code of docs/exit-codes.md
    assert (official_code, our_code) == (1, 2)


def test_an_environment_created_by_one_is_seen_by_the_other(state: str) -> None:
    created = run_binary(
        [PACT, "broker", "create-environment", "--name", "uat", "-o", "id"], broker_url=state
    )
    described = run_binary(
        [ACCORD, "describe-environment", "--uuid", created.stdout.strip(), "-o", "json"],
        broker_url=state,
    )

    assert created.returncode == 0 and described.returncode == 0, described.stderr
    assert json.loads(described.stdout)["name"] == "uat"
