"""The hot questions take a fixed, small number of statements, whatever the history.

On PostgreSQL every statement is a network round trip plus SQLAlchemy's work, which at full
size costs more than the index seeks the statement runs (``docs/benchmarks.md``). These tests
count the statements of can-i-deploy and of for-verification (pending and WIP included) on a
short and on a longer history of the same shape: the counts must be equal, and stay within the
budget the benchmark figures were measured with.
"""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from accord_broker.api.hal import Urls
from accord_broker.api.matrix import render_answer
from accord_broker.domain import matrix
from accord_broker.domain.for_verification.resolution import pacts_for_verification
from accord_broker.domain.for_verification.selectors import parse_for_verification_request
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import create_environment, deploy, publish, verify
from tests.broker.statement_counts import select_statements

CAN_I_DEPLOY_BUDGET = 3
"""Pacticipants with the environment and the version; integrations with the other sides'
versions in the environment; rows. Plus one statement for the rows' branches, tags and
environments when rendering."""
FOR_VERIFICATION_BUDGET = 1
"""Selectors, pending and WIP in one statement, the provider found by name inside it."""


def _newest_main(versions: int) -> int:
    return max(n for n in range(1, versions + 1) if n % 3)


def _history(broker: RunningBroker, versions: int) -> None:
    """Web publishes ``versions`` versions on main (every third on a feature branch instead);
    Accounts verifies each, and the version that verified Web's main head is in production."""
    create_environment(broker, "production", production=True)
    for n in range(1, versions + 1):
        branch = "main" if n % 3 else f"feat-{n}"
        publish(broker, "Web", f"{n}.0.0", "Accounts", f"call {n % 2}", branch=branch)
        verify(broker, "Accounts", f"a{n}", "Web", f"{n}.0.0", branch="main")
    deploy(broker, "Accounts", f"a{_newest_main(versions)}", "production")


def _can_i_deploy(version: str) -> Callable[[Session], object]:
    query = matrix.parse_matrix_query(
        f"q[][pacticipant]=Web&q[][version]={version}&latestby=cvpv&environment=production"
    )

    def ask(session: Session) -> object:
        answer = matrix.answer(session, query)
        assert answer.verdict.deployable is True
        return render_answer(session, Urls("http://broker"), answer)

    return ask


def _for_verification(session: Session) -> object:
    since = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
    request = parse_for_verification_request(
        {
            "consumerVersionSelectors": [{"mainBranch": True}, {"deployedOrReleased": True}],
            "includePendingStatus": True,
            "includeWipPactsSince": since,
            "providerVersionBranch": "main",
        }
    )
    pacts = pacts_for_verification(session, "Accounts", request)
    assert pacts, "the main branch head's pact is selected"
    return pacts


@pytest.fixture(params=[2, 9], ids=["short-history", "longer-history"])
def history(request: pytest.FixtureRequest, database_url: str) -> Iterator[tuple[str, int]]:
    with start_broker(database_url) as broker:
        _history(broker, request.param)
    yield database_url, request.param


def test_can_i_deploy_runs_a_fixed_number_of_statements(history: tuple[str, int]) -> None:
    database_url, versions = history

    count = select_statements(database_url, _can_i_deploy(f"{_newest_main(versions)}.0.0"))

    assert count == CAN_I_DEPLOY_BUDGET + 1


def test_for_verification_with_pending_and_wip_runs_a_fixed_number_of_statements(
    history: tuple[str, int],
) -> None:
    database_url, _versions = history

    count = select_statements(database_url, _for_verification)

    assert count == FOR_VERIFICATION_BUDGET
