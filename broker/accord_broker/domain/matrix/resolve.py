"""From names to ids: which versions each selector means.

The first step of the Pact Broker's matrix algorithm (broker.md §3.6): resolve every selector
to pacticipant and version ids; a selector naming several versions (a tag, a branch, an
environment) becomes one resolved selector per version, and one that names none becomes a
"no such version" selector (id ``-1``, which matches no row). A specified branch of two or
more versions, or a tag of more than ``whole_tag.SMALL_TAG``, alone for its pacticipant, stays
one selector (``whole_branch``, ``whole_tag``): thousands of versions at a large company's
history. The integrations involved and the selectors inferred from them are
``integrations``' part.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, select, union
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    Branch,
    BranchVersion,
    DeployedVersion,
    Environment,
    ReleasedVersion,
    Tag,
    Version,
)
from accord_broker.domain.matrix.lookups import (
    EnvironmentVersions,
    PacticipantRef,
    known_version,
    number_only,
    pacticipants_by_name,
    prefetch_environment_versions,
    prefetch_latest_versions,
)
from accord_broker.domain.matrix.query import UnresolvedSelector
from accord_broker.domain.matrix.whole_branch import newest_on_branch
from accord_broker.domain.matrix.whole_tag import versions_with_tag

NULL_ID = -1
"""The id of a pacticipant or version that does not exist: it matches no row."""

SPECIFIED, INFERRED, IGNORE = "specified", "inferred", "ignore"


@dataclass(frozen=True, slots=True)
class ResolvedSelector:
    """A selector with ids: one pacticipant and one version (or every version, or none)."""

    pacticipant_id: int
    pacticipant_name: str
    original: UnresolvedSelector
    kind: str
    ignore: bool = False
    version_id: int | None = None
    """``None``: every version of the pacticipant; ``NULL_ID``: no version matched."""
    version_number: str | None = None
    branch: str | None = None
    one_of_many: bool = False
    branch_id: int | None = None
    """Set (with ``version_id`` ``None``): every version on this branch, two or more, kept as
    one selector; ``for_version`` gives the selector of one of them, as if resolved alone."""
    small_branch: bool = False
    """A whole branch of at most ``whole_branch.SMALL_BRANCH`` versions: cheaper to read
    version by version than by walking the pacts newest first and testing membership."""
    whole_tag_name: str | None = None
    """Set (with ``version_id`` ``None``): every version of the pacticipant with this tag,
    more than ``whole_tag.SMALL_TAG`` of them, kept as one selector as ``branch_id`` keeps a
    branch."""

    @property
    def whole_branch(self) -> bool:
        return self.branch_id is not None

    @property
    def whole_tag(self) -> bool:
        return self.whole_tag_name is not None

    @property
    def whole(self) -> bool:
        """Kept as one selector for two or more versions (a whole branch or tag)."""
        return self.branch_id is not None or self.whole_tag_name is not None

    def for_version(self, version_id: int | None, number: str | None) -> "ResolvedSelector":
        """The selector of one version of a whole branch or tag: what resolving it into one
        selector per version would have given for it."""
        return replace(
            self,
            version_id=version_id,
            version_number=number,
            branch_id=None,
            whole_tag_name=None,
            small_branch=False,
        )

    @property
    def specified(self) -> bool:
        return self.kind == SPECIFIED

    @property
    def consider(self) -> bool:
        return not self.ignore

    @property
    def only_pacticipant_name(self) -> bool:
        return self.original.only_pacticipant_name

    @property
    def pacticipant_exists(self) -> bool:
        return self.pacticipant_id != NULL_ID

    @property
    def version_exists(self) -> bool:
        return self.version_id != NULL_ID

    @property
    def specified_version_missing(self) -> bool:
        return self.specified and not self.version_exists


@dataclass(frozen=True, slots=True)
class SelectorIds:
    """The ids the row statements bind: pacticipants meant with every version, versions,
    branches meant with every version on them and tags meant with every version carrying
    them, as (pacticipant id, tag name) pairs: a consumer's ``dev`` and a provider's ``prod``
    must not let a consumer version tagged ``prod`` in."""

    name_only: list[int]
    versions: list[int]
    branches: list[int]
    branch_owners: list[int]
    small_branches: bool
    """Every whole branch is small: read the rows through its versions."""
    tags: list[tuple[int, str]]
    tag_owners: list[int]


def versions_meant(selectors: Sequence[ResolvedSelector]) -> int:
    """How many selectors ``selectors`` would be with each branch or tag resolved per version:
    the rules that ask "exactly one selector?" ask this (a whole one holds two or more)."""
    return sum(2 if s.whole else 1 for s in selectors)


def selector_ids(selectors: Sequence[ResolvedSelector]) -> SelectorIds:
    tags = {(s.pacticipant_id, s.whole_tag_name) for s in selectors if s.whole_tag_name}
    return SelectorIds(
        name_only=sorted(
            {s.pacticipant_id for s in selectors if s.version_id is None and not s.whole}
        ),
        versions=sorted({s.version_id for s in selectors if s.version_id is not None}),
        branches=sorted({s.branch_id for s in selectors if s.branch_id is not None}),
        branch_owners=sorted({s.pacticipant_id for s in selectors if s.whole_branch}),
        small_branches=all(s.small_branch for s in selectors if s.whole_branch),
        tags=sorted(tags),
        tag_owners=sorted({owner for owner, _tag in tags}),
    )


@dataclass(frozen=True, slots=True)
class _Ignorer:
    """Decides whether a resolved selector is ignored (``--ignore Bar [--version 2]``)."""

    ignores: Sequence[ResolvedSelector]

    def pacticipant(self, pacticipant_id: int) -> bool:
        return any(
            s.pacticipant_id == pacticipant_id and s.only_pacticipant_name for s in self.ignores
        )

    def version(self, pacticipant_id: int, version_id: int) -> bool:
        return any(
            s.pacticipant_id == pacticipant_id
            and (s.only_pacticipant_name or s.version_id == version_id)
            for s in self.ignores
        )


@dataclass(frozen=True, slots=True)
class _VersionQueryShape:
    """Which filters a version selector uses; one cached statement per shape, values bound."""

    environment: bool
    tag: bool
    number: bool
    main_branch: str | None
    """``"head"`` (latest on it), ``"all"`` or ``None``; ``branch`` likewise."""
    branch: str | None
    newest_only: bool


def _branch_filter(mode: str, name_param: str) -> ColumnElement[bool]:
    pacticipant: Any = bindparam("pacticipant_id")
    if mode == "head":
        head = (
            select(Branch.head_version_id)
            .where(Branch.pacticipant_id == pacticipant, Branch.name == bindparam(name_param))
            .scalar_subquery()
        )
        return Version.id == head
    on_branch = select(BranchVersion.version_id).where(
        BranchVersion.pacticipant_id == pacticipant,
        BranchVersion.branch_name == bindparam(name_param),
    )
    return Version.id.in_(on_branch)


@cache
def _versions_statement(shape: _VersionQueryShape) -> Select[int, str]:
    pacticipant: Any = bindparam("pacticipant_id")
    query = select(Version.id, Version.number).where(Version.pacticipant_id == pacticipant)
    if shape.environment:
        environment = (
            select(Environment.id)
            .where(Environment.name == bindparam("environment"))
            .scalar_subquery()
        )
        deployed = select(DeployedVersion.version_id).where(
            DeployedVersion.pacticipant_id == pacticipant,
            DeployedVersion.environment_id == environment,
            DeployedVersion.undeployed_at.is_(None),
        )
        released = select(ReleasedVersion.version_id).where(
            ReleasedVersion.pacticipant_id == pacticipant,
            ReleasedVersion.environment_id == environment,
            ReleasedVersion.support_ended_at.is_(None),
        )
        # drive the query from the (few) versions in the environment, not from all versions
        current = union(deployed, released).subquery("in_environment")
        query = query.select_from(current).join(Version, Version.id == current.c.version_id)
    newest_first: Any = Version.order.desc()
    if shape.tag and not shape.environment:
        # walk the tag's versions newest first (index ``(pacticipant_id, name,
        # version_order)``; ``version_order`` copies ``Version.order``): the newest tagged
        # version is one step, where testing every version of the tag and sorting them grew
        # with the history (issue #20)
        query = query.join(Tag, Tag.version_id == Version.id).where(
            Tag.pacticipant_id == pacticipant, Tag.name == bindparam("tag")
        )
        newest_first = Tag.version_order.desc()
    elif shape.tag:
        tagged = select(Tag.version_id).where(
            Tag.pacticipant_id == pacticipant, Tag.name == bindparam("tag")
        )
        query = query.where(Version.id.in_(tagged))
    if shape.number:
        query = query.where(Version.number == bindparam("number"))
    if shape.main_branch is not None:
        query = query.where(_branch_filter(shape.main_branch, "main_branch"))
    if shape.branch is not None:
        query = query.where(_branch_filter(shape.branch, "branch"))
    query = query.order_by(newest_first)
    return query.limit(1) if shape.newest_only else query


def versions_for_selector(
    session: Session, pacticipant: PacticipantRef, selector: UnresolvedSelector
) -> list[tuple[int, str]]:
    """(id, number) of the versions ``selector`` means, newest first (every filter applies).

    ``latest`` with a branch (or the main branch) means the branch head, the version most
    recently added to it; otherwise the version with the highest order among the matches.
    """
    if selector.main_branch and pacticipant.main_branch is None:
        return []
    if number_only(selector):
        assert selector.version is not None
        found = known_version(session, pacticipant.id, selector.version)
        if found is not None:
            return [found]
    mode = "head" if selector.latest else "all"
    shape = _VersionQueryShape(
        environment=selector.environment is not None,
        tag=selector.tag is not None,
        number=selector.version is not None,
        main_branch=mode if selector.main_branch else None,
        branch=mode if selector.branch is not None else None,
        newest_only=selector.latest and not (selector.main_branch or selector.branch),
    )
    params = {
        "pacticipant_id": pacticipant.id,
        "environment": selector.environment,
        "tag": selector.tag,
        "number": selector.version,
        "main_branch": pacticipant.main_branch,
        "branch": selector.branch,
    }
    rows = session.execute(_versions_statement(shape), params).all()
    return [(row[0], row[1]) for row in rows]


def resolve_selectors(
    session: Session,
    selectors: Sequence[UnresolvedSelector],
    kind: str,
    ignores: Sequence[ResolvedSelector] = (),
    known: EnvironmentVersions | None = None,
) -> list[ResolvedSelector]:
    """Resolve ``selectors`` of one ``kind``, marking those the ``ignores`` cover; ``known``:
    versions in an environment already read (``find_integrations``), not asked again."""
    ignorer = _Ignorer(ignores)
    ignored_ids = {s.pacticipant_id for s in ignores}
    pacticipants = pacticipants_by_name(session, (s.pacticipant or "" for s in selectors))
    in_environment = prefetch_environment_versions(session, selectors, pacticipants, known)
    in_environment |= prefetch_latest_versions(session, selectors, pacticipants)
    resolved: list[ResolvedSelector] = []
    for selector in selectors:
        name = selector.pacticipant or ""
        pacticipant = pacticipants.get(name)
        if pacticipant is None:
            resolved.append(ResolvedSelector(NULL_ID, name, selector, kind, version_id=NULL_ID))
            continue
        base = ResolvedSelector(pacticipant.id, pacticipant.name, selector, kind)
        if selector.only_pacticipant_name:
            resolved.append(_with(base, ignore=ignorer.pacticipant(pacticipant.id)))
            continue
        whole = _whole_kind(selector, kind, selectors, ignored_ids, pacticipant)
        if whole == _BRANCH:
            branch = selector.branch or pacticipant.main_branch
            assert branch is not None
            newest, small = newest_on_branch(session, pacticipant.id, branch)
            if len(newest) > 1:
                kept = _with(base, branch=branch, one_of_many=True, branch_id=newest[0][0])
                resolved.append(_with(kept, small_branch=small))
                continue
            versions = [(version_id, number) for _branch, version_id, number in newest]
        elif whole == _TAG:
            assert selector.tag is not None
            versions, large = versions_with_tag(session, pacticipant.id, selector.tag)
            if large:
                resolved.append(_with(base, one_of_many=True, whole_tag_name=selector.tag))
                continue
        elif selector in in_environment:
            versions = in_environment[selector]
        else:
            versions = versions_for_selector(session, pacticipant, selector)
        if not versions:
            resolved.append(
                _with(
                    base,
                    ignore=ignorer.pacticipant(pacticipant.id),
                    version_id=NULL_ID,
                    version_number=selector.version,
                    branch=selector.branch,
                )
            )
            continue
        branch = selector.branch or (pacticipant.main_branch if selector.main_branch else None)
        many = len(versions) > 1
        # built directly, not with ``replace``: a tag can mean thousands of versions
        resolved.extend(
            ResolvedSelector(
                pacticipant.id,
                pacticipant.name,
                selector,
                kind,
                ignore=bool(ignores) and ignorer.version(pacticipant.id, version_id),
                version_id=version_id,
                version_number=number,
                branch=branch,
                one_of_many=many,
            )
            for version_id, number in versions
        )
    return resolved


_BRANCH, _TAG = "branch", "tag"


def _whole_kind(
    selector: UnresolvedSelector,
    kind: str,
    selectors: Sequence[UnresolvedSelector],
    ignored_ids: set[int],
    pacticipant: PacticipantRef,
) -> str | None:
    """Whether ``selector`` may stay one selector for the many versions it means, and as
    what (``_BRANCH`` or ``_TAG``): only a branch (or the main branch), or only a tag, and
    nothing else; specified; the only selector naming its pacticipant; and no ignore selector
    naming it (the decision then finds each row's version in it exactly as it would among one
    selector per version)."""
    if kind != SPECIFIED or pacticipant.id in ignored_ids:
        return None
    name = selector.pacticipant
    branch_only = selector.branch and selector == UnresolvedSelector(name, branch=selector.branch)
    main_only = pacticipant.main_branch and selector == UnresolvedSelector(name, main_branch=True)
    tag_only = selector.tag and selector == UnresolvedSelector(name, tag=selector.tag)
    if not (branch_only or main_only or tag_only):
        return None
    if sum(1 for s in selectors if s.pacticipant == name) != 1:
        return None
    return _TAG if tag_only else _BRANCH


def _with(base: ResolvedSelector, **changes: object) -> ResolvedSelector:
    return replace(base, **changes)  # type: ignore[arg-type]
