"""Every version with a tag costs the same, however many versions carry it (issue #20).

The UI's matrix filtered by tags (``consumer_tag=dev&provider_tag=dev``) and scripts asking
``/matrix`` for ``q[][tag]=dev`` without ``latest`` resolved the tag into one selector per
tagged version: each row statement bound one id per version (2,500 at the scale benchmark's
size), and PostgreSQL's generic plan read every publication of the listed versions. A tag of
more than ``whole_tag.SMALL_TAG`` versions is now one selector, its rows walked newest first.
Here every version of a pair is tagged ``dev`` and the history grows tenfold with the tags
treated as large (``SMALL_TAG = 1``, the path a tag of thousands takes): each question's
statements must be equal on both databases and SQLite's virtual machine steps must not grow
(``sqlite_work.py``). (PostgreSQL's plans are measured on the kept scale data sets: on tables
this small its planner reads whole what it walks at size, as ``test_matrix_growth_plans``
says.)
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from accord_broker.domain import matrix
from accord_broker.domain.matrix import whole_tag
from accord_broker.ui.matrix_page import MatrixFilters, load_matrix_page
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import create_environment, deploy, publish, seg, verify
from tests.broker.sqlite_work import url_steps
from tests.broker.statement_counts import select_statements

SHORT, LONG, LONGER = range(1, 5), range(5, 21), range(5, 41)
STEPS_PER_CALLBACK = 10


def _grow(broker: RunningBroker, versions: range) -> None:
    """Web publishes ``versions`` tagged ``dev`` (the same hot content), each verified by a
    new Accounts version tagged ``dev``; between them an untagged feature version of Web,
    which the same Accounts version fails. Accounts ``a1`` is in production."""
    for n in versions:
        publish(broker, "Web", f"{n}.0.0", "Accounts", "hot call", tags=["dev"])
        publish(broker, "Web", f"f{n}", "Accounts", f"feature call {n}")
        verify(broker, "Accounts", f"a{n}", "Web", f"{n}.0.0")
        verify(broker, "Accounts", f"a{n}", "Web", f"f{n}", success=False)
        response = broker.put(f"/pacticipants/Accounts/versions/{seg(f'a{n}')}/tags/dev", {})
        assert response.status_code in (200, 201), response.text
    if versions.start == 1:
        create_environment(broker, "production", production=True)
        deploy(broker, "Accounts", "a1", "production")


def _asked(query: str) -> Callable[[Session], object]:
    def ask(session: Session) -> object:
        answer = matrix.answer(session, matrix.parse_matrix_query(query))
        assert answer.result.considered, query
        return answer

    return ask


def _ui(**filters: Any) -> Callable[[Session], object]:
    def ask(session: Session) -> object:
        page = load_matrix_page(session, "Web", "Accounts", MatrixFilters(**filters))
        assert page.rows and not page.problems
        return page

    return ask


DEV_DEV = "q[][pacticipant]=Web&q[][tag]=dev&q[][pacticipant]=Accounts&q[][tag]=dev"
QUESTIONS: dict[str, Callable[[Session], object]] = {
    "UI busy tags": _ui(consumer_tag="dev", provider_tag="dev", limit=3),
    "UI busy tags cvpv": _ui(consumer_tag="dev", provider_tag="dev", latestby="cvpv", limit=3),
    "dev and dev every row": _asked(f"{DEV_DEV}&limit=3"),
    "dev and dev cvpv": _asked(f"{DEV_DEV}&latestby=cvpv&limit=3"),
    "dev to production": _asked(
        "q[][pacticipant]=Web&q[][tag]=dev&latestby=cvpv&environment=production&limit=3"
    ),
}

STATEMENT_BUDGET = 9
"""Pacticipants, each tag's newest versions (one statement per tag), integrations, the rows
(without ``latestby`` four: publications, their results, both read in full) and the rows'
versions with the tags, which the reasons name them by; a UI page reads its chips instead."""


@pytest.fixture
def large_tags(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every tag of two versions or more kept whole, as a tag of thousands is."""
    monkeypatch.setattr(whole_tag, "SMALL_TAG", 1)
    monkeypatch.setattr(whole_tag, "SMALL_TAG_POSTGRESQL", 1)


@pytest.mark.usefixtures("large_tags")
def test_a_tag_s_questions_run_a_fixed_number_of_statements(database_url: str) -> None:
    with start_broker(database_url) as broker:
        _grow(broker, SHORT)
        short = {name: select_statements(database_url, ask) for name, ask in QUESTIONS.items()}
        _grow(broker, LONG)
        longer = {name: select_statements(database_url, ask) for name, ask in QUESTIONS.items()}

    assert longer == short
    assert max(short.values()) <= STATEMENT_BUDGET, short


@pytest.fixture
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield f"sqlite:///{tmp_path_factory.mktemp('whole_tag') / 'broker.sqlite'}"


@pytest.mark.usefixtures("large_tags")
def test_a_tag_s_questions_do_not_grow_with_the_tag(sqlite_url: str) -> None:
    def steps(ask: Callable[[Session], object]) -> int:
        return url_steps(sqlite_url, ask, STEPS_PER_CALLBACK)

    with start_broker(sqlite_url) as broker:
        _grow(broker, SHORT)
        few = {name: steps(ask) for name, ask in QUESTIONS.items()}
        _grow(broker, LONGER)
        many = {name: steps(ask) for name, ask in QUESTIONS.items()}

    # ten times the tagged versions: one bound id per version, or reading every pact of
    # them, grew by half to several times; a flat question grows by a few steps, where its
    # tables' B-trees deepen
    grown = {
        name: (few[name], many[name])
        for name in QUESTIONS
        if many[name] >= 1.1 * few[name] + 4 * STEPS_PER_CALLBACK
    }
    assert all(few.values()), few
    assert grown == {}
