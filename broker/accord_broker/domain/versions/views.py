"""Versions, tags, branches and branch versions as the API renders them: frozen read models.

A :class:`VersionView` carries everything its HAL resource shows (branches, tags, the providers
it published pacts for, the environments a deployment or release can be recorded to), loaded
inside the unit of work with one statement each for a whole page of versions, so renderers
never touch a session.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import repeat

from sqlalchemy import Integer, bindparam, select
from sqlalchemy.orm import Session

from accord_broker.db.models import Branch, BranchVersion, Pacticipant, Tag, Version
from accord_broker.db.version_counts import PacticipantVersionCount
from accord_broker.domain.deployments.environments import EnvironmentView, list_environments
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.domain.provider_contracts.views import has_provider_contract
from accord_broker.domain.versions import branches, tags, versions
from accord_broker.domain.versions.version_details import BranchHead, Scope, read_details
from accord_broker.errors import BrokerNotFoundError


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


_OWNER_ID = (
    select(Pacticipant.id).where(Pacticipant.name == bindparam("pacticipant")).scalar_subquery()
)
_PAGE = (
    select(
        *_ROW_COLUMNS,
        select(PacticipantVersionCount.versions)
        .where(PacticipantVersionCount.pacticipant_id == _OWNER_ID)
        .scalar_subquery(),
    )
    .where(Version.pacticipant_id == _OWNER_ID)
    .order_by(Version.order.desc())
    .limit(bindparam("limit", type_=Integer))
    .offset(bindparam("offset", type_=Integer))
)
"""A page of the named pacticipant's versions, each row with the pacticipant's kept version
count (:func:`.versions.version_count`): the page and its total in one statement, the
pacticipant found by name inside it."""


def _views_in_scope(
    session: Session,
    owners: Iterable[str],
    rows: Sequence[VersionRow],
    scope: Scope,
    environments: tuple[EnvironmentView, ...],
) -> list[VersionView]:
    """Views of ``rows`` (versions of ``owners``, in step): their tags in the order they were
    added, their branches in the order they were put on them (with whether each is the head)
    and the providers they have a current pact with (by provider id), in one statement."""
    details = read_details(session, scope, {row[0] for row in rows})
    tags, branches, providers = details.tags, details.branches, details.pact_providers
    return [
        VersionView(
            pacticipant=owner,
            number=number,
            build_url=build_url,
            created_at=created_at,
            updated_at=updated_at,
            branches=tuple(branches.get(version_id, ())),
            tags=tuple(tags.get(version_id, ())),
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
        scope = Scope.of_ids([row[0] for row in rows])
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
    thousands of them. A page is an index range on ``(pacticipant_id, order)`` read with its
    total, the count the database keeps (one seek: counting the index range grew with the
    history, issue #20), then the environments and the page's details: three statements.
    Unpaged, the total is the number listed and the details are read for the whole
    pacticipant, a fixed number of statements however many versions.
    """
    if page is not None:
        offset = (page - 1) * size
        found = session.execute(
            _PAGE, {"pacticipant": pacticipant, "limit": size, "offset": offset}
        ).all()
        if not found:  # past the last page, or no such pacticipant (a 404)
            owner = get_pacticipant(session, pacticipant)
            return [], versions.version_count(session, owner.id)
        total = int(found[0][-1] or 0)
        rows: Sequence[VersionRow] = [tuple(row[:-1]) for row in found]
        shown = tuple(list_environments(session))
        scope = Scope.of_ids([row[0] for row in rows])
        return _views_in_scope(session, repeat(pacticipant), rows, scope, shown), total
    owner = get_pacticipant(session, pacticipant)
    query = (
        select(*_ROW_COLUMNS)
        .where(Version.pacticipant_id == owner.id)
        .order_by(Version.order.desc())
    )
    rows = session.execute(query).all()
    shown = tuple(list_environments(session))
    scope = Scope.of_pacticipant(owner.id)
    return _views_in_scope(session, repeat(owner.name), rows, scope, shown), len(rows)


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
    return _views_in_scope(session, repeat(owner.name), rows, Scope.of_branch(found.id), shown)


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
