"""What runs where, now and before: the environments pages' read models.

"What is in production?" is the question a release manager asks first; the Pact Broker answers
it one environment and one API call at a time. Here one page lists every environment with what
is deployed (and released, still supported) there now, and an environment's own page adds its
history: deployments that were replaced or undeployed and releases whose support ended. Each
read is a fixed number of set-based statements (environments, current deployments, current
releases, then the shown versions' branches and tags at once), however many environments or
applications there are.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, null, select
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    DeployedVersion,
    Environment,
    Pacticipant,
    ReleasedVersion,
)
from accord_broker.domain.integrations.overview import VersionLabel, version_labels
from accord_broker.errors import BrokerNotFoundError

HISTORY_SHOWN = 100
"""The newest ended deployments and releases an environment's page lists."""


@dataclass(frozen=True, slots=True)
class Residency:
    """A version in an environment: deployed (with its instance) or released, since, until."""

    pacticipant: str
    version: VersionLabel
    released: bool
    since: datetime
    until: datetime | None = None
    application_instance: str | None = None


@dataclass(frozen=True, slots=True)
class EnvironmentView:
    name: str
    display_name: str | None
    uuid: str
    production: bool
    current: list[Residency] = field(default_factory=list)
    history: list[Residency] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.display_name or self.name


def _residency_statement(*, released: bool, ended: bool) -> Select[Any]:
    """(environment id, pacticipant, version id, since, until, instance) rows, newest first."""
    until: Any
    instance: Any
    if released:
        record: Any = ReleasedVersion
        until, instance = ReleasedVersion.support_ended_at, null()
    else:
        record = DeployedVersion
        until, instance = DeployedVersion.undeployed_at, DeployedVersion.application_instance
    query = (
        select(
            record.environment_id,
            Pacticipant.name,
            record.version_id,
            record.created_at,
            until,
            instance,
        )
        .join(Pacticipant, Pacticipant.id == record.pacticipant_id)
        .order_by(record.created_at.desc(), record.id.desc())
    )
    return query.where(until.is_not(None) if ended else until.is_(None))


def _residencies(
    session: Session, query: Select[Any]
) -> list[tuple[int, str, int, datetime, datetime | None, str | None]]:
    return [
        (int(env), str(name), int(vid), since, until, inst)
        for env, name, vid, since, until, inst in session.execute(query).all()
    ]


def _views(
    session: Session,
    environments: list[Environment],
    current: list[tuple[int, str, int, datetime, datetime | None, str | None, bool]],
    history: list[tuple[int, str, int, datetime, datetime | None, str | None, bool]],
) -> list[EnvironmentView]:
    labels = version_labels(session, {row[2] for row in current + history})
    by_env: dict[int, tuple[list[Residency], list[Residency]]] = {
        e.id: ([], []) for e in environments
    }
    for rows, slot in ((current, 0), (history, 1)):
        for env_id, name, vid, since, until, instance, released in rows:
            if env_id in by_env and vid in labels:
                entry = Residency(name, labels[vid], released, since, until, instance)
                by_env[env_id][slot].append(entry)
    return [
        EnvironmentView(
            e.name,
            e.display_name,
            e.uuid,
            e.production,
            sorted(by_env[e.id][0], key=lambda r: (r.pacticipant.lower(), r.released)),
            by_env[e.id][1],
        )
        for e in environments
    ]


def _tagged(
    rows: list[tuple[int, str, int, datetime, datetime | None, str | None]], released: bool
) -> list[tuple[int, str, int, datetime, datetime | None, str | None, bool]]:
    return [(*row, released) for row in rows]


def load_environments(session: Session) -> list[EnvironmentView]:
    """Every environment (production first, then by name) with what is there now."""
    environments = list(
        session.scalars(
            select(Environment).order_by(Environment.production.desc(), Environment.name)
        )
    )
    if not environments:
        return []
    current = _tagged(
        _residencies(session, _residency_statement(released=False, ended=False)),
        False,
    ) + _tagged(
        _residencies(session, _residency_statement(released=True, ended=False)),
        True,
    )
    return _views(session, environments, current, [])


def load_environment(
    session: Session, name: str, pacticipant: str | None = None
) -> EnvironmentView:
    """One environment: what is there now and what was there before (newest first), only
    ``pacticipant``'s versions when given. Raises ``BrokerNotFoundError`` for an unknown name."""
    environment = session.scalar(select(Environment).where(Environment.name == name))
    if environment is None:
        raise BrokerNotFoundError(
            f"No environment named '{name}' found; the environments page lists them all"
        )
    rows: dict[tuple[bool, bool], list[Any]] = {}
    for released in (False, True):
        for ended in (False, True):
            query = _residency_statement(released=released, ended=ended).where(
                (ReleasedVersion if released else DeployedVersion).environment_id == environment.id
            )
            if pacticipant:
                query = query.where(Pacticipant.name == pacticipant)
            if ended:
                query = query.limit(HISTORY_SHOWN)
            rows[(released, ended)] = _tagged(_residencies(session, query), released)
    history = sorted(
        rows[(False, True)] + rows[(True, True)],
        key=lambda row: row[4] or row[3],
        reverse=True,
    )[:HISTORY_SHOWN]
    (view,) = _views(session, [environment], rows[(False, False)] + rows[(True, False)], history)
    return view


@dataclass(frozen=True, slots=True)
class Stay:
    """A version's time in one environment (``until`` is ``None`` while it is still there)."""

    environment: str
    released: bool
    since: datetime
    until: datetime | None = None
    application_instance: str | None = None


def version_stays(session: Session, version_ids: list[int]) -> dict[int, list[Stay]]:
    """Version id → every environment it is or was in (deployed or released), newest first:
    "for a version, where is it?" on a pacticipant's page."""
    if not version_ids:
        return {}
    found: dict[int, list[Stay]] = {vid: [] for vid in version_ids}
    for released, record in ((False, DeployedVersion), (True, ReleasedVersion)):
        until: Any = ReleasedVersion.support_ended_at if released else DeployedVersion.undeployed_at
        instance: Any = null() if released else DeployedVersion.application_instance
        query = (
            select(record.version_id, Environment.name, record.created_at, until, instance)
            .join(Environment, Environment.id == record.environment_id)
            .where(record.version_id.in_(version_ids))
        )
        for vid, env, since, ended, inst in session.execute(query).all():
            found[int(vid)].append(Stay(env, released, since, ended, inst))
    for entries in found.values():
        entries.sort(key=lambda r: r.since, reverse=True)
    return found
