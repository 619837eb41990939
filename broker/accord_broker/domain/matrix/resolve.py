"""From names to ids: which versions each selector means, and which integrations are involved.

This is the first half of the Pact Broker's matrix algorithm (broker.md §3.6):

1. resolve every selector to pacticipant and version ids; a selector naming several versions
   (a tag, a branch, an environment) becomes one resolved selector per version, and one that
   names none becomes a "no such version" selector (id ``-1``, which matches no row);
2. find the integrations involved: when the version is a *consumer*, the providers of the pacts
   published *for that version* (required: a consumer needs its providers); when it is a
   *provider*, every consumer it has ever had (not required: a provider may ship before its
   consumers);
3. for a "deploy to X" question, infer a selector for every other pacticipant of those
   integrations, with the same destination (the versions in X).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, Select, Subquery, and_, false, or_, select, union
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    BranchVersion,
    DeployedVersion,
    Environment,
    LatestPactPublication,
    Pacticipant,
    ReleasedVersion,
    Tag,
    Version,
)
from accord_broker.db.models import Integration as IntegrationRecord
from accord_broker.domain.matrix.query import MatrixOptions, UnresolvedSelector

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
class Integration:
    """A consumer/provider pair involved in the question, and whether a row for it is required."""

    consumer_id: int
    consumer_name: str
    provider_id: int
    provider_name: str
    required: bool


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


def _currently_in_environment(pacticipant_id: int, environment_id: int) -> Subquery:
    """Ids of the pacticipant's versions deployed (current) or released (supported) there."""
    deployed = select(DeployedVersion.version_id).where(
        DeployedVersion.pacticipant_id == pacticipant_id,
        DeployedVersion.environment_id == environment_id,
        DeployedVersion.undeployed_at.is_(None),
    )
    released = select(ReleasedVersion.version_id).where(
        ReleasedVersion.pacticipant_id == pacticipant_id,
        ReleasedVersion.environment_id == environment_id,
        ReleasedVersion.support_ended_at.is_(None),
    )
    return union(deployed, released).subquery("in_environment")


def _branch_filter(
    session: Session, pacticipant: Pacticipant, name: str, latest: bool
) -> ColumnElement[bool]:
    if latest:
        head = session.scalar(
            select(Branch.head_version_id).where(
                Branch.pacticipant_id == pacticipant.id, Branch.name == name
            )
        )
        return Version.id == head if head is not None else false()
    on_branch = select(BranchVersion.version_id).where(
        BranchVersion.pacticipant_id == pacticipant.id, BranchVersion.branch_name == name
    )
    return Version.id.in_(on_branch)


def versions_for_selector(
    session: Session, pacticipant: Pacticipant, selector: UnresolvedSelector
) -> list[tuple[int, str]]:
    """(id, number) of the versions ``selector`` means, newest first (every filter applies)."""
    query = select(Version.id, Version.number).where(Version.pacticipant_id == pacticipant.id)
    if selector.environment is not None:
        env_id = session.scalar(
            select(Environment.id).where(Environment.name == selector.environment)
        )
        if env_id is None:
            return []
        # drive the query from the (few) versions in the environment, not from all versions
        current = _currently_in_environment(pacticipant.id, env_id)
        query = query.select_from(current).join(Version, Version.id == current.c.version_id)
    if selector.tag is not None:
        query = query.where(
            Version.id.in_(
                select(Tag.version_id).where(
                    Tag.pacticipant_id == pacticipant.id, Tag.name == selector.tag
                )
            )
        )
    if selector.version is not None:
        query = query.where(Version.number == selector.version)
    latest_applied = False
    if selector.main_branch:
        if pacticipant.main_branch is None:
            return []
        query = query.where(
            _branch_filter(session, pacticipant, pacticipant.main_branch, selector.latest)
        )
        latest_applied = selector.latest
    if selector.branch is not None:
        query = query.where(_branch_filter(session, pacticipant, selector.branch, selector.latest))
        latest_applied = latest_applied or selector.latest
    query = query.order_by(Version.order.desc())
    if selector.latest and not latest_applied:
        query = query.limit(1)
    return [(row[0], row[1]) for row in session.execute(query).all()]


def _pacticipants_by_name(session: Session, names: Iterable[str]) -> dict[str, Pacticipant]:
    wanted = sorted(set(names))
    if not wanted:
        return {}
    found = session.scalars(select(Pacticipant).where(Pacticipant.name.in_(wanted))).all()
    return {p.name: p for p in found}


