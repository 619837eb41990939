"""Versions, tags, branches and branch versions as the API renders them: frozen read models.

A :class:`VersionView` carries everything its HAL resource shows (branches, tags, the providers
it published pacts for, the environments a deployment or release can be recorded to), loaded
inside the unit of work with one statement each for a whole page of versions, so renderers
never touch a session.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import repeat
from typing import TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    Branch,
    BranchVersion,
    LatestPactPublication,
    Pacticipant,
    Tag,
    Version,
)
from accord_broker.domain.deployments.environments import EnvironmentView, list_environments
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.domain.provider_contracts.views import has_provider_contract
from accord_broker.domain.versions import branches, tags, versions
from accord_broker.errors import BrokerNotFoundError


@dataclass(frozen=True, slots=True)
class BranchHead:
    """A branch a version is on, and whether the version is that branch's newest."""

    name: str
    latest: bool


@dataclass(frozen=True, slots=True)
class VersionView:
    """One pacticipant version with its branches, tags and the pacts it published."""

    pacticipant: str
    number: str
    build_url: str | None
    created_at: datetime
    updated_at: datetime
    branches: tuple[BranchHead, ...]
    """In the order the version was put on them."""
    tags: tuple[str, ...]
    """In the order they were added."""
    pact_providers: tuple[str, ...]
    """The providers this version (as a consumer) has a current pact with."""
    environments: tuple[EnvironmentView, ...]
    """Every environment: where a deployment or release of it can be recorded."""
    provider_contract: bool = False
    """Whether it published a provider contract (looked up for the single-version resource)."""


@dataclass(frozen=True, slots=True)
class TagView:
    pacticipant: str
    version: str
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class BranchView:
    pacticipant: str
    name: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class BranchVersionView:
    """A version's membership of a branch (when it was put on it)."""

    pacticipant: str
    branch: str
    version: str
    created_at: datetime


_T = TypeVar("_T")

_BATCH = 500
"""Versions whose tags, branches and pacts are read per statement when the caller holds the
versions themselves (well under every database's bound-parameter limit)."""

VersionRow = tuple[int, str, str | None, datetime, datetime]
"""``(id, number, build_url, created_at, updated_at)``: what a view needs of a version row."""
_ROW_COLUMNS = (
    Version.id,
    Version.number,
    Version.build_url,
    Version.created_at,
    Version.updated_at,
)


@dataclass(frozen=True, slots=True)
class _Scope:
    """Which tags, branch memberships and current pacts to read: a superset of the listed
    versions' own, filtered in SQL (by the pacticipant, the branch, or a batch of ids), so a
    whole list is read with one statement each, however long it is."""

    tags: ColumnElement[bool]
    branch_versions: ColumnElement[bool]
    pacts: ColumnElement[bool]

    @classmethod
    def of_ids(cls, ids: list[int]) -> "_Scope":
        return cls(
            Tag.version_id.in_(ids),
            BranchVersion.version_id.in_(ids),
            LatestPactPublication.consumer_version_id.in_(ids),
        )

    @classmethod
    def of_pacticipant(cls, pacticipant_id: int) -> "_Scope":
        return cls(
            Tag.pacticipant_id == pacticipant_id,
            BranchVersion.pacticipant_id == pacticipant_id,
            LatestPactPublication.consumer_id == pacticipant_id,
        )

    @classmethod
    def of_branch(cls, branch_id: int) -> "_Scope":
        on_branch = select(BranchVersion.version_id).where(BranchVersion.branch_id == branch_id)
        return cls(
            Tag.version_id.in_(on_branch),
            BranchVersion.version_id.in_(on_branch),
            LatestPactPublication.consumer_version_id.in_(on_branch),
        )


def _grouped(rows: Iterable[tuple[int, _T]], ids: Collection[int]) -> dict[int, list[_T]]:
    """``rows`` of ``(version id, value)`` as the listed versions' values, in row order (only
    versions that have some: thousands of empty lists are garbage-collector work for nothing)."""
    found: dict[int, list[_T]] = {}
    for version_id, value in rows:
        if version_id in ids:
            values = found.get(version_id)
            if values is None:
                found[version_id] = [value]
            else:
                values.append(value)
    return found


