"""Versions, tags, branches and branch versions as the API renders them: frozen read models.

A :class:`VersionView` carries everything its HAL resource shows (branches, tags, the providers
it published pacts for, the environments a deployment or release can be recorded to), loaded
inside the unit of work with one statement each for a whole page of versions, so renderers
never touch a session.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
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


_BATCH = 500
"""Versions whose tags, branches and pacts are read per statement (well under every
database's bound-parameter limit)."""


def _tags_by_version(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """Each version's tag names, in the order they were added (one statement)."""
    found: dict[int, list[str]] = {version_id: [] for version_id in ids}
    rows = session.execute(
        select(Tag.version_id, Tag.name).where(Tag.version_id.in_(ids)).order_by(Tag.id)
    )
    for version_id, name in rows:
        found[version_id].append(name)
    return found


def _pact_providers_by_version(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """The providers each version (as a consumer) has a current pact with (one statement)."""
    found: dict[int, list[str]] = {version_id: [] for version_id in ids}
    rows = session.execute(
        select(LatestPactPublication.consumer_version_id, Pacticipant.name)
        .join(Pacticipant, LatestPactPublication.provider_id == Pacticipant.id)
        .where(LatestPactPublication.consumer_version_id.in_(ids))
        .order_by(LatestPactPublication.consumer_version_id, LatestPactPublication.provider_id)
    )
    for version_id, name in rows:
        found[version_id].append(name)
    return found


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
        ids = [version.id for version in chunk]
        tag_names = _tags_by_version(session, ids)
        on_branches = branches.branch_names_by_version(session, ids)
        providers = _pact_providers_by_version(session, ids)
        views.extend(
            VersionView(
                pacticipant=version.pacticipant.name,
                number=version.number,
                build_url=version.build_url,
                created_at=version.created_at,
                updated_at=version.updated_at,
                branches=tuple(BranchHead(name, head) for name, head in on_branches[version.id]),
                tags=tuple(tag_names[version.id]),
                pact_providers=tuple(providers[version.id]),
                environments=shown,
            )
            for version in chunk
        )
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
    """The versions newest first (one ``page`` of ``size`` if given), and how many there are."""
    found, total = versions.list_versions(session, pacticipant, page=page, size=size)
    return views_of(session, found), total


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
    """The branch's versions, most recently added first."""
    owner = get_pacticipant(session, pacticipant)
    found = branches.get_branch(session, owner, branch)
    return views_of(session, branches.versions_on_branch(session, found))


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
