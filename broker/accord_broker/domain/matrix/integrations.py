"""Which integrations a matrix question is about, and the selectors it infers from them.

The second and third steps of the Pact Broker's matrix algorithm (broker.md §3.6), after the
selectors are resolved (``resolve``):

2. find the integrations involved: when the version is a *consumer*, the providers of the pacts
   published *for that version* (required: a consumer needs its providers); when it is a
   *provider*, every consumer it has ever had (not required: a provider may ship before its
   consumers);
3. for a "deploy to X" question, infer a selector for every other pacticipant of those
   integrations, with the same destination (the versions in X). For an environment, those
   versions come back with the integrations, in the same statement.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from sqlalchemy import and_, bindparam, case, false, select, true, union
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    DeployedVersion,
    Environment,
    LatestPactPublication,
    Pacticipant,
    ReleasedVersion,
    Version,
)
from accord_broker.db.models import Integration as IntegrationRecord
from accord_broker.domain.matrix.lookups import (
    EnvironmentVersions,
    PacticipantRef,
    known_pacticipant,
    remember_pacticipants,
)
from accord_broker.domain.matrix.query import MatrixOptions, UnresolvedSelector
from accord_broker.domain.matrix.resolve import (
    INFERRED,
    ResolvedSelector,
    resolve_selectors,
    selector_ids,
    versions_meant,
)
from accord_broker.domain.matrix.sides import member_of_tags, on_branches, tag_params


@dataclass(frozen=True, slots=True)
class Integration:
    """A consumer/provider pair involved in the question, and whether a row for it is required."""

    consumer_id: int
    consumer_name: str
    provider_id: int
    provider_name: str
    required: bool


def _published_for(consumer: Any, provider: Any, *criteria: Any) -> Any:
    """Whether a current pact of the pair (``consumer``, ``provider``) meets ``criteria``:
    ``EXISTS``, which stops at the first pact found."""
    lpp = LatestPactPublication
    return (
        select(lpp.consumer_version_id)
        .where(lpp.consumer_id == consumer, lpp.provider_id == provider, *criteria)
        .exists()
    )


def _named_consumer_pairs() -> Any:
    """(consumer, provider, required) of the integrations of the consumers meant with every
    version (bind ``name_only``) that have a current pact: asked per integration, not by
    reading (and de-duplicating) every pact of every version the consumer published."""
    record = IntegrationRecord
    return select(record.consumer_id, record.provider_id, true().label("required")).where(
        record.consumer_id.in_(bindparam("name_only", expanding=True)),
        _published_for(record.consumer_id, record.provider_id),
    )


def _versions_pairs() -> Any:
    """(consumer, provider, required) of the pacts published by the selected versions (bind
    ``versions``): one primary-key range per version."""
    lpp = LatestPactPublication
    return select(lpp.consumer_id, lpp.provider_id, true().label("required")).where(
        lpp.consumer_version_id.in_(bindparam("versions", expanding=True))
    )


def _whole_pairs(owners: str, member: Any) -> Any:
    """(consumer, provider, required) of the integrations of the pacticipants bound as
    ``owners`` for which a version meeting ``member`` (on a whole branch, with a whole tag)
    published a pact.

    Asked per integration of the owners (``EXISTS``, which stops at the first pact found),
    not by reading the pacts of every version on the branch: thousands on ``main``. A small
    branch is read through its versions; a large one (and a whole tag, always large) by the
    pair's pacts, newest first."""
    version = LatestPactPublication.consumer_version_id
    published = _published_for(
        IntegrationRecord.consumer_id, IntegrationRecord.provider_id, member(version)
    )
    owned_by: Any = bindparam(owners, expanding=True)
    return select(
        IntegrationRecord.consumer_id, IntegrationRecord.provider_id, true().label("required")
    ).where(IntegrationRecord.consumer_id.in_(owned_by), published)


def _whole_parts(branches: bool, small_branches: bool, tags: int) -> list[Any]:
    """``_whole_pairs`` of the whole branches and of the ``tags`` whole tags."""
    parts = []
    if branches:
        on_branch = partial(on_branches, prefix="c", drive=small_branches)
        parts.append(_whole_pairs("branch_owners", on_branch))
    if tags:
        tagged = partial(member_of_tags, prefix="c", count=tags)
        parts.append(_whole_pairs("tag_owners", tagged))
    return parts


@dataclass(frozen=True, slots=True)
class Involved:
    """The integrations a question is about and, for a can-i-deploy to an environment, the
    versions in that environment of the pacticipants it infers."""

    integrations: list[Integration]
    in_environment: EnvironmentVersions | None = None


def _in_environment() -> Any:
    """(pacticipant_id, version_id) currently deployed or released in the bound environment."""
    environment = (
        select(Environment.id).where(Environment.name == bindparam("environment")).scalar_subquery()
    )
    deployed = select(DeployedVersion.pacticipant_id, DeployedVersion.version_id).where(
        DeployedVersion.environment_id == environment, DeployedVersion.undeployed_at.is_(None)
    )
    released = select(ReleasedVersion.pacticipant_id, ReleasedVersion.version_id).where(
        ReleasedVersion.environment_id == environment, ReleasedVersion.support_ended_at.is_(None)
    )
    return union(deployed, released).subquery("in_environment")


