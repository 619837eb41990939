"""Issue #21: the CLI never lies to CI (no green or red by mistake; fast, clear failures).

Each test reproduces one finding against real servers on 127.0.0.1 (the accord broker, a
recording stand-in broker, the example provider) and pins the exit code of
``docs/exit-codes.md``: 0 ok, 1 check failed, 2 usage or input error, 3 nothing to verify.
"""

import copy
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
from cli_support import ACCORD, Accord, accounts_provider, make_pact, recording_broker, write_pact

from accord.testing import free_port, serve_app

INDEX = {"_links": {"pb:environments": {"href": "/environments"}}}


# -- 2. verify without a provider address -------------------------------------------------------


def test_verify_without_a_provider_address_is_a_usage_error_before_any_call(
    tmp_path: Path,
) -> None:
    app, seen = recording_broker({})
    with serve_app(app) as stub:
        result = Accord(stub.url)(
            "verify", "--provider-name", "Accounts", "--publish", "--provider-version", "1"
        )

    assert result.exit_code == 2, result.output
    assert "--provider-base-url" in result.stderr
    assert "--hostname" in result.stderr
    assert "provider_base_url" not in result.stderr
    assert seen == []  # nothing fetched, nothing published


def test_verify_configuration_errors_name_flags_not_python_parameters(tmp_path: Path) -> None:
    pact = write_pact(tmp_path, make_pact())

    result = Accord("")(
        "verify", "-f", str(pact), "--port", "1", "--publish",
        env={"PACT_BROKER_BASE_URL": None},
    )  # fmt: skip

    assert result.exit_code == 2
    assert "--provider-version" in result.stderr
    assert "provider_version" not in result.stderr


# -- 3. a broker that is down ----------------------------------------------------------------------


def test_a_refused_connection_fails_at_once_and_asks_whether_the_broker_runs() -> None:
    url = f"http://127.0.0.1:{free_port()}"

    started = time.perf_counter()
    result = Accord(url)("list-environments")  # default retries: 8
    elapsed = time.perf_counter() - started

    assert result.exit_code == 1
    assert elapsed < 5
    assert f"connection refused; is the broker running at {url}?" in result.stderr
    assert "retry" not in result.stderr
    assert "urllib3" not in result.stderr and "HTTPConnection" not in result.stderr


def test_an_unknown_host_is_reported_as_such_without_retrying() -> None:
    url = "http://no-such-broker.invalid:9292"

    started = time.perf_counter()
    result = Accord(url)("list-environments")

    assert result.exit_code == 1
    assert time.perf_counter() - started < 5
    assert "host name could not be resolved; is the broker running at" in result.stderr


def test_each_retry_of_a_5xx_is_visible_and_bounded() -> None:
    app, seen = recording_broker({"GET /": [(200, INDEX)], "GET /environments": [(503, {})]})
    with serve_app(app) as stub:
        result = Accord(stub.url)("list-environments", "--retries", "2", "--retry-backoff", "0")

    assert result.exit_code == 1
    notices = [line for line in result.stderr.splitlines() if "HTTP 503; retry" in line]
    assert [n.split("; ")[-1] for n in notices] == ["retry 1 of 2 in 0 s", "retry 2 of 2 in 0 s"]
    assert len([r for r in seen if r.path == "/environments"]) == 3


# -- 4. can-i-deploy: unknown versions, no version selection -------------------------------------


def test_can_i_deploy_for_a_version_that_does_not_exist_says_so_and_how_to_create_it(
    tmp_path: Path, accord: Accord
) -> None:
    pact = write_pact(tmp_path, make_pact())
    assert accord("publish", str(pact), "--consumer-app-version", "1").exit_code == 0
    assert accord("create-environment", "--name", "production").exit_code == 0

    result = accord("can-i-deploy", "-a", "Web", "-e", "999", "--to-environment", "production")

    assert result.exit_code == 2
    assert "version '999' of 'Web' does not exist" in result.stderr
    assert "accord create-or-update-version --pacticipant Web --version 999" in result.stderr


