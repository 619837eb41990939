"""A pacticipant's page: its details, recent versions, branches, environments and integrations.

A fixed number of queries, like the index: the versions shown are one page (newest first) and
their branches, tags and placements are loaded for all of them at once. The number of versions
is counted only up to ``COUNT_CAP`` (one more than shown as a number): an application with
years of history has tens of thousands of versions, and counting them all on every view reads
a part of the index that grows with that history, for a figure nobody reads beyond "100+".
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, Integer, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import Branch, Integration, Pacticipant, Version
from accord_broker.domain.deployments.environment_overview import Stay, version_stays
from accord_broker.domain.integrations.overview import (
    IntegrationRow,
    Placement,
    VersionLabel,
    _latest_pacts,
    _latest_results,
    current_placements,
    row_of,
    version_labels,
)
from accord_broker.domain.pacticipants.labels import labels_of
from accord_broker.domain.versions.version_status import VersionVerification, version_verifications

VERSIONS_SHOWN = 20
"""Versions on one page of the list (older pages: ``?page=N``)."""
BRANCHES_SHOWN = 10
"""The most recently updated branches listed (feature branches accumulate with history)."""
COUNT_CAP = 100
"""Versions are counted up to this many and one more; beyond it the page says "100+".

Counting to 1,001 read 9,000 SQLite steps (1.3 ms at full size, a tenth of the page); the
figure only tells a reader "a long history", and the pages of versions are there to browse."""


@dataclass(frozen=True, slots=True)
class VersionEntry:
    label: VersionLabel
    created_at: datetime
    environments: list[Placement]
    verification: VersionVerification = field(default_factory=VersionVerification)
    stays: list[Stay] = field(default_factory=list)
    """Every environment the version is or was in, newest first."""


@dataclass(frozen=True, slots=True)
class BranchEntry:
    name: str
    head: str | None
    main: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PacticipantPage:
    pacticipant: Pacticipant
    version_count: int
    versions: list[VersionEntry]
    branches: list[BranchEntry]
    placements: dict[str, list[Placement]]
    as_consumer: list[IntegrationRow]
    as_provider: list[IntegrationRow]
    labels: list[str] = field(default_factory=list)
    more_branches: bool = False
    """Whether branches beyond the ``BRANCHES_SHOWN`` listed exist."""
    page: int = 1
    has_older: bool = False
    """Whether a further page of (older) versions exists."""

    @property
    def count_capped(self) -> bool:
        """True when there are more than ``COUNT_CAP`` versions (``version_count`` stops there)."""
        return self.version_count > COUNT_CAP

    @property
    def shown_from(self) -> int:
        """The position (1-based, newest first) of the first version on this page."""
        return (self.page - 1) * VERSIONS_SHOWN + 1


_PACTICIPANT: BindParameter[int] = bindparam("pacticipant", type_=Integer)
_LIMIT: BindParameter[int] = bindparam("limit", type_=Integer)
_OFFSET: BindParameter[int] = bindparam("offset", type_=Integer)
AnySelect = Select[*tuple[Any, ...]]


class _Statements(NamedTuple):
    recent: AnySelect
    capped_count: AnySelect
    branches: AnySelect
    integrations: AnySelect


@cache
def _statements() -> _Statements:
    """The page's own statements, built once (bound: pacticipant, limit, offset): building and
    keying a statement with aliases costs about as much Python as SQLite spends running it."""
    capped = (
        select(Version.id).where(Version.pacticipant_id == _PACTICIPANT).limit(_LIMIT).subquery()
    )
    head = aliased(Version)
    consumer, provider = aliased(Pacticipant), aliased(Pacticipant)
    return _Statements(
        recent=select(Version.id, Version.created_at)
        .where(Version.pacticipant_id == _PACTICIPANT)
        .order_by(Version.order.desc())
        .limit(_LIMIT)
        .offset(_OFFSET),
        # an index range that stops at the limit, however long the history
        capped_count=select(func.count()).select_from(capped),
        branches=select(Branch.name, head.number, Branch.updated_at)
        .outerjoin(head, head.id == Branch.head_version_id)
        .where(Branch.pacticipant_id == _PACTICIPANT)
        .order_by(Branch.updated_at.desc(), Branch.id.desc())
        .limit(_LIMIT),
        integrations=select(
            Integration.consumer_id, Integration.provider_id, consumer.name, provider.name
        )
        .join(consumer, consumer.id == Integration.consumer_id)
        .join(provider, provider.id == Integration.provider_id)
        .where(
            or_(Integration.consumer_id == _PACTICIPANT, Integration.provider_id == _PACTICIPANT)
        )
        .order_by(func.lower(consumer.name), func.lower(provider.name)),
    )


def _integration_rows(
    session: Session, pairs: list[tuple[int, int, str, str]], shown: list[int]
) -> tuple[list[IntegrationRow], dict[int, VersionLabel]]:
    """The integrations' rows (newest pact, newest result, status; no placements: the page
    lists them once, above) and the labels of their versions and of the ``shown`` versions,
    looked up together: the index's ``integration_rows`` would add five statements."""
    keys = [(c, p) for c, p, _, _ in pairs]
    pacts, results = _latest_pacts(session, keys), _latest_results(session, keys)
    ids = set(shown) | {pact[0] for pact in pacts.values()}
    ids |= {provider_version for provider_version, _ in results.values()}
    labels = version_labels(session, ids)
    return [row_of(pair, pacts, results, labels) for pair in pairs], labels


