"""The hot read paths use indexes: no full table scan in the plan of any statement they run.

Checked on SQLite with ``EXPLAIN QUERY PLAN`` for every statement the domain functions execute
(captured as they run), so a new query without a supporting index fails here rather than at
200,000 versions.
"""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from accord_broker.db import Database, migrate
from accord_broker.db.models import Base
from accord_broker.domain import matrix
from accord_broker.domain.for_verification.resolution import pacts_for_verification
from accord_broker.domain.for_verification.selectors import parse_for_verification_request
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.domain.pacts import pacts
from accord_broker.domain.pacts.contracts import publish_contracts, read_publish_contracts_request
from accord_broker.domain.verifications import verifications
from accord_broker.domain.verifications.verification_page import load_latest_verification_page
from accord_broker.domain.verifications.verifications import VerificationRequest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from accord.pact import content_sha
from tests.broker.conftest import make_pact

SMALL_TABLES = {"alembic_version", "environments"}


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'plans.sqlite'}"
    migrate(url)
    db = Database(url)
    import base64
    import json

    for consumer in ("Web", "Mobile"):
        for n in range(3):
            pact = make_pact(consumer, "Accounts", f"{consumer} {n}")
            body = {
                "pacticipantName": consumer,
                "pacticipantVersionNumber": str(n),
                "branch": "main",
                "tags": ["prod"],
                "contracts": [
                    {
                        "consumerName": consumer,
                        "providerName": "Accounts",
                        "content": base64.b64encode(json.dumps(pact).encode()).decode(),
                    }
                ],
            }
            request = read_publish_contracts_request(body)
            db.write(lambda s, r=request: publish_contracts(s, r, allow_modification=False))
    yield db
    db.dispose()


def _plans(database: Database, work: Callable[[Session], Any]) -> list[tuple[str, str]]:
    """(statement, plan line) for each statement ``work`` runs."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        with database.read_session() as session:
            work(session)
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)
    lines = []
    with database.read_session() as session:
        connection = session.connection().connection.driver_connection
        assert connection is not None
        for statement, parameters in statements:
            for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters):
                lines.append((statement, str(row[-1])))
    return lines


TABLES = set(Base.metadata.tables) - SMALL_TABLES
"""A scan of anything else is a scan of a subquery's few rows (``SCAN anon_1``)."""


def _full_scans(plans: list[tuple[str, str]]) -> list[str]:
    return [
        f"{detail}\n  in: {statement}"
        for statement, detail in plans
        if detail.startswith("SCAN ") and detail.split()[1] in TABLES
    ]


def _verify(session: Session) -> None:
    pact_version = pacts.find_pact_version(
        session, "Accounts", "Web", content_sha(make_pact("Web", "Accounts", "Web 2"))
    )
    verifications.latest_verification(session, pact_version)


@pytest.mark.parametrize(
    "read",
    [
        lambda s: pacts.latest_pact(s, "Accounts", "Web"),
        lambda s: pacts.latest_pact(s, "Accounts", "Web", tag="prod"),
        lambda s: pacts.latest_pact(s, "Accounts", "Web", branch="main"),
        lambda s: pacts.pact_for_version(s, "Accounts", "Web", "1"),
        lambda s: pacts.latest_pacts_for_provider(s, get_pacticipant(s, "Accounts")),
        lambda s: pacts.latest_pacts_for_provider(s, get_pacticipant(s, "Accounts"), tag="prod"),
        lambda s: pacts.latest_pacts_for_provider_by_branch(s, get_pacticipant(s, "Accounts")),
    ],
    ids=[
        "latest",
        "latest-by-tag",
        "latest-by-branch",
        "by-version",
        "latest-per-consumer",
        "latest-per-consumer-by-tag",
        "main-branch-per-consumer",
    ],
)
def test_pact_lookups_never_scan_a_whole_table(
    database: Database, read: Callable[[Session], Any]
) -> None:
    plans = _plans(database, read)

    assert plans, "no statement was captured"
    assert _full_scans(plans) == []


def _record_a_verification(session: Session) -> None:
    sha = content_sha(make_pact("Web", "Accounts", "Web 2"))
    pact_version = pacts.find_pact_version(session, "Accounts", "Web", sha)
    request = VerificationRequest(True, "1.0.0", None, None, None)
    verifications.record_verification(session, pact_version, "Accounts", request)


def test_the_latest_verification_lookup_never_scans_a_whole_table(database: Database) -> None:
    database.write(_record_a_verification)

    assert _full_scans(_plans(database, _verify)) == []


def test_the_plan_check_would_see_a_full_scan(database: Database) -> None:
    plans = _plans(
        database, lambda s: s.execute(text("SELECT * FROM versions WHERE build_url = 'x'"))
    )

    assert _full_scans(plans) != []


@pytest.mark.parametrize(
    ("name", "index"),
    [
        ("Accounts", "ix_verifications_provider_id_created_at"),
        ("Web", "ix_pact_publications_consumer_id_created_at"),
    ],
    ids=["provider", "consumer"],
)
def test_the_matrix_of_a_pacticipant_by_name_reads_its_newest_rows_in_date_order(
    database: Database, name: str, index: str
) -> None:
    """``/matrix?q[][pacticipant]=Accounts``: the newest results of the provider (or the newest
    publications of the consumer) are read from an index in date order, stopping at the limit,
    instead of all of them being read and sorted (35,000 results for a busy provider: 24 ms)."""

    database.write(_record_a_verification)
    query = matrix.parse_matrix_query(f"q[][pacticipant]={name}")

    plans = _plans(database, lambda s: matrix.answer(s, query))

    assert any(f"USING INDEX {index}" in detail for _, detail in plans), plans
    assert _full_scans(plans) == []


def test_for_verification_with_pending_and_wip_never_scans_a_whole_table(
    database: Database,
) -> None:
    """One statement for selectors, pending and WIP, every table read through an index."""
    request = parse_for_verification_request(
        {
            "consumerVersionSelectors": [{"mainBranch": True}, {"deployedOrReleased": True}],
            "includePendingStatus": True,
            "includeWipPactsSince": "2000-01-01",
            "providerVersionBranch": "main",
        }
    )

    plans = _plans(database, lambda s: pacts_for_verification(s, "Accounts", request))

    assert len({statement for statement, _ in plans}) == 1, plans
    assert _full_scans(plans) == []


def test_the_pairs_newest_verification_is_one_descent_of_its_index(database: Database) -> None:
    """The UI's latest-verification page: through ``(consumer_id)`` alone the plan read every
    result of the consumer and sorted them (33 ms at the scale benchmark's full size on
    PostgreSQL, 6 ms at 10 %)."""
    database.write(_record_a_verification)

    plans = _plans(database, lambda s: load_latest_verification_page(s, "Accounts", "Web"))
    newest = [detail for statement, detail in plans if "verifications.number" in statement]

    assert any("ix_verifications_pair_id" in detail for detail in newest), newest
    assert not any("TEMP B-TREE" in detail for detail in newest), newest