def resolve_selectors(
    session: Session,
    selectors: Sequence[UnresolvedSelector],
    kind: str,
    ignores: Sequence[ResolvedSelector] = (),
) -> list[ResolvedSelector]:
    """Resolve ``selectors`` of one ``kind``, marking those the ``ignores`` cover."""
    ignorer = _Ignorer(ignores)
    pacticipants = _pacticipants_by_name(session, (s.pacticipant or "" for s in selectors))
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
        for version_id, number in versions:
            resolved.append(
                _with(
                    base,
                    ignore=ignorer.version(pacticipant.id, version_id),
                    version_id=version_id,
                    version_number=number,
                    branch=branch,
                    one_of_many=len(versions) > 1,
                )
            )
    return resolved


def _with(base: ResolvedSelector, **changes: object) -> ResolvedSelector:
    return replace(base, **changes)  # type: ignore[arg-type]


def _consumer_criteria(selectors: Sequence[ResolvedSelector]) -> ColumnElement[bool]:
    lpp = LatestPactPublication
    name_only = {s.pacticipant_id for s in selectors if s.version_id is None}
    with_versions = {s.version_id for s in selectors if s.version_id is not None}
    criteria: list[ColumnElement[bool]] = []
    if name_only:
        criteria.append(lpp.consumer_id.in_(sorted(name_only)))
    if with_versions:
        criteria.append(lpp.consumer_version_id.in_(sorted(with_versions)))
    return or_(*criteria) if criteria else false()


def _named_pairs(
    session: Session, pairs: Select[int, int], required_for: set[str] | bool
) -> list[Integration]:
    subquery = pairs.distinct().subquery()
    consumer, provider = aliased(Pacticipant), aliased(Pacticipant)
    rows = session.execute(
        select(subquery.c.consumer_id, consumer.name, subquery.c.provider_id, provider.name)
        .join(consumer, consumer.id == subquery.c.consumer_id)
        .join(provider, provider.id == subquery.c.provider_id)
    ).all()
    return [
        Integration(
            c_id,
            c_name,
            p_id,
            p_name,
            required_for if isinstance(required_for, bool) else c_name in required_for,
        )
        for c_id, c_name, p_id, p_name in rows
    ]


def find_integrations(
    session: Session, specified: Sequence[ResolvedSelector], infer: bool
) -> list[Integration]:
    """The integrations the question is about (see the module docstring), sorted by names."""
    lpp = LatestPactPublication
    if infer or len(specified) == 1:
        as_consumer = _named_pairs(
            session,
            select(lpp.consumer_id, lpp.provider_id).where(_consumer_criteria(specified)),
            True,
        )
        provider_ids = sorted({s.pacticipant_id for s in specified})
        as_provider = (
            _named_pairs(
                session,
                select(IntegrationRecord.consumer_id, IntegrationRecord.provider_id).where(
                    IntegrationRecord.provider_id.in_(provider_ids)
                ),
                False,
            )
            if provider_ids
            else []
        )
        chosen: dict[tuple[int, int], Integration] = {}
        for integration in as_consumer + as_provider:
            key = (integration.consumer_id, integration.provider_id)
            if key not in chosen or (integration.required and not chosen[key].required):
                chosen[key] = integration
        found = list(chosen.values())
    else:
        all_ids = sorted({s.pacticipant_id for s in specified})
        names = {s.pacticipant_name for s in specified}
        found = _named_pairs(
            session,
            select(lpp.consumer_id, lpp.provider_id).where(
                and_(_consumer_criteria(specified), lpp.provider_id.in_(all_ids))
            ),
            names,
        )
    return sorted(found, key=lambda i: (i.consumer_name, i.provider_name))


def infer_selectors(
    session: Session,
    specified: Sequence[ResolvedSelector],
    ignores: Sequence[ResolvedSelector],
    integrations: Sequence[Integration],
    options: MatrixOptions,
) -> list[ResolvedSelector]:
    """One selector per other pacticipant, for the versions at the question's destination."""
    specified_names = {s.pacticipant_name for s in specified}
    others: list[str] = []
    for integration in integrations:
        for name in (integration.consumer_name, integration.provider_name):
            if name not in specified_names and name not in others:
                others.append(name)
    unresolved = [
        UnresolvedSelector(
            pacticipant=name,
            latest=options.latest,
            tag=options.tag,
            main_branch=options.main_branch,
            environment=options.environment,
        )
        for name in others
    ]
    return resolve_selectors(session, unresolved, INFERRED, ignores)
