"""The matrix's branch forms and a hot pact version cost the same, however long the history.

Issue #20 found three ways the matrix grew with history: each pact of a page was joined to
*every* result of its content (a hot content is verified by every provider version) and all
were sorted before the limit; a whole branch (``q[][branch]=main`` without ``latest``) became
one selector, and one bound parameter, per version on it; and each failed or unverified row of
an answer ran statements of its own for its reason. Here a pair grows from a short to a long
history of the same shape (every provider version verifies the hot content, both sides on
``main``, a feature branch with failures) and each question is asked on both: its statements
must be equal on both databases and, on SQLite, the virtual machine's steps must not grow
(``sqlite_work.py`` explains the measure).
"""

from collections.abc import Callable, Iterator

import pytest
from accord_broker.domain import matrix
from accord_broker.domain.matrix import whole_branch
from accord_broker.ui.matrix_page import MatrixFilters, load_matrix_page
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import create_environment, deploy, publish, verify
from tests.broker.sqlite_work import url_steps
from tests.broker.statement_counts import select_statements

SHORT, LONG = range(1, 5), range(5, 21)
STEPS_PER_CALLBACK = 50


def _grow(broker: RunningBroker, versions: range) -> None:
    """Web publishes ``versions`` on main, all with the same (hot) content; Accounts verifies
    the newest of them from a new version on main each time, so the hot content's results
    grow with the history; Web's feature branch gets a version whose result failed."""
    for n in versions:
        publish(broker, "Web", f"{n}.0.0", "Accounts", "hot call", branch="main")
        verify(broker, "Accounts", f"a{n}", "Web", f"{n}.0.0", branch="main")
        publish(broker, "Web", f"f{n}", "Accounts", f"feature call {n}", branch="feat")
        verify(broker, "Accounts", f"a{n}", "Web", f"f{n}", success=False, branch="main")
    if versions.start == 1:
        create_environment(broker, "production", production=True)
        deploy(broker, "Accounts", "a1", "production")


def _asked(query: str) -> Callable[[Session], object]:
    def ask(session: Session) -> object:
        answer = matrix.answer(session, matrix.parse_matrix_query(query))
        assert answer.result.considered, query
        return answer

    return ask


def _ui_filtered(session: Session) -> object:
    filters = MatrixFilters(consumer_branch="main", provider_branch="main", latestby="cvp", limit=3)
    page = load_matrix_page(session, "Web", "Accounts", filters)
    assert page.rows and not page.problems
    return page


PAIR = "q[][pacticipant]=Web&q[][pacticipant]=Accounts"
QUESTIONS: dict[str, Callable[[Session], object]] = {
    "pair cvpv": _asked(f"{PAIR}&latestby=cvpv&limit=3"),
    "pair cvp": _asked(f"{PAIR}&latestby=cvp&limit=3"),
    "--branch": _asked("q[][pacticipant]=Web&q[][branch]=main&latestby=cvp&latest=true&limit=3"),
    "--main-branch": _asked(
        "q[][pacticipant]=Web&q[][mainBranch]=true&latestby=cvp&latest=true&limit=3"
    ),
    "--branch --to-environment": _asked(
        "q[][pacticipant]=Web&q[][branch]=main&latestby=cvpv&environment=production&limit=3"
    ),
    "feature branch": _asked(
        "q[][pacticipant]=Web&q[][branch]=feat&latestby=cvpv&environment=production&limit=3"
    ),
    "UI matrix filtered": _ui_filtered,
}

STATEMENT_BUDGET = 9
"""Pacticipants, the branch, integrations, the rows, the rows' versions on the branch, the
reasons' evidence (newest result per content; failed results; their contents)."""


def _set_main_branch(broker: RunningBroker) -> None:
    response = broker.patch("/pacticipants/Web", {"mainBranch": "main"})
    assert response.status_code == 200, response.text


@pytest.fixture
def large_branches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat every branch as large (read by walking the pacts newest first), so the short
    histories here take the path a branch of thousands of versions takes."""
    monkeypatch.setattr(whole_branch, "SMALL_BRANCH", 1)


def test_the_matrix_branch_forms_run_a_fixed_number_of_statements(database_url: str) -> None:
    with start_broker(database_url) as broker:
        _grow(broker, SHORT)
        _set_main_branch(broker)
        short = {name: select_statements(database_url, ask) for name, ask in QUESTIONS.items()}
        _grow(broker, LONG)
        longer = {name: select_statements(database_url, ask) for name, ask in QUESTIONS.items()}

    assert longer == short
    assert max(short.values()) <= STATEMENT_BUDGET, short


def _steps(url: str, ask: Callable[[Session], object]) -> int:
    return url_steps(url, ask, STEPS_PER_CALLBACK)


@pytest.fixture
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield f"sqlite:///{tmp_path_factory.mktemp('flat') / 'broker.sqlite'}"


@pytest.mark.usefixtures("large_branches")
def test_the_matrix_work_does_not_grow_with_the_history(sqlite_url: str) -> None:
    with start_broker(sqlite_url) as broker:
        _grow(broker, SHORT)
        _set_main_branch(broker)
        few = {name: _steps(sqlite_url, ask) for name, ask in QUESTIONS.items()}
        _grow(broker, LONG)
        many = {name: _steps(sqlite_url, ask) for name, ask in QUESTIONS.items()}

    # five times the versions and results: joining every result would cost ~5x the steps
    grown = {
        name: (few[name], many[name])
        for name in QUESTIONS
        if many[name] >= 1.5 * few[name] + 4 * STEPS_PER_CALLBACK
    }
    assert all(few.values()), few
    assert grown == {}
