"""accounts honours the pacts its consumers write, checked by the accord verifier.

The pacts are written in this session by running the consumers' own contract tests (web and
transfers, both consumers of accounts) with ``--pact-dir`` into a private temporary directory,
so the check always sees the consumers' current expectations and never a stale file, under
``-n 2`` and in any order. Provider states insert rows through SQLAlchemy with
``providers.accounts.states``; every interaction starts from empty tables.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from accord.testing import serve_app
from accord.verifier import ProviderStates, VerificationFailed, VerificationResult, verify
from providers.accounts.app import create_app
from providers.accounts.db import Account, Customer
from providers.accounts.states import STATES, reset, set_up_state

REPOSITORY = Path(__file__).resolve().parents[3]
CONSUMER_TESTS_OF_ACCOUNTS = (
    "consumers/web/tests/test_accounts_pact.py",
    "providers/transfers/tests/test_accounts_pact.py",
)


def write_consumer_pacts(pact_dir: Path, test_files: tuple[str, ...]) -> Path:
    """Run consumer contract tests in a child pytest that writes their pacts into ``pact_dir``.

    A child process, because the consumer plugin owns its session's pact directory; the
    ``PYTEST_*`` variables of an xdist worker are dropped so the child is a plain session.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PACT_DO_NOT_TRACK"] = "true"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    completed = subprocess.run(
        [*command, *test_files, "--pact-dir", str(pact_dir)],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if completed.returncode != 0 or not any(pact_dir.glob("*.json")):
        pytest.fail(
            f"the consumer tests did not write pacts (exit {completed.returncode}):\n"
            f"{completed.stdout[-3000:]}\n{completed.stderr[-2000:]}"
        )
    return pact_dir


def accounts_provider_states(sessions: sessionmaker) -> ProviderStates:  # type: ignore[type-arg]
    """Every state of ``providers.accounts.states``; tables are emptied after each interaction."""
    states = ProviderStates()
    for name in STATES:
        states.add(
            name,
            lambda params, name=name: set_up_state(sessions, name, params),
            teardown=lambda: reset(sessions),
        )
    return states


@pytest.fixture(scope="session")
def accounts_pacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_consumer_pacts(
        tmp_path_factory.mktemp("accounts-pacts"), CONSUMER_TESTS_OF_ACCOUNTS
    )


def verify_accounts(pacts: Path, tmp_path: Path, *, breaking: bool) -> VerificationResult:
    app = create_app(f"sqlite:///{tmp_path / 'accounts.sqlite'}", breaking=breaking)
    return verify(
        dirs=[pacts],
        provider_name="accounts",
        app=app,
        provider_states=accounts_provider_states(app.state.sessions),
        output=None,
        raise_on_failure=False,
    )


def test_accounts_honours_every_interaction_web_and_transfers_expect(
    accounts_pacts: Path, tmp_path: Path
) -> None:
    result = verify_accounts(accounts_pacts, tmp_path, breaking=False)

    assert {pact.consumer for pact in result.pacts} == {"web", "transfers"}
    assert [r.test_id for r in result.interactions if r.outcome != "passed"] == []
    assert len(result.interactions) >= 7
    assert result.success


def test_accounts_served_by_uvicorn_honours_the_pacts_over_http(
    accounts_pacts: Path, tmp_path: Path
) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'accounts.sqlite'}", breaking=False)

    with serve_app(app) as server:
        result = verify(
            dirs=[accounts_pacts],
            provider_name="accounts",
            provider_base_url=server.url,
            provider_states=accounts_provider_states(app.state.sessions),
            output=None,
        )

    assert result.success
    assert any("larger than the balance" in r.description for r in result.interactions)


def test_renaming_balance_to_amount_breaks_exactly_the_interactions_that_read_balance(
    accounts_pacts: Path, tmp_path: Path
) -> None:
    result = verify_accounts(accounts_pacts, tmp_path, breaking=True)

    failed = {r.test_id for r in result.failures}
    assert "web::a request for the balance of account 1" in failed
    assert "transfers::a debit of 1250 from account 1" in failed
    assert "web::a login with valid credentials" not in failed
    for interaction in result.failures:
        assert any(m.path.endswith(".balance") for m in interaction.mismatches), interaction


def test_verify_raises_verification_failed_naming_the_summary_when_a_pact_is_broken(
    accounts_pacts: Path, tmp_path: Path
) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'accounts.sqlite'}", breaking=True)

    with pytest.raises(VerificationFailed, match=r"pact verification failed: \d+ interactions"):
        verify(
            dirs=[accounts_pacts],
            provider_name="accounts",
            app=app,
            provider_states=accounts_provider_states(app.state.sessions),
            output=None,
        )


def test_a_state_leaves_no_rows_behind_for_the_next_interaction(
    accounts_pacts: Path, tmp_path: Path
) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'accounts.sqlite'}", breaking=False)
    sessions = app.state.sessions

    verify(
        dirs=[accounts_pacts],
        provider_name="accounts",
        app=app,
        provider_states=accounts_provider_states(sessions),
        output=None,
    )

    with sessions() as session:
        assert session.query(Customer).count() == 0
        assert session.query(Account).count() == 0
