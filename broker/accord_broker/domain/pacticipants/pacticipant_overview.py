"""A pacticipant's page: its details, recent versions, branches, environments and integrations.

Three statements, found by the pacticipant's name: the pacticipant with everything read by it
alone (the version count, a page of versions, branches, labels, placements), its integrations
with their newest pacts and results, and the shown versions' labels, verifications and stays
(``version_facts``), each a ``UNION ALL`` or a join built once per process (they were twelve
statements, then four with the pacticipant loaded first, each costing SQLAlchemy's
per-statement Python and the pacticipant an ORM entity besides). The number of versions
is counted only up to ``COUNT_CAP`` (one more than shown as a number): an application with
years of history has tens of thousands of versions, and counting them all on every view reads
a part of the index that grows with that history, for a figure nobody reads beyond "100+".
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    DeployedVersion,
    Environment,
    Integration,
    Label,
    Pacticipant,
    ReleasedVersion,
    Version,
)
from accord_broker.db.types import UtcDateTime
from accord_broker.domain.deployments.environment_overview import Stay
from accord_broker.domain.integrations.integration_heads import Head, heads, heads_of
from accord_broker.domain.integrations.overview import IntegrationRow, Placement, VersionLabel
from accord_broker.domain.pacticipants.version_facts import version_facts
from accord_broker.domain.versions.version_status import VersionVerification

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
class PageOwner:
    """The pacticipant whose page it is, as the page shows it."""

    id: int
    name: str
    display_name: str | None
    main_branch: str | None
    repository_url: str | None


@dataclass(frozen=True, slots=True)
class PacticipantPage:
    pacticipant: PageOwner
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


_NAME: BindParameter[str] = bindparam("name", type_=String)
_PACTICIPANT = select(Pacticipant.id).where(Pacticipant.name == _NAME).scalar_subquery()
"""The page's pacticipant, found by name inside each statement that needs it. (The
statements run on the session's connection, Core: their rows are plain tuples, without the
ORM's statement handling.)"""
_LIMIT: BindParameter[int] = bindparam("limit", type_=Integer)
_OFFSET: BindParameter[int] = bindparam("offset", type_=Integer)
_COUNT_LIMIT: BindParameter[int] = bindparam("count_limit", type_=Integer)
_BRANCH_LIMIT: BindParameter[int] = bindparam("branch_limit", type_=Integer)
_SELF, _COUNT, _VERSION, _BRANCH, _LABEL, _DEPLOYED, _RELEASED = range(7)


def _part(part: int, position: Any, **columns: Any) -> Select[Any]:
    """One part's row: (part, number, text, other, instance, detail, at, position), the
    columns it has no use for null."""
    return select(
        literal(part).label("part"),
        columns.get("number", cast(null(), Integer())).label("number"),
        columns.get("text", type_coerce(null(), String())).label("text"),
        columns.get("other", type_coerce(null(), String())).label("other"),
        columns.get("instance", type_coerce(null(), String())).label("instance"),
        columns.get("detail", type_coerce(null(), String())).label("detail"),
        columns.get("at", cast(null(), UtcDateTime())).label("at"),
        position.label("position"),
    )


@cache
def _facts() -> CompoundSelect[Any]:
    """Everything the page reads by the pacticipant alone, in one statement built once (bound:
    name, limit, offset, count_limit, branch_limit), its parts in order:

    * the pacticipant itself (no row at all when there is none of that name);
    * the versions counted up to ``count_limit`` (an index range that stops there);
    * the page of versions, newest first (``limit`` rows from ``offset``);
    * the most recently updated branches with their heads' numbers;
    * the labels, by name;
    * what is deployed (oldest first), then what is released and supported, now.

    Five statements were five times SQLAlchemy's per-statement Python, more than SQLite spent.
    Each part keeps its own order through ``position`` (``row_number`` over the same order
    the part's own statement had)."""
    mine = Version.pacticipant_id == _PACTICIPANT
    capped = select(Version.id).where(mine).limit(_COUNT_LIMIT).subquery("capped")
    recent = (
        select(Version.id, Version.created_at, Version.order)
        .where(mine)
        .order_by(Version.order.desc())
        .limit(_LIMIT)
        .offset(_OFFSET)
        .subquery("recent")
    )
    head = aliased(Version)
    branches = (
        select(Branch.id, Branch.name, head.number, Branch.updated_at)
        .outerjoin(head, head.id == Branch.head_version_id)
        .where(Branch.pacticipant_id == _PACTICIPANT)
        .order_by(Branch.updated_at.desc(), Branch.id.desc())
        .limit(_BRANCH_LIMIT)
        .subquery("recent_branches")
    )
    parts: list[Select[Any]] = [
        _part(
            _SELF,
            literal(0),
            number=Pacticipant.id,
            text=Pacticipant.name,
            other=Pacticipant.display_name,
            instance=Pacticipant.main_branch,
            detail=Pacticipant.repository_url,
        ).where(Pacticipant.name == _NAME),
        _part(_COUNT, literal(0), number=func.count()).select_from(capped),
        _part(_VERSION, -recent.c.order, number=recent.c.id, at=recent.c.created_at),
        _part(
            _BRANCH,
            func.row_number().over(order_by=(branches.c.updated_at.desc(), branches.c.id.desc())),
            text=branches.c.name,
            other=branches.c.number,
            at=branches.c.updated_at,
        ),
        _part(_LABEL, func.row_number().over(order_by=Label.name), text=Label.name).where(
            Label.pacticipant_id == _PACTICIPANT
        ),
    ]
    placed: Any = (
        (_DEPLOYED, DeployedVersion, DeployedVersion.undeployed_at),
        (_RELEASED, ReleasedVersion, ReleasedVersion.support_ended_at),
    )
    for part, record, ended in placed:
        instance = {"instance": record.application_instance} if part == _DEPLOYED else {}
        parts.append(
            _part(
                part,
                func.row_number().over(order_by=(record.created_at, record.id)),
                text=Environment.name,
                other=Version.number,
                at=record.created_at,
                **instance,
            )
            .join(Environment, Environment.id == record.environment_id)
            .join(Version, Version.id == record.version_id)
            .where(record.pacticipant_id == _PACTICIPANT, ended.is_(None))
        )
    return union_all(*parts).order_by("part", "position")


