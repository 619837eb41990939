"""A page of a busy pair ranks about as many rows as it shows (issue #20).

A pair's contents are shared by many pacts (an unchanged contract is republished by every
consumer build) and verified by many provider versions. A page of ``limit`` rows reads at most
``limit`` pacts and, per content, the newest ``limit`` results; every pact of a content then
meets every result of it, so a page ranked up to ``limit`` x ``limit`` rows to keep ``limit``.
``newest_results._page_floor`` finds a date no shown row is older than before the pacts meet
their results. Here one content is published by 24 consumer versions and verified by 24
provider versions; the pair's page is asked at two limits: the answer must be the page a limit
large enough to hold every row starts with, and SQLite's steps must grow with the limit, not
with its square.
"""

from collections.abc import Callable, Iterator

import pytest
from accord_broker.db.engine import Database
from accord_broker.domain import matrix
from sqlalchemy.orm import Session

from tests.broker.conftest import start_broker
from tests.broker.release_history import publish, verify
from tests.broker.sqlite_work import url_steps

VERSIONS = 24
SMALL, LARGE = 4, 24
"""Six times the limit: ranking every row of the product costs 36 times as much."""
PAIR = "q[][pacticipant]=Web&q[][pacticipant]=Accounts&latestby=cvpv"


def _ask(limit: int) -> Callable[[Session], object]:
    query = matrix.parse_matrix_query(f"{PAIR}&limit={limit}")

    def ask(session: Session) -> object:
        answer = matrix.answer(session, query)
        return answer.result.considered

    return ask


def _seed(url: str) -> str:
    """Web publishes the same content from 24 versions; Accounts verifies it from 24."""
    with start_broker(url) as broker:
        for n in range(VERSIONS):
            publish(broker, "Web", f"{n}.0.0", "Accounts", "one call", branch="main")
        for n in range(VERSIONS):
            verify(broker, "Accounts", f"a{n}", "Web", f"{VERSIONS - 1}.0.0", branch="main")
        # a later pact of the same content, newer than every result: its rows rank by its
        # own date, the floor's other walk
        publish(broker, "Web", "late", "Accounts", "one call", branch="main")
    return url


@pytest.fixture
def busy_pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield _seed(f"sqlite:///{tmp_path_factory.mktemp('floor') / 'broker.sqlite'}")


def _rows(url: str, limit: int) -> list[object]:
    database = Database(url)
    try:
        with database.read_session() as session:
            rows = _ask(limit)(session)
            assert isinstance(rows, list)
            return rows
    finally:
        database.dispose()


def test_a_small_page_is_the_start_of_the_whole_answer(database_url: str) -> None:
    url = _seed(database_url)
    everything = _rows(url, (VERSIONS + 1) * VERSIONS)
    assert len(everything) > LARGE  # every pact with every result: the product
    for limit in (1, 2, SMALL, LARGE, VERSIONS + 1):
        assert _rows(url, limit) == everything[:limit], limit


def test_a_page_ranks_rows_in_proportion_to_its_limit(busy_pair: str) -> None:
    small = url_steps(busy_pair, _ask(SMALL), 10)
    large = url_steps(busy_pair, _ask(LARGE), 10)
    # ranking the whole product grew the work ~15x for a 6x limit; with the floor ~7x
    assert large < 10 * small, (small, large)
