"""Looking up the pacticipants (and versions) a matrix question names, once per answer.

One can-i-deploy asks about the same few pacticipants three times (validation, the specified
selectors, the selectors inferred from the integrations) and about the version it names twice
(validation, resolution). On PostgreSQL every statement is a network round trip plus the
driver's and SQLAlchemy's own cost (~0.15 ms together), more than the lookups themselves, so
validation reads the pacticipants, whether the environment exists and the versions named by
number in one statement, and resolution reuses what it found.

What was found is remembered in ``session.info`` for the session's lifetime (a read session
lives for one request). Only what exists is remembered: a write session may create a
pacticipant or version later, and a miss is then looked up again. The versions currently in an
environment are read once per environment for every selector naming it
(``prefetch_environment_versions``): the inferred selectors of a can-i-deploy all do.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, null, select, union
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    DeployedVersion,
    Environment,
    Pacticipant,
    ReleasedVersion,
    Tag,
    Version,
)
from accord_broker.domain.matrix.query import UnresolvedSelector

_KNOWN_PACTICIPANTS = "accord.matrix.pacticipants_by_name"
_KNOWN_VERSIONS = "accord.matrix.versions_by_number"


@dataclass(frozen=True, slots=True)
class EnvironmentVersions:
    """The versions currently in one environment (deployed or released, newest first) of the
    pacticipants on the other side of the integrations: what a can-i-deploy to that
    environment infers, read in the integrations' statement."""

    environment: str
    versions: dict[int, list[tuple[int, str]]]

    def has(self, environment: str, pacticipant_id: int) -> bool:
        return environment == self.environment and pacticipant_id in self.versions


@dataclass(frozen=True, slots=True)
class KnownPacticipant:
    """What a matrix answer needs of a pacticipant, read as plain columns: building ORM
    objects for them cost more than the lookups."""

    id: int
    name: str
    main_branch: str | None


PacticipantRef = Pacticipant | KnownPacticipant
"""A pacticipant as a stored object (``get_pacticipant``) or as the matrix read it."""

PACTICIPANT_COLUMNS = (Pacticipant.id, Pacticipant.name, Pacticipant.main_branch)


def known_pacticipant(row: Sequence[Any]) -> KnownPacticipant:
    """The pacticipant in the first three columns of ``row`` (``PACTICIPANT_COLUMNS``)."""
    return KnownPacticipant(row[0], row[1], row[2])


def pacticipants_by_name(session: Session, names: Iterable[str]) -> dict[str, PacticipantRef]:
    """The pacticipants among ``names`` that exist (looked up only if not remembered)."""
    known = _known_pacticipants(session)
    wanted = set(names)
    missing = sorted(wanted - known.keys())
    if missing:
        rows = session.connection().execute(_pacticipants_statement(), {"names": missing})
        remember_pacticipants(session, (known_pacticipant(row) for row in rows))
    return {name: known[name] for name in wanted if name in known}


def remember_pacticipants(session: Session, pacticipants: Iterable[PacticipantRef]) -> None:
    """Remember pacticipants another statement brought back (the integrations' both sides)."""
    known = _known_pacticipants(session)
    for pacticipant in pacticipants:
        known[pacticipant.name] = pacticipant


def number_only(selector: UnresolvedSelector) -> bool:
    """The selector names one version by its number and nothing else (can-i-deploy's shape)."""
    return selector.version is not None and selector == UnresolvedSelector(
        pacticipant=selector.pacticipant, version=selector.version
    )


def known_version(session: Session, pacticipant_id: int, number: str) -> tuple[int, str] | None:
    """``(id, number)`` of the version, if ``pacticipants_for_question`` found it."""
    found = _known_versions(session).get((pacticipant_id, number))
    return None if found is None else (found, number)


def pacticipants_for_question(
    session: Session, selectors: Sequence[UnresolvedSelector], environment: str | None
) -> tuple[dict[str, PacticipantRef], bool]:
    """The named pacticipants that exist, and whether ``environment`` exists (``True`` when
    none is given), in one statement that also remembers the versions named by number."""
    names = sorted({s.pacticipant for s in selectors if s.pacticipant is not None})
    numbers = sorted({s.version for s in selectors if number_only(s) and s.version is not None})
    if not names:
        return {}, environment is None or _environment_exists(session, environment)
    known = _known_pacticipants(session)
    if environment is None and not numbers and all(name in known for name in names):
        # a can-i-deploy shortcut already found them (``pacticipant_named``)
        return {name: known[name] for name in names}, True
    statement = _question_statement(environment is not None, bool(numbers))
    params = {"names": names, "environment": environment, "numbers": numbers}
    rows = session.connection().execute(statement, params).all()
    found: dict[str, PacticipantRef] = {row[1]: known_pacticipant(row) for row in rows}
    remember_pacticipants(session, found.values())
    versions = _known_versions(session)
    for pacticipant_id, _name, _main_branch, _environment_id, version_id, number in rows:
        if version_id is not None:
            versions[(pacticipant_id, number)] = version_id
    if environment is None:
        return found, True
    if rows:
        return found, rows[0][3] is not None
    return found, _environment_exists(session, environment)


def _environment_exists(session: Session, environment: str) -> bool:
    return session.scalar(_environment_id(), {"environment": environment}) is not None


@cache
def _environment_id() -> Select[int]:
    return select(Environment.id).where(Environment.name == bindparam("environment"))


