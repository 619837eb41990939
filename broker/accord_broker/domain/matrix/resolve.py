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
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, false, or_, select, true, union
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
    if shape.tag:
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
    query = query.order_by(Version.order.desc())
    return query.limit(1) if shape.newest_only else query


def versions_for_selector(
    session: Session, pacticipant: Pacticipant, selector: UnresolvedSelector
) -> list[tuple[int, str]]:
    """(id, number) of the versions ``selector`` means, newest first (every filter applies).

    ``latest`` with a branch (or the main branch) means the branch head, the version most
    recently added to it; otherwise the version with the highest order among the matches.
    """
    if selector.main_branch and pacticipant.main_branch is None:
        return []
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


_KNOWN_PACTICIPANTS = "accord.matrix.pacticipants_by_name"


def pacticipants_by_name(session: Session, names: Iterable[str]) -> dict[str, Pacticipant]:
    """The pacticipants among ``names`` that exist, remembered for the session's lifetime.

    One answer asks about the same few pacticipants three times (validation, the specified
    selectors, the selectors inferred from the integrations); on PostgreSQL every statement is
    a round trip, so each name is looked up once. Only found names are remembered: a write
    session may create one later.
    """
    known = _known_pacticipants(session)
    wanted = set(names)
    missing = sorted(wanted - known.keys())
    if missing:
        _remember(session, session.scalars(_pacticipants_statement(), {"names": missing}))
    return {name: known[name] for name in wanted if name in known}


def pacticipants_and_environment(
    session: Session, names: Iterable[str], environment: str
) -> tuple[dict[str, Pacticipant], bool]:
    """``pacticipants_by_name``, and whether ``environment`` exists, in one statement (a
    can-i-deploy's validation); the environment is looked up alone only when no name matched."""
    params = {"names": sorted(set(names)), "environment": environment}
    rows = session.execute(_pacticipants_with_environment_statement(), params).all()
    _remember(session, (row[0] for row in rows))
    if rows:
        found = {row[0].name: row[0] for row in rows}
        return found, rows[0][1] is not None
    exists = session.scalar(_environment_id(), {"environment": environment}) is not None
    return {}, exists


@cache
def _environment_id() -> Select[int]:
    return select(Environment.id).where(Environment.name == bindparam("environment"))


@cache
def _pacticipants_with_environment_statement() -> Select[Pacticipant, int]:
    return select(Pacticipant, _environment_id().scalar_subquery()).where(
        Pacticipant.name.in_(bindparam("names", expanding=True))
    )


def _known_pacticipants(session: Session) -> dict[str, Pacticipant]:
    known: dict[str, Pacticipant] = session.info.setdefault(_KNOWN_PACTICIPANTS, {})
    return known


def _remember(session: Session, pacticipants: Iterable[Pacticipant]) -> None:
    known = _known_pacticipants(session)
    for pacticipant in pacticipants:
        known[pacticipant.name] = pacticipant


@cache
def _pacticipants_statement() -> Select[Pacticipant]:
    return select(Pacticipant).where(Pacticipant.name.in_(bindparam("names", expanding=True)))


def resolve_selectors(
    session: Session,
    selectors: Sequence[UnresolvedSelector],
    kind: str,
    ignores: Sequence[ResolvedSelector] = (),
) -> list[ResolvedSelector]:
    """Resolve ``selectors`` of one ``kind``, marking those the ``ignores`` cover."""
    ignorer = _Ignorer(ignores)
    pacticipants = pacticipants_by_name(session, (s.pacticipant or "" for s in selectors))
    in_environment = _prefetch_environment_versions(session, selectors, pacticipants)
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
        if selector in in_environment:
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


def _environment_only(selector: UnresolvedSelector) -> bool:
    return selector.environment is not None and selector == UnresolvedSelector(
        pacticipant=selector.pacticipant, environment=selector.environment
    )


@cache
def _environment_versions_statement() -> Select[int, int, str]:
    environment = (
        select(Environment.id).where(Environment.name == bindparam("environment")).scalar_subquery()
    )
    ids: Any = bindparam("pacticipant_ids", expanding=True)
    deployed = select(DeployedVersion.version_id).where(
        DeployedVersion.pacticipant_id.in_(ids),
        DeployedVersion.environment_id == environment,
        DeployedVersion.undeployed_at.is_(None),
    )
    released = select(ReleasedVersion.version_id).where(
        ReleasedVersion.pacticipant_id.in_(ids),
        ReleasedVersion.environment_id == environment,
        ReleasedVersion.support_ended_at.is_(None),
    )
    current = union(deployed, released).subquery("in_environment")
    return (
        select(Version.pacticipant_id, Version.id, Version.number)
        .select_from(current)
        .join(Version, Version.id == current.c.version_id)
        .order_by(Version.pacticipant_id, Version.order.desc())
    )