def _views_in_scope(
    session: Session,
    owners: Iterable[str],
    rows: Sequence[VersionRow],
    scope: _Scope,
    environments: tuple[EnvironmentView, ...],
) -> list[VersionView]:
    """Views of ``rows`` (versions of ``owners``, in step): their tags in the order they were
    added, their branches in the order they were put on them (with whether each is the head)
    and the providers they have a current pact with (by provider id): three statements."""
    ids = {row[0] for row in rows}
    tag_names = _grouped(
        session.execute(select(Tag.version_id, Tag.name).where(scope.tags).order_by(Tag.id)),
        ids,
    )
    on_branches = _grouped(
        (
            (version_id, BranchHead(name, head == version_id))
            for version_id, name, head in session.execute(
                select(BranchVersion.version_id, Branch.name, Branch.head_version_id)
                .join(Branch, BranchVersion.branch_id == Branch.id)
                .where(scope.branch_versions)
                .order_by(BranchVersion.id)
            )
        ),
        ids,
    )
    providers = _grouped(
        session.execute(
            select(LatestPactPublication.consumer_version_id, Pacticipant.name)
            .join(Pacticipant, LatestPactPublication.provider_id == Pacticipant.id)
            .where(scope.pacts)
            .order_by(LatestPactPublication.provider_id)
        ),
        ids,
    )
    return [
        VersionView(
            pacticipant=owner,
            number=number,
            build_url=build_url,
            created_at=created_at,
            updated_at=updated_at,
            branches=tuple(on_branches.get(version_id, ())),
            tags=tuple(tag_names.get(version_id, ())),
            pact_providers=tuple(providers.get(version_id, ())),
            environments=environments,
        )
        for owner, (version_id, number, build_url, created_at, updated_at) in zip(
            owners, rows, strict=False
        )
    ]


def views_of(
    session: Session,
    found: Sequence[Version],
    environments: Sequence[EnvironmentView] | None = None,
) -> list[VersionView]:
    """Read models of many versions, in the order given.

    Tags, branches and pact providers are read for up to 500 versions per statement, and the
    environments once, so a page of versions costs a handful of statements, not a few per
    version (issue #20: the unbatched listing ran ~3 statements per version).
    """
    shown = tuple(list_environments(session) if environments is None else environments)
    views: list[VersionView] = []
    for start in range(0, len(found), _BATCH):
        chunk = found[start : start + _BATCH]
        rows = [(v.id, v.number, v.build_url, v.created_at, v.updated_at) for v in chunk]
        scope = _Scope.of_ids([row[0] for row in rows])
        owners = [v.pacticipant.name for v in chunk]
        views.extend(_views_in_scope(session, owners, rows, scope, shown))
    return views


def view_of(
    session: Session,
    version: Version,
    environments: Sequence[EnvironmentView] | None = None,
    *,
    provider_contract: bool = False,
) -> VersionView:
    """The read model of a stored version (the same statements as a page of one)."""
    view = views_of(session, [version], environments)[0]
    return replace(view, provider_contract=provider_contract) if provider_contract else view


def version_view(session: Session, pacticipant: str, number: str) -> VersionView:
    """``GET …/versions/{number}``: the version (and whether it has a provider contract)."""
    version = versions.get_version(session, pacticipant, number)
    published = has_provider_contract(session, version.id)
    return view_of(session, version, provider_contract=published)


