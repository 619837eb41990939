"""A page of matrix rows never cuts through pacts or results published in the same instant.

A page (``latestby``, a ``limit``) starts from the newest pacts or results of its selectors and
then ranks their rows by last action, publication and result. One ``/contracts/publish`` stores
every pact of a consumer version in the same instant, and results can share one too (a provider
build recording them together, imported history): cut inside such a group, the limit kept
whichever rows the plan read first, and SQLite and PostgreSQL answered differently at small
limits (issue #20). Here the tied rows are arranged so that any arbitrary choice, including an
id tie-breaker, would keep the wrong one: the page must show the row its total order ranks first,
on both databases.
"""

from datetime import UTC, datetime, timedelta

import pytest
from accord_broker.db.engine import Database
from accord_broker.db.models import (
    LatestPactPublication,
    LatestVerification,
    Pacticipant,
    PactPublication,
    Verification,
    Version,
)
from accord_broker.domain import matrix
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.broker.conftest import make_pact, start_broker
from tests.broker.release_history import publish, verify

T = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _page(database_url: str, query: str) -> list[tuple[str, str, str | None]]:
    """(consumer version, provider, provider version) of each row of the page, in order."""
    database = Database(database_url)
    try:
        with database.read_session() as session:
            answer = matrix.answer(session, matrix.parse_matrix_query(query))
            rows = answer.result.considered
            return [
                (r.consumer_version_number, r.provider_name, r.provider_version_number)
                for r in rows
            ]
    finally:
        database.dispose()


def _version_id(session: Session, pacticipant: str, number: str) -> int:
    version_id = session.scalar(
        select(Version.id)
        .join(Pacticipant, Pacticipant.id == Version.pacticipant_id)
        .where(Pacticipant.name == pacticipant, Version.number == number)
    )
    assert version_id is not None
    return version_id


def _date(database_url: str, pacticipant: str, number: str, when: datetime) -> None:
    """Every pact and every result of ``pacticipant``'s version ``number`` dated ``when``, as
    imported history or a clock of whole seconds records them.

    Through ``Database.write`` (a write transaction from its first statement, retried): the
    running broker may write in the background meanwhile, and on SQLite a transaction that
    read first and then tried to write failed at once with "database is locked".
    """

    def redate(session: Session) -> None:
        version_id = _version_id(session, pacticipant, number)
        for pact in (PactPublication, LatestPactPublication):
            session.execute(
                update(pact).where(pact.consumer_version_id == version_id).values(created_at=when)
            )
        for result in (Verification, LatestVerification):
            session.execute(
                update(result)
                .where(result.provider_version_id == version_id)
                .values(created_at=when)
            )

    database = Database(database_url)
    try:
        database.write(redate)
    finally:
        database.dispose()


@pytest.mark.parametrize("stored_first", ["Accounts", "Billing"])
def test_a_limit_keeps_the_consumer_versions_pact_whose_result_is_newest(
    database_url: str, stored_first: str
) -> None:
    with start_broker(database_url) as broker:
        publish(broker, "Web", "0.1.0", "Billing")  # Billing is the older pacticipant
        publish(broker, "Web", "0.2.0", "Accounts")
        # one publication: both pacts in the same instant, ``stored_first`` with the lower id
        stored = [stored_first, *({"Accounts", "Billing"} - {stored_first})]
        pacts = [make_pact("Web", provider) for provider in stored]
        response = broker.publish("Web", "1.0.0", *pacts)
        assert response.status_code in (200, 201), response.text
        verify(broker, "Billing", "b1", "Web", "1.0.0")
        verify(broker, "Accounts", "a1", "Web", "1.0.0")
        _date(database_url, "Web", "1.0.0", T)
        _date(database_url, "Billing", "b1", T + timedelta(hours=1))
        _date(database_url, "Accounts", "a1", T + timedelta(hours=2))

        page = _page(database_url, "q[][pacticipant]=Web&q[][version]=1.0.0&latestby=cvpv&limit=1")

    # Accounts' row acted last (its result is the newest), whichever pact has the higher id
    # or the pacticipant the lower one
    assert page == [("1.0.0", "Accounts", "a1")]


@pytest.mark.parametrize("verified_first", ["1.0.0", "2.0.0"])
def test_a_limit_keeps_the_provider_versions_result_on_the_newest_pact(
    database_url: str, verified_first: str
) -> None:
    with start_broker(database_url) as broker:
        publish(broker, "Web", "1.0.0", "Accounts", "first call")
        publish(broker, "Web", "2.0.0", "Accounts", "second call")
        verify(broker, "Accounts", "a1", "Web", verified_first)
        verify(broker, "Accounts", "a1", "Web", ({"1.0.0", "2.0.0"} - {verified_first}).pop())
        _date(database_url, "Web", "1.0.0", T)
        _date(database_url, "Web", "2.0.0", T + timedelta(hours=1))
        _date(database_url, "Accounts", "a1", T + timedelta(hours=2))  # both results at once

        page = _page(
            database_url, "q[][pacticipant]=Accounts&q[][version]=a1&latestby=cvpv&limit=1"
        )
        alone = _page(database_url, "q[][pacticipant]=Accounts&latestby=cvpv&limit=1")

    # both rows rank on the same result date, then the newer publication (2.0.0) ranks first,
    # whichever result has the higher id
    assert page == [("2.0.0", "Accounts", "a1")]
    assert alone == [("2.0.0", "Accounts", "a1")]
