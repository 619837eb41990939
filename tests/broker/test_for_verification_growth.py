"""for-verification with provider tags, and a pair's pacts on a short branch, cost the same at
any history.

The scale benchmark (issue #20) found "for-verification (tags, pending by tag)" answering the
same pacts at 10 % and at 100 % of its data set for 3.5 times the SQLite work: the pending rule
for a provider tag looked for the first tag of the name with a ``min()`` over every tag of it
(a thousand ``dev`` tags, twice: for the selected pacts and for the WIP ones), the released
selector read every release the consumer ever made, and on PostgreSQL the evidence joined every
``dev`` tag per pact. And ``…/consumer/C00/branch/feat-7`` walked every pact of the pair to list
a feature branch's few.

These tests build a short and a long history of the same shape (only the number of versions
differs: the same branch and tag names, the same pacts to verify) and ask each question: the
statements must be the same on both databases, SQLite's virtual-machine steps must not grow
with the history (``sqlite_work.py``; SQLite plans here without ``ANALYZE`` statistics, as a
broker's own database does), and on PostgreSQL the rows the prepared statements visit must not
either.
"""

import base64
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from accord_broker.db import Database, migrate
from accord_broker.db.models import (
    Environment,
    LatestPactPublication,
    PactVersion,
    ReleasedVersion,
    Version,
)
from accord_broker.domain.for_verification.resolution import (
    VerifiablePact,
    pacts_for_verification,
)
from accord_broker.domain.for_verification.selectors import parse_for_verification_request
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.domain.pacts.branch_pacts import pacts_on_branch
from accord_broker.domain.pacts.contracts import publish_contracts, read_publish_contracts_request
from accord_broker.domain.verifications.verifications import (
    VerificationRequest,
    record_verification,
)
from accord_broker.domain.versions.tags import add_tag
from accord_broker.domain.versions.versions import ensure_version
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.broker.conftest import make_pact
from tests.broker.sqlite_work import for_verification_steps, session_steps
from tests.broker.statement_counts import select_statements
from tests.broker.test_branch_pact_plans import _rows_visited

SHORT, LONG = 10, 120
RELEASE_EVERY = 5
SUPPORTED = 2
"""Every fifth Web version is released to production; only the newest two still supported."""


def _publish(
    db: Database,
    consumer: str,
    number: str,
    branch: str,
    *,
    content: str,
    provider: str = "Accounts",
) -> None:
    pact = make_pact(consumer, provider, content)
    body = {
        "pacticipantName": consumer,
        "pacticipantVersionNumber": number,
        "branch": branch,
        "tags": [],
        "contracts": [
            {
                "consumerName": consumer,
                "providerName": provider,
                "content": base64.b64encode(json.dumps(pact).encode()).decode(),
            }
        ],
    }
    request = read_publish_contracts_request(body)
    db.write(lambda s: publish_contracts(s, request, allow_modification=False))


def _pact_of(session: Session, consumer: str, number: str) -> PactVersion:
    query = (
        select(PactVersion)
        .join(LatestPactPublication, LatestPactPublication.pact_version_id == PactVersion.id)
        .join(Version, Version.id == LatestPactPublication.consumer_version_id)
        .where(
            Version.number == number,
            Version.pacticipant_id == get_pacticipant(session, consumer).id,
        )
    )
    return session.scalars(query).one()


def _verify(db: Database, n: int) -> None:
    """Accounts' version ``p{n}``, tagged ``dev``, verifies Web's version ``n`` successfully."""

    def write(session: Session) -> None:
        version, _created = ensure_version(session, "Accounts", f"p{n}")
        add_tag(session, version, "dev")
        request = VerificationRequest(True, f"p{n}", None, None, None)
        record_verification(session, _pact_of(session, "Web", f"{n}.0.0"), "Accounts", request)

    db.write(write)


def _tag_and_release(db: Database, n: int, versions: int) -> None:
    """Web's version ``n`` tagged ``dev`` when even; every fifth released to production, its
    support ended unless it is one of the newest two releases."""

    def write(session: Session) -> None:
        version, _created = ensure_version(session, "Web", f"{n}.0.0")
        if n % 2 == 0:
            add_tag(session, version, "dev")
        if n % RELEASE_EVERY:
            return
        production = session.scalars(select(Environment).where(Environment.name == "production"))
        ended = n <= versions - SUPPORTED * RELEASE_EVERY
        session.add(
            ReleasedVersion(
                version_id=version.id,
                pacticipant_id=version.pacticipant_id,
                environment_id=production.one().id,
                support_ended_at=datetime.now(UTC) if ended else None,
            )
        )

    db.write(write)


