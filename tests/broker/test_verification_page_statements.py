"""The page of a pair's newest verification reads the result once, in a fixed number of
statements whatever the history (issue #20: it found the newest result's number, then looked
the pair, the content and the result up again: 8 statements, ~0.4 ms each on PostgreSQL)."""

from collections.abc import Callable

import pytest
from accord_broker.db.engine import Database
from accord_broker.domain.verifications.verification_page import (
    VerificationPage,
    load_latest_verification_page,
    load_verification_page,
)
from accord_broker.errors import BrokerNotFoundError
from sqlalchemy.orm import Session

from tests.broker.conftest import start_broker
from tests.broker.release_history import publish, verify
from tests.broker.statement_counts import select_statements

LATEST_BUDGET = 4
"""The pair (one lookup), the newest result with its content's sha, the consumer versions that
published the content, their and the provider version's labels."""


def _history(database_url: str, versions: int) -> str:
    """Web publishes ``versions`` versions (two contents, alternating); Accounts verifies each.
    The sha of the newest result's content."""
    with start_broker(database_url) as broker:
        for n in range(1, versions + 1):
            publish(broker, "Web", f"{n}.0.0", "Accounts", f"call {n % 2}")
            url = verify(broker, "Accounts", f"a{n}", "Web", f"{n}.0.0", success=n % 3 != 0)
    return url.split("/pact-version/")[1].split("/")[0]


def _latest(session: Session) -> VerificationPage:
    return load_latest_verification_page(session, "Accounts", "Web")


@pytest.mark.parametrize("versions", [2, 7], ids=["short-history", "longer-history"])
def test_the_newest_result_s_page_takes_a_fixed_number_of_statements(
    database_url: str, versions: int
) -> None:
    sha = _history(database_url, versions)

    def by_number(session: Session) -> VerificationPage:
        return load_verification_page(session, "Accounts", "Web", sha, None)

    latest: Callable[[Session], object] = _latest
    assert select_statements(database_url, latest) == LATEST_BUDGET
    database = Database(database_url)
    try:
        with database.read_session() as session:
            newest, same = _latest(session), by_number(session)
            with pytest.raises(BrokerNotFoundError, match="No verification of a pact between"):
                load_latest_verification_page(session, "Nope", "Web")
    finally:
        database.dispose()
    assert newest == same
    assert newest.provider_version.number == f"a{versions}"
    assert newest.success is (versions % 3 != 0)