@cache
def _pairs_statement(
    between: bool,
    *,
    name_only: bool,
    versions: bool,
    environment: bool,
    branches: bool = False,
    small_branches: bool = True,
    tags: int = 0,
) -> Any:
    """Distinct (consumer, provider, required) with both pacticipants, in one statement.

    Not ``between``: the pacts published by the selected versions (the selected pacticipant is
    the consumer; required) and every consumer of the selected pacticipants (it is the
    provider; not required). ``between``: the pacts published by the selected versions for the
    selected pacticipants (required when the consumer was named: decided by the caller).

    With ``environment``, each pair also carries the versions in that environment of its other
    side (the pacticipant not selected), one row per version (NULLs when there is none).
    """
    selected: Any = bindparam("all_ids", expanding=True)
    parts: list[Any] = []
    if versions:
        part = _versions_pairs()
        parts.append(
            part.where(LatestPactPublication.provider_id.in_(selected)) if between else part
        )
    named = [_named_consumer_pairs()] if name_only else []
    named += _whole_parts(branches, small_branches, tags)
    for part in named:
        parts.append(part.where(IntegrationRecord.provider_id.in_(selected)) if between else part)
    if not between:
        as_provider = select(
            IntegrationRecord.consumer_id, IntegrationRecord.provider_id, false().label("required")
        ).where(IntegrationRecord.provider_id.in_(selected))
        parts.append(as_provider)
    if not parts:
        parts.append(_versions_pairs().where(false()))
    pairs: Any = union(*parts) if len(parts) > 1 else parts[0].distinct()  # distinct rows
    subquery = pairs.subquery()
    consumer, provider = aliased(Pacticipant), aliased(Pacticipant)
    statement = (
        select(
            consumer.id,
            consumer.name,
            consumer.main_branch,
            provider.id,
            provider.name,
            provider.main_branch,
            subquery.c.required,
        )
        .select_from(subquery)
        .join(consumer, consumer.id == subquery.c.consumer_id)
        .join(provider, provider.id == subquery.c.provider_id)
    )
    if not environment:
        return statement
    other = case(
        (subquery.c.consumer_id.in_(selected), subquery.c.provider_id),
        else_=subquery.c.consumer_id,
    )
    current = _in_environment()
    return (
        statement.add_columns(other.label("other_id"), Version.id, Version.number)
        .outerjoin(current, and_(current.c.pacticipant_id == other, other.not_in(selected)))
        .outerjoin(Version, Version.id == current.c.version_id)
        .order_by(other, Version.order.desc())
    )


def _pairs(
    session: Session,
    selectors: Sequence[ResolvedSelector],
    between: bool,
    environment: str | None = None,
) -> tuple[list[tuple[PacticipantRef, PacticipantRef, bool]], EnvironmentVersions | None]:
    ids = selector_ids(selectors)
    selected = {s.pacticipant_id for s in selectors}
    params = {
        "name_only": ids.name_only,
        "versions": ids.versions,
        "c_branches": ids.branches,
        "branch_owners": ids.branch_owners,
        "tag_owners": ids.tag_owners,
        **tag_params("c", ids.tags),
        "all_ids": sorted(selected),
        "environment": environment,
    }
    statement = _pairs_statement(
        between,
        name_only=bool(ids.name_only),
        versions=bool(ids.versions),
        environment=environment is not None,
        branches=bool(ids.branches),
        small_branches=ids.small_branches,
        tags=len(ids.tags),
    )
    rows = session.connection().execute(statement, params).all()
    pairs: list[tuple[PacticipantRef, PacticipantRef, bool]] = list(
        {
            (row[0], row[3]): (
                known_pacticipant(row[0:3]),
                known_pacticipant(row[3:6]),
                bool(row[6]),
            )
            for row in rows
        }.values()
    )
    remember_pacticipants(session, (p for pair in pairs for p in pair[:2]))
    if environment is None:
        return pairs, None
    found: dict[int, list[tuple[int, str]]] = {}
    for row in rows:
        other_id, version_id, number = row[7], row[8], row[9]
        if other_id in selected:
            continue
        listed = found.setdefault(other_id, [])
        if version_id is not None and (version_id, number) not in listed:
            listed.append((version_id, number))
    return pairs, EnvironmentVersions(environment, found)


def find_integrations(
    session: Session,
    specified: Sequence[ResolvedSelector],
    infer: bool,
    environment: str | None = None,
) -> Involved:
    """The integrations the question is about (see the module docstring), sorted by names;
    with ``environment`` (a can-i-deploy to it), also the versions there of the other sides."""
    chosen: dict[tuple[int, int], Integration] = {}
    in_environment = None
    if infer or versions_meant(specified) == 1:
        pairs, in_environment = _pairs(session, specified, False, environment if infer else None)
        for consumer, provider, required in pairs:
            key = (consumer.id, provider.id)
            if key not in chosen or (required and not chosen[key].required):
                chosen[key] = Integration(
                    consumer.id, consumer.name, provider.id, provider.name, required
                )
    elif specified:
        names = {s.pacticipant_name for s in specified}
        pairs, _ = _pairs(session, specified, between=True)
        for consumer, provider, _required in pairs:
            chosen[(consumer.id, provider.id)] = Integration(
                consumer.id, consumer.name, provider.id, provider.name, consumer.name in names
            )
    integrations = sorted(chosen.values(), key=lambda i: (i.consumer_name, i.provider_name))
    return Involved(integrations, in_environment)


def infer_selectors(
    session: Session,
    specified: Sequence[ResolvedSelector],
    ignores: Sequence[ResolvedSelector],
    involved: Involved,
    options: MatrixOptions,
) -> list[ResolvedSelector]:
    """One selector per other pacticipant, for the versions at the question's destination."""
    specified_names = {s.pacticipant_name for s in specified}
    others: list[str] = []
    for integration in involved.integrations:
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
    return resolve_selectors(session, unresolved, INFERRED, ignores, involved.in_environment)
