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
from accord_broker.db.engine import Database
from accord_broker.domain import matrix
from accord_broker.domain.matrix import whole_branch
from accord_broker.ui.matrix_page import MatrixFilters, MatrixPage, load_matrix_page
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import (
    create_environment,
    deploy,
    ensure_version,
    publish,
    verify,
)
from tests.broker.sqlite_work import url_steps
from tests.broker.statement_counts import select_statements

SHORT, LONG = range(1, 5), range(5, 21)
LONGER = range(5, 41)
"""The steps test's long history: ten times the short one, so that a cost growing by a few
steps per version stands out of the slow (logarithmic) deepening of the tables' B-trees."""
STEPS_PER_CALLBACK = 10


def _grow(broker: RunningBroker, versions: range) -> None:
    """Web publishes ``versions`` on main (tagged ``dev``), all with the same (hot) content;
    Accounts verifies the newest of them from a new version on main each time, so the hot
    content's results grow with the history; Web's feature branch gets a version whose result
    failed. Accounts ``a0``, which verifies nothing, is in staging."""
    if versions.start == 1:
        create_environment(broker, "staging")
        ensure_version(broker, "Accounts", "a0")
        deploy(broker, "Accounts", "a0", "staging")
    for n in versions:
        publish(broker, "Web", f"{n}.0.0", "Accounts", "hot call", branch="main", tags=["dev"])
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


def _ui_both_branches(session: Session) -> object:
    filters = MatrixFilters(consumer_branch="main", provider_branch="main", limit=3)
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
    "pair every row": _asked(f"{PAIR}&limit=3"),
    "two versions": _asked(
        "q[][pacticipant]=Web&q[][version]=1.0.0&q[][pacticipant]=Accounts&q[][version]=a1&limit=3"
    ),
    "--latest dev": _asked(
        "q[][pacticipant]=Web&q[][latest]=true&q[][tag]=dev&latestby=cvp&latest=true&limit=3"
    ),
    "unverified in staging": _asked(
        "q[][pacticipant]=Web&q[][version]=1.0.0&latestby=cvpv&environment=staging"
    ),
    "provider --branch": _asked(
        "q[][pacticipant]=Accounts&q[][branch]=main&latestby=cvp&latest=true&limit=3"
    ),
    "UI both branches every row": _ui_both_branches,
    "provider alone": _asked("q[][pacticipant]=Accounts&latestby=cvpv&limit=3"),
    "consumer alone": _asked("q[][pacticipant]=Web&latestby=cvpv&limit=3"),
}

STATEMENT_BUDGET = 9
"""Pacticipants, the branch, integrations, the rows, the rows' versions on the branch, the
reasons' evidence (newest result per content; failed results; their contents). Without
``latestby`` the rows are four statements (publications, their results, both read in full)."""
PAGE_STATEMENTS = 1
"""A UI page also reads its versions' chips and which results are contract comparisons (one
statement, ``page_chips``)."""


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
    over = {
        name: count
        for name, count in short.items()
        if count > STATEMENT_BUDGET + (PAGE_STATEMENTS if name.startswith("UI") else 0)
    }
    assert over == {}, short


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
        _grow(broker, LONGER)
        many = {name: _steps(sqlite_url, ask) for name, ask in QUESTIONS.items()}

    # ten times the versions and results: reading (or sorting) every pact, result, tagged
    # version or branch version added ~30 % to ~300 % (issue #20); a flat question grows
    # by a few steps, where its tables' B-trees deepen
    grown = {
        name: (few[name], many[name])
        for name in QUESTIONS
        if many[name] >= 1.1 * few[name] + 4 * STEPS_PER_CALLBACK
    }
    assert all(few.values()), few
    assert grown == {}


def _seen(answer: object) -> object:
    """What a question answered: the rows (and the verdict), to compare two ways of reading."""
    if isinstance(answer, matrix.MatrixAnswer):
        result = answer.result
        return result.considered, result.ignored, answer.verdict
    assert isinstance(answer, MatrixPage)
    return answer.rows, answer.problems


BRANCH_QUESTIONS = (
    "--branch",
    "--main-branch",
    "--branch --to-environment",
    "feature branch",
    "provider --branch",
    "UI matrix filtered",
    "UI both branches every row",
)


def test_a_large_branch_is_answered_as_a_small_one(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large branch is read by walking the pacts (and, without ``latestby``, the
    publications) newest first, per provider or per consumer (``LATERAL`` on PostgreSQL), and
    testing membership; a small one through its versions: the answers are the same."""
    with start_broker(database_url) as broker:
        _grow(broker, SHORT)
        _set_main_branch(broker)

        def answers() -> dict[str, object]:
            database = Database(database_url)
            try:
                with database.read_session() as session:
                    return {name: _seen(QUESTIONS[name](session)) for name in BRANCH_QUESTIONS}
            finally:
                database.dispose()

        small = answers()
        monkeypatch.setattr(whole_branch, "SMALL_BRANCH", 1)
        large = answers()

    assert large == small