def list_version_views(
    session: Session, pacticipant: str, *, page: int | None = None, size: int = 100
) -> tuple[list[VersionView], int]:
    """The versions newest first (one ``page`` of ``size`` if given), and how many there are.

    Versions are read as plain rows (no ORM objects): the whole list of a long history is
    thousands of them. A page is an index range on ``(pacticipant_id, order)`` and its total
    the count the database keeps (:func:`.versions.version_count`, one seek: counting the
    index range grew with the history, issue #20); unpaged, the total is the number listed
    and the details are read for the whole pacticipant, a fixed number of statements however
    many versions.
    """
    owner = get_pacticipant(session, pacticipant)
    where = Version.pacticipant_id == owner.id
    query = select(*_ROW_COLUMNS).where(where).order_by(Version.order.desc())
    if page is None:
        rows: Sequence[VersionRow] = session.execute(query).all()
        total = len(rows)
        scope = _Scope.of_pacticipant(owner.id)
    else:
        total = versions.version_count(session, owner.id)
        rows = session.execute(query.offset((page - 1) * size).limit(size)).all()
        scope = _Scope.of_ids([row[0] for row in rows])
    shown = tuple(list_environments(session))
    return _views_in_scope(session, repeat(owner.name), rows, scope, shown), total


def latest_version_view(session: Session, pacticipant: str, tag: str | None = None) -> VersionView:
    """The newest version (among those tagged ``tag``, if given), or a 404."""
    return view_of(session, versions.latest_version(session, pacticipant, tag))


def tag_view_of(version: Version, tag: Tag) -> TagView:
    return TagView(version.pacticipant.name, version.number, tag.name, tag.created_at)


def tag_view(session: Session, pacticipant: str, number: str, name: str) -> TagView:
    """The tag ``name`` on the version, or a 404 naming what is missing."""
    version = versions.get_version(session, pacticipant, number)
    return tag_view_of(version, tags.get_tag(session, version, name))


def _branch_view(owner: str, branch: Branch) -> BranchView:
    return BranchView(owner, branch.name, branch.created_at, branch.updated_at)


def branch_views(session: Session, pacticipant: str) -> list[BranchView]:
    """The pacticipant's branches, newest first."""
    owner = get_pacticipant(session, pacticipant)
    return [_branch_view(owner.name, b) for b in branches.list_branches(session, owner)]


def branch_view(session: Session, pacticipant: str, branch: str) -> BranchView:
    owner = get_pacticipant(session, pacticipant)
    return _branch_view(owner.name, branches.get_branch(session, owner, branch))


def branch_version_views(session: Session, pacticipant: str, branch: str) -> list[VersionView]:
    """The branch's versions, most recently added first (as plain rows, details read for the
    whole branch: a fixed number of statements however long it is)."""
    owner = get_pacticipant(session, pacticipant)
    found = branches.get_branch(session, owner, branch)
    rows = session.execute(
        select(*_ROW_COLUMNS)
        .join(BranchVersion, BranchVersion.version_id == Version.id)
        .where(BranchVersion.branch_id == found.id)
        .order_by(BranchVersion.id.desc())
    ).all()
    shown = tuple(list_environments(session))
    return _views_in_scope(session, repeat(owner.name), rows, _Scope.of_branch(found.id), shown)


def branch_head_view(session: Session, pacticipant: str, branch: str) -> VersionView:
    """The branch's newest version, or a 404 when the branch (or any version on it) is missing."""
    owner = get_pacticipant(session, pacticipant)
    head = branches.head_of(session, branches.get_branch(session, owner, branch))
    if head is None:
        raise BrokerNotFoundError(f"Branch '{branch}' of '{pacticipant}' has no versions")
    return view_of(session, head)


def branch_version_view_of(
    branch: Branch, version: Version, bv: BranchVersion
) -> BranchVersionView:
    return BranchVersionView(version.pacticipant.name, branch.name, version.number, bv.created_at)


def branch_version_view(
    session: Session, pacticipant: str, branch: str, number: str
) -> BranchVersionView:
    """The version's membership of the branch, or a 404 naming what is missing."""
    version = versions.get_version(session, pacticipant, number)
    found = branches.get_branch(session, version.pacticipant, branch)
    bv = branches.find_branch_version(session, found, version)
    if bv is None:
        raise BrokerNotFoundError(f"Version '{number}' is not on branch '{branch}'")
    return branch_version_view_of(found, version, bv)