def test_can_i_deploy_without_a_version_selection_is_a_usage_error() -> None:
    app, seen = recording_broker({})
    with serve_app(app) as stub:
        result = Accord(stub.url)("can-i-deploy", "-a", "Web", "--to-environment", "production")

    assert result.exit_code == 2
    assert "--pacticipant Web has no version" in result.stderr
    assert "--version" in result.stderr and "--branch" in result.stderr
    assert seen == []


def test_why_not_does_not_repeat_the_brokers_explanation(tmp_path: Path, accord: Accord) -> None:
    pact = write_pact(tmp_path, make_pact())
    accord("publish", str(pact), "--consumer-app-version", "1")
    accord("create-environment", "--name", "production")

    result = accord("can-i-deploy", "-a", "Web", "-e", "1", "--to-environment", "production")

    assert result.exit_code == 1
    pact_url = f"{accord.broker_url}/pacts/provider/Accounts/consumer/Web/version/1"
    assert result.stdout.count(pact_url) == 1, result.stdout


# -- 5. provider states are never skipped silently -------------------------------------------------


def _pact_with_state(tmp_path: Path) -> Path:
    document = make_pact()
    document["interactions"][0]["providerStates"] = [{"name": "account 1 exists"}]
    return write_pact(tmp_path, document)


def test_a_state_without_a_state_change_url_is_a_warning_naming_it(tmp_path: Path) -> None:
    pact = _pact_with_state(tmp_path)
    with serve_app(accounts_provider()) as provider:
        result = Accord("")("verify", "-f", str(pact), "--provider-base-url", provider.url)

    assert result.exit_code == 0, result.output
    assert "warning: no provider state callback configured for provider state " in result.stdout
    assert "'account 1 exists'" in result.stdout


def test_strict_states_refuse_states_nothing_sets_up_before_replaying(tmp_path: Path) -> None:
    pact = _pact_with_state(tmp_path)
    app, seen = recording_broker({})
    with serve_app(app) as provider:
        result = Accord("")(
            "verify", "-f", str(pact), "--provider-base-url", provider.url, "--strict-states"
        )

    assert result.exit_code == 2
    assert "'account 1 exists'" in result.stderr
    assert seen == []  # the provider was never called


# -- 6. files mean files ---------------------------------------------------------------------------


def test_an_exported_broker_url_does_not_add_the_brokers_pacts_to_a_file(
    tmp_path: Path, accord: Accord
) -> None:
    broken = write_pact(tmp_path / "broker", make_pact(name="Bob"))
    accord("publish", str(broken), "--consumer-app-version", "1")
    pact = write_pact(tmp_path / "local", make_pact())
    with serve_app(accounts_provider()) as provider:
        result = accord("verify", "-f", str(pact), "--provider-base-url", provider.url)

    assert result.exit_code == 0, result.output
    assert "1 interaction, 1 passed, 0 failed" in result.stdout


def test_a_missing_file_is_reported_as_a_missing_file(tmp_path: Path, accord: Accord) -> None:
    missing = tmp_path / "nope.json"

    result = accord("verify", "-f", str(missing), "--port", "1")

    assert result.exit_code == 2
    assert f"pact file '{missing}' does not exist" in result.stderr
    assert "provider name" not in result.stderr


def test_explicit_selection_flags_still_ask_the_exported_broker(
    tmp_path: Path, accord: Accord
) -> None:
    published = write_pact(tmp_path / "broker", make_pact(name="Bob"))
    accord("publish", str(published), "--consumer-app-version", "1", "--branch", "main")
    pact = write_pact(tmp_path / "local", make_pact())
    with serve_app(accounts_provider()) as provider:
        result = accord(
            "verify", "-f", str(pact), "--provider-base-url", provider.url,
            "--provider-name", "Accounts", "--consumer-version-selectors", '{"branch": "main"}',
        )  # fmt: skip

    assert result.exit_code == 1  # the broker's pact (name Bob) fails against Alice
    assert "2 interactions, 1 passed, 1 failed" in result.stdout


# -- 7. accord broker serve ----------------------------------------------------------------------


def _accord_binary(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ACCORD, *args], capture_output=True, text=True, timeout=60, check=False)


def test_serve_refuses_a_sqlite_file_in_a_directory_that_does_not_exist(tmp_path: Path) -> None:
    directory = tmp_path / "typo" / "dir"

    run = _accord_binary("broker", "serve", "--database-url", f"sqlite:///{directory}/x.sqlite")

    assert run.returncode == 2
    assert f"mkdir -p {directory}" in run.stderr
    assert not (tmp_path / "typo").exists()