def _history(url: str, versions: int) -> Database:
    """Web's ``versions`` versions on main (every fourth on ``feat-a``), new content every
    third, each verified by an Accounts version tagged ``dev``; then one more on ``feat-b``
    with content nobody verified: a WIP pact for ``dev``. ``versions`` is a multiple of
    ``RELEASE_EVERY``: the newest main version is also the newest release."""
    migrate(url)
    db = Database(url)
    db.write(lambda s: s.add(Environment(name="production", production=True)))
    for n in range(1, versions + 1):
        branch = "feat-a" if n % 4 == 3 else "main"
        _publish(db, "Web", f"{n}.0.0", branch, content=f"request {n // 3}")
        _tag_and_release(db, n, versions)
        _verify(db, n)
    _publish(db, "Web", f"{versions + 1}.0.0", "feat-b", content="not verified yet")
    # a pair that is not Accounts': a long main branch, no pact with it
    for n in range(1, versions + 1):
        _publish(db, "Batch", f"{n}.0.0", "main", content=f"batch {n}", provider="Billing")
    return db


def _to_verify(provider_tags: list[str]) -> dict[str, object]:
    """The benchmark's "for-verification (tags, pending by tag)": no selectors (each
    consumer's main line, deployed and released), pending and WIP by provider tag."""
    return {
        "providerVersionTags": provider_tags,
        "includePendingStatus": True,
        "includeWipPactsSince": "2000-01-01",
    }


TAGS = {"known tag": ["dev"], "new tag": ["brand-new"], "both": ["dev", "brand-new"]}
"""Provider tags asked: one every Accounts version carries, one none carries yet."""


def _pacts_to_verify(tags: list[str]) -> Callable[[Session], list[VerifiablePact]]:
    request = parse_for_verification_request(_to_verify(tags))
    return lambda session: pacts_for_verification(session, "Accounts", request)


def _shape(found: list[VerifiablePact]) -> list[tuple[bool | None, bool, tuple[str, ...]]]:
    """What must be the same at any history: each pact's pending and WIP flags and tags."""
    return [(p.pending, p.wip, p.pending_tags) for p in found]


@pytest.fixture(params=[SHORT, LONG], ids=["short-history", "long-history"])
def history(request: pytest.FixtureRequest, database_url: str) -> Iterator[str]:
    _history(database_url, request.param).dispose()
    yield database_url


@pytest.mark.parametrize("tags", TAGS.values(), ids=TAGS.keys())
def test_pending_and_wip_by_tag_run_three_statements_at_any_history(
    history: str, tags: list[str]
) -> None:
    db = Database(history)
    try:
        with db.read_session() as session:
            found = _pacts_to_verify(tags)(session)
    finally:
        db.dispose()

    # the two supported releases (the newest also the main-branch head), then the WIP pact
    assert [(p.pending, p.wip) for p in found] == [(False, False), (False, False), (True, True)]
    # the selectors; the selected pacts' pending status for every tag; the WIP candidates
    # still pending for some tag, their status with them
    assert select_statements(history, _pacts_to_verify(tags)) == 3


@pytest.fixture(scope="module")
def short_and_long(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, ...]]:
    built = [
        _history(f"sqlite:///{tmp_path_factory.mktemp('growth') / 'broker.sqlite'}", n)
        for n in (SHORT, LONG)
    ]
    try:
        yield tuple(built)
    finally:
        for db in built:
            db.dispose()


@pytest.mark.parametrize("tags", TAGS.values(), ids=TAGS.keys())
def test_pending_and_wip_by_tag_do_not_grow_with_the_history(
    short_and_long: tuple[Database, Database], tags: list[str]
) -> None:
    """Twelve times the versions, the ``dev`` tags, the results per pact and the ended
    releases: reading them (the first tag's ``min()``, every release, every result of a pact
    for a tag no version has, the pacts published since the WIP date) cost five times the
    steps and more."""
    short, long = short_and_long
    answers = []
    for db in (short, long):
        with db.read_session() as session:
            answers.append(_shape(_pacts_to_verify(tags)(session)))

    few = for_verification_steps(short, "Accounts", _to_verify(tags))
    many = for_verification_steps(long, "Accounts", _to_verify(tags))

    assert answers[0] == answers[1]
    assert few > 0
    assert many < 1.2 * few + 300, (few, many)


