"""A page of the index or of the pacticipants carries the count of all on its rows (issue #20).

The index read its page, then counted the integrations, then looked up the page's newest pacts
and results by their pairs: three statements, where one now does all three (the count is
``count(*) OVER ()``, taken before the page is cut); the pacticipants page read its page and
its count in two, now one. A page past the end has no row to carry the count, so it asks for
the count alone. These tests check the totals and the rows on each kind of page against the
whole list, and the statements each one costs, on both databases.
"""

from collections.abc import Callable
from typing import Any

from accord_broker.db import Database
from accord_broker.domain.integrations.overview import load_overview
from accord_broker.domain.pacticipants.pacticipant_list import load_pacticipant_list
from sqlalchemy.orm import Session

from tests.broker.conftest import start_broker
from tests.broker.release_history import publish, verify
from tests.broker.statement_counts import select_statements

CONSUMERS = ["Web", "mobile", "Admin", "batch", "Kiosk"]
"""Five consumers of Accounts (names that order differently with and without case)."""


def _grow(url: str) -> None:
    with start_broker(url) as broker:
        for n, consumer in enumerate(CONSUMERS):
            publish(broker, consumer, "1.0.0", "Accounts")
            if n % 2 == 0:
                verify(broker, "Accounts", f"a{n}", consumer, "1.0.0")


def _read(url: str, ask: Callable[[Session], Any]) -> Any:
    database = Database(url)
    try:
        with database.read_session() as session:
            return ask(session)
    finally:
        database.dispose()


def test_an_index_page_carries_its_total_and_a_page_past_the_end_counts_alone(
    database_url: str,
) -> None:
    _grow(database_url)
    every = _read(database_url, lambda s: load_overview(s, page_size=50))
    pages = [
        _read(database_url, lambda s, n=n: load_overview(s, page=n, page_size=2))
        for n in (1, 2, 3, 4)
    ]
    searched = _read(database_url, lambda s: load_overview(s, page=2, page_size=1, search="b"))

    assert [row.consumer for row in every.rows] == sorted(CONSUMERS, key=str.lower)
    assert [row.consumer for page in pages for row in page.rows] == [r.consumer for r in every.rows]
    assert [page.total for page in pages] == [5, 5, 5, 5] and pages[3].rows == []
    assert [p.rows[0].status for p in pages[:3]] == [every.rows[n].status for n in (0, 2, 4)]
    # batch, mobile, Web: the second of three
    assert searched.total == 3 and [row.consumer for row in searched.rows] == ["mobile"]
    in_range = select_statements(database_url, lambda s: load_overview(s, page=2, page_size=2))
    past_the_end = select_statements(database_url, lambda s: load_overview(s, page=9, page_size=2))
    assert (in_range, past_the_end) == (2, 3)


def test_a_pacticipants_page_carries_its_total_and_a_page_past_the_end_counts_alone(
    database_url: str,
) -> None:
    _grow(database_url)
    every = _read(database_url, load_pacticipant_list)
    pages = [
        _read(database_url, lambda s, n=n: load_pacticipant_list(s, page=n, page_size=4))
        for n in (1, 2, 3)
    ]

    assert [row.name for row in every.rows] == sorted([*CONSUMERS, "Accounts"], key=str.lower)
    assert [row.name for page in pages for row in page.rows] == [r.name for r in every.rows]
    assert [page.total for page in pages] == [6, 6, 6] and pages[2].rows == []
    in_range = select_statements(database_url, lambda s: load_pacticipant_list(s, page_size=4))
    past_the_end = select_statements(
        database_url, lambda s: load_pacticipant_list(s, page=5, page_size=4)
    )
    assert (in_range, past_the_end) == (2, 3)