def test_serve_lists_the_supported_databases_for_an_unsupported_scheme() -> None:
    run = _accord_binary("broker", "serve", "--database-url", "mysql://u:secret@db/broker")

    assert run.returncode == 2
    assert "sqlite:///" in run.stderr and "postgresql+psycopg://" in run.stderr
    assert "Traceback" not in run.stderr
    assert "secret" not in run.stderr


def test_serve_reports_a_busy_port_before_anything_starts(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        run = _accord_binary(
            "broker", "serve", "--port", str(port),
            "--database-url", f"sqlite:///{tmp_path}/broker.sqlite",
        )  # fmt: skip

    assert run.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in run.stderr
    assert "startup complete" not in run.stderr + run.stdout
    assert "Traceback" not in run.stderr


# -- 8. the smaller ones -----------------------------------------------------------------------


def test_dash_h_is_help_for_verify_too() -> None:
    result = Accord("")("verify", "-h")

    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert "--hostname" in result.stdout


def test_broker_help_is_plain_sentences_with_an_example_each() -> None:
    commands = [[], ["serve"], ["migrate"], ["clean"], ["token"]]
    commands += [["token", "create"], ["token", "list"], ["token", "revoke"]]
    for command in commands:
        result = Accord("")("broker", *command, "--help")
        assert result.exit_code == 0, command
        assert "Example" in result.stdout, command
        assert "``" not in result.stdout and ":class:" not in result.stdout, command
        assert not re.search(r"\w\s*\n\s*\n\s*Options:", result.stdout), command


def test_a_pact_with_a_regex_that_does_not_compile_is_refused_with_its_path(
    tmp_path: Path, accord: Accord
) -> None:
    document = copy.deepcopy(make_pact())
    document["interactions"][0]["response"]["matchingRules"] = {
        "body": {"$.name": {"combine": "AND", "matchers": [{"match": "regex", "regex": "("}]}}
    }
    pact = write_pact(tmp_path, document)

    result = accord("publish", str(pact), "--consumer-app-version", "1")

    assert result.exit_code == 2, result.output
    assert "interactions[0].response.matchingRules.body.$.name.matchers[0].regex" in (result.stderr)


def test_a_malformed_pact_is_exit_2_when_the_broker_refuses_it(tmp_path: Path) -> None:
    refusal = {"errors": {"contracts[0].content": ["is not a valid pact"]}}
    app, _ = recording_broker(
        {
            "GET /": [(200, {"_links": {"pb:publish-contracts": {"href": "/contracts/publish"}}})],
            "POST /contracts/publish": [(400, refusal)],
        }
    )
    pact = write_pact(tmp_path, make_pact())
    with serve_app(app) as stub:
        result = Accord(stub.url)("publish", str(pact), "--consumer-app-version", "1")

    assert result.exit_code == 2, result.output
    assert "is not a valid pact" in result.stderr


@pytest.mark.parametrize("pending", [1, 2])
def test_summaries_count_in_the_singular_when_there_is_one(pending: int) -> None:
    from accord.verifier.results import InteractionResult, Mismatch, PactResult
    from accord.verifier.results import VerificationResult as Result

    def failed(name: str) -> InteractionResult:
        mismatch = Mismatch("body", "$", 1, 2, "x")
        return InteractionResult(
            "Web", "Accounts", name, "http", pending=True, mismatches=(mismatch,)
        )

    result = Result(
        (PactResult("Web", "Accounts", "f", tuple(failed(str(i)) for i in range(pending))),)
    )

    noun = "interaction" if pending == 1 else "interactions"
    failures = "failure" if pending == 1 else "failures"
    assert result.summary() == (
        f"{pending} {noun}, 0 passed, 0 failed, {pending} pending {failures} (not fatal)"
    )


def test_exit_codes_are_documented_in_one_table() -> None:
    table = Path(__file__).parents[2] / "docs" / "exit-codes.md"
    text = table.read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| ")}
    assert {"0", "1", "2", "3"} <= rows
    assert "Nothing to verify" in text