@cache
def _integrations() -> Select[Any]:
    """The pacticipant's integrations (either side, bound: its id, ``pacticipant``) with their
    newest pacts and results."""
    pacticipant = bindparam("pacticipant", type_=Integer)
    return heads(
        or_(Integration.consumer_id == pacticipant, Integration.provider_id == pacticipant)
    )


class _Facts(NamedTuple):
    owner: PageOwner | None
    version_count: int
    recent: list[tuple[int, datetime]]
    branches: list[BranchEntry]
    labels: list[str]
    placements: dict[str, list[Placement]]


def _read_facts(session: Session, name: str, page: int) -> _Facts:
    params = {
        "name": name,
        "limit": VERSIONS_SHOWN + 1,
        "offset": (page - 1) * VERSIONS_SHOWN,
        "count_limit": COUNT_CAP + 1,
        "branch_limit": BRANCHES_SHOWN + 1,
    }
    owner = None
    count = 0
    recent: list[tuple[int, datetime]] = []
    branches: list[BranchEntry] = []
    labels: list[str] = []
    placements: dict[str, list[Placement]] = {}
    for part, number, text, other, instance, detail, at, _ in (
        session.connection().execute(_facts(), params).all()
    ):
        if part == _SELF:
            owner = PageOwner(int(number), text, other, instance, detail)
        elif part == _COUNT:
            count = int(number)
        elif part == _VERSION:
            recent.append((int(number), at))
        elif part == _BRANCH:
            main = owner is not None and text == owner.main_branch
            branches.append(BranchEntry(text, other, main, at))
        elif part == _LABEL:
            labels.append(text)
        else:
            released = part == _RELEASED
            placement = Placement(text, other, released, None if released else instance)
            placements.setdefault(text, []).append(placement)
    return _Facts(owner, count, recent, branches, labels, placements)


def _row(head: Head, labels: dict[int, VersionLabel]) -> IntegrationRow:
    """The integration's row (no placements: the page lists the pacticipant's once, above)."""
    pact, result = head.consumer_version_id, head.provider_version_id
    return IntegrationRow(
        consumer=head.consumer,
        provider=head.provider,
        consumer_version=labels.get(pact) if pact is not None else None,
        pact_published_at=head.published_at,
        provider_version=labels.get(result) if result is not None else None,
        verification=head.result,
        status=head.status,
    )


def load_pacticipant_page(session: Session, name: str, page: int = 1) -> PacticipantPage | None:
    """The page of the pacticipant called ``name`` (``None`` when there is none) with the
    ``page``-th page of versions, newest first (page 1 the newest): three statements (the
    pacticipant and its facts, its integrations, the shown versions' facts)."""
    page = max(1, page)
    facts = _read_facts(session, name, page)
    pacticipant = facts.owner
    if pacticipant is None:
        return None
    has_older = len(facts.recent) > VERSIONS_SHOWN
    recent = facts.recent[:VERSIONS_SHOWN]
    shown_ids = [vid for vid, _ in recent]
    found = heads_of(
        session.connection().execute(_integrations(), {"pacticipant": pacticipant.id}).all()
    )
    labelled = {h.consumer_version_id for h in found} | {h.provider_version_id for h in found}
    shown = version_facts(session, {vid for vid in labelled if vid is not None}, shown_ids)
    labels = shown.labels
    rows = [_row(head, labels) for head in found]
    by_number: dict[str, list[Placement]] = {}
    for entries in facts.placements.values():
        for placement in entries:
            by_number.setdefault(placement.version, []).append(placement)
    versions = [
        VersionEntry(
            labels[vid],
            created,
            by_number.get(labels[vid].number, []),
            shown.verifications.get(vid, VersionVerification()),
            shown.stays.get(vid, []),
        )
        for vid, created in recent
        if vid in labels
    ]
    return PacticipantPage(
        pacticipant=pacticipant,
        version_count=facts.version_count,
        versions=versions,
        branches=facts.branches[:BRANCHES_SHOWN],
        more_branches=len(facts.branches) > BRANCHES_SHOWN,
        placements=facts.placements,
        as_consumer=[row for row in rows if row.consumer == pacticipant.name],
        as_provider=[row for row in rows if row.provider == pacticipant.name],
        labels=facts.labels,
        page=page,
        has_older=has_older,
    )