def load_pacticipant_page(
    session: Session, pacticipant: Pacticipant, page: int = 1
) -> PacticipantPage:
    """The page with the ``page``-th page of versions, newest first (page 1 the newest)."""
    page = max(1, page)
    statements = _statements()
    mine = {"pacticipant": pacticipant.id}
    recent = session.execute(
        statements.recent,
        {**mine, "limit": VERSIONS_SHOWN + 1, "offset": (page - 1) * VERSIONS_SHOWN},
    ).all()
    has_older = len(recent) > VERSIONS_SHOWN
    recent = recent[:VERSIONS_SHOWN]
    count = session.execute(statements.capped_count, {**mine, "limit": COUNT_CAP + 1}).scalar_one()
    shown_ids = [int(vid) for vid, _ in recent]
    pairs = [
        (int(c), int(p), str(cn), str(pn))
        for c, p, cn, pn in session.execute(statements.integrations, mine).all()
    ]
    rows, labels = _integration_rows(session, pairs, shown_ids)
    placements = current_placements(session, [pacticipant.id]).get(pacticipant.id, {})
    by_number: dict[str, list[Placement]] = {}
    for entries in placements.values():
        for placement in entries:
            by_number.setdefault(placement.version, []).append(placement)
    results = version_verifications(session, shown_ids)
    stays = version_stays(session, shown_ids)
    versions = [
        VersionEntry(
            labels[vid],
            created,
            by_number.get(labels[vid].number, []),
            results.get(vid, VersionVerification()),
            stays.get(vid, []),
        )
        for vid, created in recent
        if vid in labels
    ]
    branches = [
        BranchEntry(name, number, name == pacticipant.main_branch, updated)
        for name, number, updated in session.execute(
            statements.branches, {**mine, "limit": BRANCHES_SHOWN + 1}
        ).all()
    ]
    return PacticipantPage(
        pacticipant=pacticipant,
        version_count=int(count),
        versions=versions,
        branches=branches[:BRANCHES_SHOWN],
        more_branches=len(branches) > BRANCHES_SHOWN,
        placements=placements,
        as_consumer=[row for row in rows if row.consumer == pacticipant.name],
        as_provider=[row for row in rows if row.provider == pacticipant.name],
        labels=[label.name for label in labels_of(session, pacticipant)],
        page=page,
        has_older=has_older,
    )