def _prefetch_environment_versions(
    session: Session,
    selectors: Sequence[UnresolvedSelector],
    pacticipants: dict[str, Pacticipant],
) -> dict[UnresolvedSelector, list[tuple[int, str]]]:
    """The versions of every "currently in environment E" selector, in one query per E (the
    inferred selectors of a can-i-deploy to E are all of this kind)."""
    by_environment: dict[str, list[UnresolvedSelector]] = {}
    for selector in selectors:
        if _environment_only(selector) and (selector.pacticipant or "") in pacticipants:
            assert selector.environment is not None
            by_environment.setdefault(selector.environment, []).append(selector)
    found: dict[UnresolvedSelector, list[tuple[int, str]]] = {}
    for environment, group in by_environment.items():
        ids = sorted({pacticipants[s.pacticipant or ""].id for s in group})
        rows = session.execute(
            _environment_versions_statement(),
            {"environment": environment, "pacticipant_ids": ids},
        ).all()
        versions: dict[int, list[tuple[int, str]]] = {}
        for pacticipant_id, version_id, number in rows:
            versions.setdefault(pacticipant_id, []).append((version_id, number))
        for selector in group:
            found[selector] = versions.get(pacticipants[selector.pacticipant or ""].id, [])
    return found


def _with(base: ResolvedSelector, **changes: object) -> ResolvedSelector:
    return replace(base, **changes)  # type: ignore[arg-type]


def _consumer_criteria(name_only: bool, versions: bool) -> ColumnElement[bool]:
    lpp = LatestPactPublication
    criteria: list[ColumnElement[bool]] = []
    if name_only:
        criteria.append(lpp.consumer_id.in_(bindparam("name_only", expanding=True)))
    if versions:
        criteria.append(lpp.consumer_version_id.in_(bindparam("versions", expanding=True)))
    return or_(*criteria) if criteria else false()


@cache
def _pairs_statement(
    between: bool, name_only: bool, versions: bool
) -> Select[int, Pacticipant, int, Pacticipant, bool]:
    """Distinct (consumer, provider, required) with both pacticipants, in one statement.

    Not ``between``: the pacts published by the selected versions (the selected pacticipant is
    the consumer; required) and every consumer of the selected pacticipants (it is the
    provider; not required). ``between``: the pacts published by the selected versions for the
    selected pacticipants (required when the consumer was named: decided by the caller).
    """
    lpp = LatestPactPublication
    as_consumer = select(lpp.consumer_id, lpp.provider_id, true().label("required")).where(
        _consumer_criteria(name_only, versions)
    )
    pairs: Any
    if between:
        pairs = as_consumer.where(lpp.provider_id.in_(bindparam("all_ids", expanding=True)))
        pairs = pairs.distinct()
    else:
        as_provider = select(
            IntegrationRecord.consumer_id, IntegrationRecord.provider_id, false().label("required")
        ).where(IntegrationRecord.provider_id.in_(bindparam("all_ids", expanding=True)))
        pairs = union(as_consumer, as_provider)  # UNION: distinct rows
    subquery = pairs.subquery()
    consumer, provider = aliased(Pacticipant), aliased(Pacticipant)
    return (
        select(subquery.c.consumer_id, consumer, subquery.c.provider_id, provider)
        .add_columns(subquery.c.required)
        .join(consumer, consumer.id == subquery.c.consumer_id)
        .join(provider, provider.id == subquery.c.provider_id)
    )


def _pairs(
    session: Session, selectors: Sequence[ResolvedSelector], between: bool
) -> list[tuple[Pacticipant, Pacticipant, bool]]:
    name_only = sorted({s.pacticipant_id for s in selectors if s.version_id is None})
    versions = sorted({s.version_id for s in selectors if s.version_id is not None})
    params = {
        "name_only": name_only,
        "versions": versions,
        "all_ids": sorted({s.pacticipant_id for s in selectors}),
    }
    statement = _pairs_statement(between, bool(name_only), bool(versions))
    rows = session.execute(statement, params).all()
    _remember(session, (pacticipant for row in rows for pacticipant in (row[1], row[3])))
    return [(row[1], row[3], bool(row[4])) for row in rows]


def find_integrations(
    session: Session, specified: Sequence[ResolvedSelector], infer: bool
) -> list[Integration]:
    """The integrations the question is about (see the module docstring), sorted by names."""
    chosen: dict[tuple[int, int], Integration] = {}
    if infer or len(specified) == 1:
        for consumer, provider, required in _pairs(session, specified, between=False):
            key = (consumer.id, provider.id)
            if key not in chosen or (required and not chosen[key].required):
                chosen[key] = Integration(
                    consumer.id, consumer.name, provider.id, provider.name, required
                )
    elif specified:
        names = {s.pacticipant_name for s in specified}
        for consumer, provider, _required in _pairs(session, specified, between=True):
            chosen[(consumer.id, provider.id)] = Integration(
                consumer.id, consumer.name, provider.id, provider.name, consumer.name in names
            )
    return sorted(chosen.values(), key=lambda i: (i.consumer_name, i.provider_name))


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
