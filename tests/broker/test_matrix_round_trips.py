"""The matrix of a pair without ``latestby`` (every row) and the UI matrix page take a fixed
number of statements, whatever the history.

Without ``latestby`` the rows come from every publication and every result (``every_row``);
the results of each publication of the page used to be read by a statement of their own, about
a hundred per answer (docs/benchmarks.md, issue #20). These tests count the statements on a
short and on a longer history of the same shape: the counts must be equal.
"""

from collections.abc import Callable

from accord_broker.api.hal import Urls
from accord_broker.api.matrix import render_answer
from accord_broker.domain import matrix
from accord_broker.ui.matrix_page import MatrixFilters, load_matrix_page
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import publish, verify
from tests.broker.statement_counts import select_statements

STATEMENT_BUDGET = 12
"""Selectors, integrations, the page's publications, their best results (one statement), the
rows in full (two), the versions' branches, tags and environments, and the page's extras."""


def _every_row(session: Session) -> object:
    query = matrix.parse_matrix_query("q[][pacticipant]=Web&q[][pacticipant]=Accounts&limit=100")
    answer = matrix.answer(session, query)
    assert answer.result.considered, "the pair has rows"
    assert all(row.success for row in answer.result.considered)
    return render_answer(session, Urls("http://broker"), answer)


def _ui_page(filters: MatrixFilters) -> Callable[[Session], object]:
    def ask(session: Session) -> object:
        page = load_matrix_page(session, "Web", "Accounts", filters)
        assert page.rows and not page.problems
        return page

    return ask


def _grow(broker: RunningBroker, versions: range) -> None:
    """Web publishes ``versions`` on main, each tagged ``prod``; two provider versions verify
    each (successfully) and are tagged ``prod``, so every publication of a page has results."""
    for n in versions:
        publish(broker, "Web", f"{n}.0.0", "Accounts", f"call {n % 2}", branch="main")
        broker.put(f"/pacticipants/Web/versions/{n}.0.0/tags/prod", {})
        for side in ("a", "b"):
            verify(broker, "Accounts", f"{side}{n}", "Web", f"{n}.0.0", branch="main")
            broker.put(f"/pacticipants/Accounts/versions/{side}{n}/tags/prod", {})


QUESTIONS: dict[str, Callable[[Session], object]] = {
    "matrix every row": _every_row,
    "UI matrix of a pair": _ui_page(MatrixFilters()),
    "UI matrix by tags": _ui_page(MatrixFilters(consumer_tag="prod", provider_tag="prod")),
}


def test_the_every_row_matrix_runs_a_fixed_number_of_statements(database_url: str) -> None:
    with start_broker(database_url) as broker:
        _grow(broker, range(1, 3))
        short = {name: select_statements(database_url, ask) for name, ask in QUESTIONS.items()}
        _grow(broker, range(3, 10))
        longer = {name: select_statements(database_url, ask) for name, ask in QUESTIONS.items()}

    assert longer == short
    assert max(short.values()) <= STATEMENT_BUDGET, short