@cache
def _question_statement(environment: bool, numbers: bool) -> Select[Any]:
    """Each named pacticipant with the environment's id (or NULL) and, per version named by
    number, that version (one row per version found; NULLs when there is none)."""
    environment_id: Any = _environment_id().scalar_subquery() if environment else null()
    if not numbers:
        return select(*PACTICIPANT_COLUMNS, environment_id, null(), null()).where(
            Pacticipant.name.in_(bindparam("names", expanding=True))
        )
    named = and_(
        Version.pacticipant_id == Pacticipant.id,
        Version.number.in_(bindparam("numbers", expanding=True)),
    )
    return (
        select(*PACTICIPANT_COLUMNS, environment_id, Version.id, Version.number)
        .outerjoin(Version, named)
        .where(Pacticipant.name.in_(bindparam("names", expanding=True)))
    )


def _known_pacticipants(session: Session) -> dict[str, PacticipantRef]:
    known: dict[str, PacticipantRef] = session.info.setdefault(_KNOWN_PACTICIPANTS, {})
    return known


def _known_versions(session: Session) -> dict[tuple[int, str], int]:
    known: dict[tuple[int, str], int] = session.info.setdefault(_KNOWN_VERSIONS, {})
    return known


@cache
def _pacticipants_statement() -> Select[int, str, str | None]:
    return select(*PACTICIPANT_COLUMNS).where(
        Pacticipant.name.in_(bindparam("names", expanding=True))
    )


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


def prefetch_environment_versions(
    session: Session,
    selectors: Sequence[UnresolvedSelector],
    pacticipants: dict[str, PacticipantRef],
    known: EnvironmentVersions | None,
) -> dict[UnresolvedSelector, list[tuple[int, str]]]:
    """The versions of every "currently in environment E" selector, in one query per E (the
    inferred selectors of a can-i-deploy to E are all of this kind), unless ``known``."""
    by_environment: dict[str, list[UnresolvedSelector]] = {}
    found: dict[UnresolvedSelector, list[tuple[int, str]]] = {}
    for selector in selectors:
        pacticipant = pacticipants.get(selector.pacticipant or "")
        if not _environment_only(selector) or pacticipant is None:
            continue
        assert selector.environment is not None
        if known is not None and known.has(selector.environment, pacticipant.id):
            found[selector] = known.versions[pacticipant.id]
        else:
            by_environment.setdefault(selector.environment, []).append(selector)
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


def _latest_only(selector: UnresolvedSelector) -> bool:
    """ "The latest version", or "the latest version with tag T", and nothing else."""
    return selector.latest and selector == UnresolvedSelector(
        pacticipant=selector.pacticipant,
        latest=True,
        tag=selector.tag,
        latest_given=selector.latest_given,
    )


@cache
def _latest_statement(tagged: bool) -> Select[int, int, str]:
    """Each listed pacticipant's newest version (with the tag ``tag`` if ``tagged``): per
    pacticipant, one backward step of the index ``(pacticipant_id, order)``, or of
    ``(pacticipant_id, name, version_order)`` on ``tags`` (what one such selector finds)."""
    ids: Any = bindparam("pacticipant_ids", expanding=True)
    if not tagged:
        newest = (
            select(Version.id)
            .where(Version.pacticipant_id == Pacticipant.id)
            .order_by(Version.order.desc())
            .limit(1)
            .correlate(Pacticipant)
            .scalar_subquery()
        )
        return (
            select(Version.pacticipant_id, Version.id, Version.number)
            .select_from(Pacticipant)
            .join(Version, Version.id == newest)
            .where(Pacticipant.id.in_(ids))
        )
    newest_tag = (
        select(Tag.id)
        .where(Tag.pacticipant_id == Pacticipant.id, Tag.name == bindparam("tag"))
        .order_by(Tag.version_order.desc())
        .limit(1)
        .correlate(Pacticipant)
        .scalar_subquery()
    )
    return (
        select(Tag.pacticipant_id, Version.id, Version.number)
        .select_from(Pacticipant)
        .join(Tag, Tag.id == newest_tag)
        .join(Version, Version.id == Tag.version_id)
        .where(Pacticipant.id.in_(ids))
    )


def prefetch_latest_versions(
    session: Session,
    selectors: Sequence[UnresolvedSelector],
    pacticipants: dict[str, PacticipantRef],
) -> dict[UnresolvedSelector, list[tuple[int, str]]]:
    """The version of every "latest" and "latest with tag T" selector, in one query per tag
    (or none) when two or more selectors share it: the inferred selectors of a can-i-deploy
    ``--to T`` or ``--latest`` are one per other pacticipant, each looked up on its own before
    (issue #20: a round trip each)."""
    by_tag: dict[str | None, list[UnresolvedSelector]] = {}
    for selector in selectors:
        if _latest_only(selector) and (selector.pacticipant or "") in pacticipants:
            by_tag.setdefault(selector.tag, []).append(selector)
    found: dict[UnresolvedSelector, list[tuple[int, str]]] = {}
    for tag, group in by_tag.items():
        if len(group) < 2:
            continue
        ids = sorted({pacticipants[s.pacticipant or ""].id for s in group})
        statement = _latest_statement(tag is not None)
        rows = session.execute(statement, {"tag": tag, "pacticipant_ids": ids})
        newest = {owner: (version_id, number) for owner, version_id, number in rows}
        for selector in group:
            version = newest.get(pacticipants[selector.pacticipant or ""].id)
            found[selector] = [version] if version is not None else []
    return found