def _pair_on_branch(consumer: str, branch: str) -> Callable[[Session], list[str]]:
    def ask(session: Session) -> list[str]:
        found = pacts_on_branch(session, "Accounts", consumer_name=consumer, branch=branch)
        return [listing.consumer_version_number for listing in found]

    return ask


def test_a_pair_s_short_branch_runs_the_same_statements_at_any_history(history: str) -> None:
    db = Database(history)
    try:
        with db.read_session() as session:
            feature = _pair_on_branch("Web", "feat-b")(session)
            other_pair = _pair_on_branch("Batch", "main")(session)
    finally:
        db.dispose()

    assert len(feature) == 1 and other_pair == []
    # the provider and the consumer (one lookup), the list
    assert select_statements(history, _pair_on_branch("Web", "feat-b")) == 2
    assert select_statements(history, _pair_on_branch("Batch", "main")) == 2


def test_a_pair_s_short_branch_does_not_grow_with_the_pair_s_history(
    short_and_long: tuple[Database, Database],
) -> None:
    """``feat-b`` has one version at any history: the list once walked every pact of the pair
    (issue #20: 15 pacts for 3,000 probed). A pair with no pact between them lists nothing
    for any length of the consumer's branch."""
    short, long = short_and_long
    for consumer, branch in (("Web", "feat-b"), ("Batch", "main")):
        ask = _pair_on_branch(consumer, branch)
        few, many = session_steps(short, ask, 10), session_steps(long, ask, 10)

        assert few > 0
        assert many < 1.2 * few + 50, (consumer, branch, few, many)


def test_a_pair_s_branch_lists_its_pacts_newest_first(
    short_and_long: tuple[Database, Database],
) -> None:
    """``feat-a`` (every fourth version) and ``main`` list every version of theirs."""
    _short, long = short_and_long
    with long.read_session() as session:
        feature = _pair_on_branch("Web", "feat-a")(session)
        main = _pair_on_branch("Web", "main")(session)
        main_branch = pacts_on_branch(session, "Accounts", consumer_name="Web")

    assert feature == [f"{n}.0.0" for n in range(LONG, 0, -1) if n % 4 == 3]
    assert main == [f"{n}.0.0" for n in range(LONG, 0, -1) if n % 4 != 3]
    assert [p.consumer_version_number for p in main_branch] == main


@pytest.fixture(params=[SHORT, LONG], ids=["short-history", "long-history"])
def postgres_history(
    request: pytest.FixtureRequest, postgres_database_url: str
) -> Iterator[tuple[str, int]]:
    """The history on PostgreSQL, statistics gathered as a running database has them."""
    _history(postgres_database_url, request.param).dispose()
    dsn = postgres_database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("ANALYZE")
    yield postgres_database_url, request.param


@pytest.mark.parametrize("tags", TAGS.values(), ids=TAGS.keys())
def test_pending_by_tag_probes_each_result_s_tags_on_postgresql(
    postgres_history: tuple[str, int], tags: list[str]
) -> None:
    """The statements as the broker runs them on PostgreSQL (prepared, generic plans): the
    evidence for a tag probes the tags of each result's version. As an EXISTS, PostgreSQL
    joined every ``dev`` tag of the provider per pact, or hashed every result of every ``dev``
    version (32,812 at the benchmark's full size)."""
    url, versions = postgres_history

    rows = _rows_visited(url, _pacts_to_verify(tags), "tags")

    # a few probes per pact and candidate, whatever the number of dev tags (10 or 120)
    assert rows < 3 * SHORT, (versions, rows)


def test_a_pair_s_short_branch_reads_its_own_versions_on_postgresql(
    postgres_history: tuple[str, int],
) -> None:
    """``feat-b``'s one version and its pact: the pair's oldest and newest pacts bound the
    walk (one row each), then one probe. Walked from the pair's pacts, the list read all of
    them (every one of Web's versions)."""
    url, versions = postgres_history

    branch_rows = _rows_visited(url, _pair_on_branch("Web", "feat-b"))
    pact_rows = _rows_visited(url, _pair_on_branch("Web", "feat-b"), "latest_pact_publications")

    assert (branch_rows, pact_rows) == (1, 3), versions
