"""``GET /matrix`` without ``latestby``: every pact revision and every verification is a row.

The Pact Broker answers from ``pact_publications`` and ``verifications`` themselves when no
``latestby`` is given (``EveryRow``), and from "latest" views when it is (``MatrixRow``); the
summary counts whichever rows were listed.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from accord_broker.db import Database
from accord_broker.db.models import Base
from accord_broker.domain import matrix as matrix_domain
from sqlalchemy import event

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import matrix, publish, verify


@pytest.fixture
def modifiable_broker(database_url: str) -> Iterator[RunningBroker]:
    """A broker where republishing a consumer version with new content adds a revision."""
    with start_broker(database_url, allow_dangerous_contract_modification=True) as running:
        yield running


def _provider_versions(body: dict[str, Any]) -> list[str | None]:
    return [
        row["provider"]["version"]["number"] if row["provider"]["version"] else None
        for row in body["matrix"]
    ]


def _results(body: dict[str, Any]) -> list[bool | None]:
    return [
        row["verificationResult"]["success"] if row["verificationResult"] else None
        for row in body["matrix"]
    ]


def _counts(body: dict[str, Any]) -> tuple[int, int, int, bool | None]:
    summary = body["summary"]
    return (summary["success"], summary["failed"], summary["unknown"], summary["deployable"])


def test_every_revision_of_a_consumer_versions_pact_is_listed_without_latestby(
    modifiable_broker: RunningBroker,
) -> None:
    publish(modifiable_broker, "Web", "1", "Accounts", "a request for account 1")
    verify(modifiable_broker, "Accounts", "10", "Web", "1")
    publish(modifiable_broker, "Web", "1", "Accounts", "a request for account 2")

    every = matrix(modifiable_broker, "q[][pacticipant]=Web&q[][version]=1")

    assert _provider_versions(every) == [None, "10"]  # revision 2 (unverified), then revision 1
    assert _counts(every) == (1, 0, 1, None)


def test_only_the_latest_revision_is_listed_with_latestby_cvpv(
    modifiable_broker: RunningBroker,
) -> None:
    publish(modifiable_broker, "Web", "1", "Accounts", "a request for account 1")
    verify(modifiable_broker, "Accounts", "10", "Web", "1")
    publish(modifiable_broker, "Web", "1", "Accounts", "a request for account 2")

    latest = matrix(modifiable_broker, "q[][pacticipant]=Web&q[][version]=1&latestby=cvpv")

    assert _provider_versions(latest) == [None]
    assert _counts(latest) == (0, 0, 1, None)


def test_republishing_the_original_content_lists_each_revision_with_its_results(
    modifiable_broker: RunningBroker,
) -> None:
    publish(modifiable_broker, "Web", "1", "Accounts", "a request for account 1")
    verify(modifiable_broker, "Accounts", "10", "Web", "1")
    publish(modifiable_broker, "Web", "1", "Accounts", "a request for account 2")
    publish(modifiable_broker, "Web", "1", "Accounts", "a request for account 1")

    every = matrix(modifiable_broker, "q[][pacticipant]=Web&q[][pacticipant]=Accounts")
    latest = matrix(
        modifiable_broker, "q[][pacticipant]=Web&q[][pacticipant]=Accounts&latestby=cvpv"
    )

    assert _provider_versions(every) == ["10", None, "10"]  # revisions 3, 2, 1
    assert _provider_versions(latest) == ["10"]


def test_a_provider_version_verifying_the_same_pact_twice_is_listed_twice_without_latestby(
    broker: RunningBroker,
) -> None:
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1", success=False)
    verify(broker, "Accounts", "10", "Web", "1")

    every = matrix(broker, "q[][pacticipant]=Web&q[][version]=1")

    assert _provider_versions(every) == ["10", "10"]
    assert _results(every) == [True, False]  # the newest result first
    assert _counts(every) == (1, 1, 0, False)
    assert "The verification for the pact between" in every["summary"]["reason"]


def test_a_repeated_verification_is_listed_once_with_latestby(broker: RunningBroker) -> None:
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1", success=False)
    verify(broker, "Accounts", "10", "Web", "1")

    for latestby in ("cvpv", "cvp"):
        latest = matrix(broker, f"q[][pacticipant]=Web&q[][version]=1&latestby={latestby}")
        assert _results(latest) == [True]
        assert _counts(latest) == (1, 0, 0, True)


def test_a_provider_version_lists_every_result_it_published_without_latestby(
    broker: RunningBroker,
) -> None:
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1", success=False)
    verify(broker, "Accounts", "10", "Web", "1")

    every = matrix(broker, "q[][pacticipant]=Accounts&q[][version]=10")
    latest = matrix(broker, "q[][pacticipant]=Accounts&q[][version]=10&latestby=cvpv")

    assert _results(every) == [True, False]
    assert _results(latest) == [True]


def test_the_limit_keeps_the_newest_results_of_a_much_verified_pact(
    broker: RunningBroker,
) -> None:
    publish(broker, "Web", "1")
    for provider_version in ("10", "11", "12"):
        verify(broker, "Accounts", provider_version, "Web", "1", success=False)
        verify(broker, "Accounts", provider_version, "Web", "1")

    capped = matrix(broker, "q[][pacticipant]=Web&q[][version]=1&limit=3")

    assert _provider_versions(capped) == ["12", "12", "11"]
    assert _results(capped) == [True, False, True]
    hrefs = [row["verificationResult"]["_links"]["self"]["href"] for row in capped["matrix"]]
    assert [href.split("/verification-results/")[1].split("/")[0] for href in hrefs] == [
        "6",
        "5",
        "4",
    ]


def test_results_older_than_a_republished_pact_rank_by_the_publication_date(
    broker: RunningBroker,
) -> None:
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")
    publish(broker, "Web", "2")  # the same content: version 10's result counts for it too
    verify(broker, "Accounts", "11", "Web", "1")

    every = matrix(broker, "q[][pacticipant]=Web&q[][pacticipant]=Accounts")
    capped = matrix(broker, "q[][pacticipant]=Web&q[][pacticipant]=Accounts&limit=3")

    pairs = [
        (row["consumer"]["version"]["number"], row["provider"]["version"]["number"])
        for row in every["matrix"]
    ]
    assert pairs == [("2", "11"), ("2", "10"), ("1", "11"), ("1", "10")]
    kept = [
        (row["consumer"]["version"]["number"], row["provider"]["version"]["number"])
        for row in capped["matrix"]
    ]
    # last actions: 11's result (for both), Web 2's publication, then 10's result for Web 1
    assert kept == [("2", "11"), ("2", "10"), ("1", "11")]


def test_an_unverified_pact_is_one_row_without_a_provider_version(broker: RunningBroker) -> None:
    publish(broker, "Web", "1")
    publish(broker, "Web", "1", "Payments")

    every = matrix(broker, "q[][pacticipant]=Web&q[][version]=1")

    assert [row["provider"]["name"] for row in every["matrix"]] == ["Accounts", "Payments"]
    assert _provider_versions(every) == [None, None]
    assert _counts(every) == (0, 0, 2, None)


def test_the_ui_matrix_page_shows_every_result_by_default(broker: RunningBroker) -> None:
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1", success=False)
    verify(broker, "Accounts", "10", "Web", "1")

    every = broker.get("/ui/matrix/provider/Accounts/consumer/Web")
    latest = broker.get("/ui/matrix/provider/Accounts/consumer/Web?latestby=cvpv")

    assert every.status_code == latest.status_code == 200
    assert every.text.count("/verification-results/") == 2 * latest.text.count(
        "/verification-results/"
    )
    assert latest.text.count("/verification-results/") >= 1


def _plan_lines(database: Database, query: str) -> list[tuple[str, str]]:
    """(statement, plan line) for each statement that answering ``/matrix?query`` runs."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        with database.read_session() as session:
            answered = matrix_domain.answer(session, matrix_domain.parse_matrix_query(query))
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)
    assert len(answered.result.considered) == 3
    lines = []
    with database.read_session() as session:
        connection = session.connection().connection.driver_connection
        assert connection is not None
        for statement, parameters in statements:
            for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters):
                lines.append((statement, str(row[-1])))
    return lines


def test_a_much_verified_pact_is_read_in_index_order_without_scans_or_sorts(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'every-row.sqlite'}"
    with start_broker(url) as running:
        publish(running, "Web", "1")
        for provider_version in ("10", "11", "12", "13"):
            verify(running, "Accounts", provider_version, "Web", "1")
        publish(running, "Web", "2")
    database = Database(url)
    try:
        lines = _plan_lines(database, "q[][pacticipant]=Web&q[][version]=2&limit=3")
    finally:
        database.dispose()

    tables = set(Base.metadata.tables) - {"environments"}
    assert [d for _, d in lines if d.startswith("SCAN ") and d.split()[1] in tables] == []
    page = [(s, d) for s, d in lines if "AS ranked_at" in s]
    assert len({s for s, _ in page}) == 1  # every publication's results in one statement
    searched = [d for _, d in page if "verifications" in d]
    assert any("ix_verifications_pact_version_id_created_at" in d for d in searched)  # after
    assert any("ix_verifications_pact_version_id_id" in d for d in searched)  # until
    # one sort: the final ranking of the (limit-bounded) candidates, none per pact version
    assert [d for _, d in page if "TEMP B-TREE" in d] == ["USE TEMP B-TREE FOR ORDER BY"]
