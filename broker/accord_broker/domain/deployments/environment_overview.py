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
from functools import cache
from typing import Any

from sqlalchemy import CompoundSelect, Select, bindparam, literal, null, select, union_all
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    DeployedVersion,
    Environment,
    Pacticipant,
    ReleasedVersion,
)
from accord_broker.domain.integrations.overview import VersionLabel, version_labels
from accord_broker.errors import BrokerNotFoundError

HISTORY_SHOWN = 25
"""The ended deployments and releases on one page of an environment's history (newest first)."""
CURRENT_SHOWN = 50
"""What runs in an environment now, on one page of its own page (by application name)."""
CARD_SHOWN = 10
"""What runs in an environment now, on its card of the environments page (the card links to
the environment's page for the rest): 450 residents made that page 160 KB."""


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
    current_total: int = 0
    """Everything running there now; ``current`` is one page of it."""
    page: int = 1
    history_page: int = 1
    history_more: bool = False
    """Whether an older page of history exists."""

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


Row = tuple[int, str, int, datetime, datetime | None, str | None, bool]


def _views(
    session: Session,
    environments: list[Environment],
    current: list[Row],
    history: list[Row],
    shown: slice,
) -> list[EnvironmentView]:
    """The views, with ``shown`` of each environment's current residents (by application name)
    labelled with their branches and tags: only what the page shows is looked up."""
    by_env: dict[int, tuple[list[Row], list[Row]]] = {e.id: ([], []) for e in environments}
    for rows, slot in ((current, 0), (history, 1)):
        for row in rows:
            if row[0] in by_env:
                by_env[row[0]][slot].append(row)
    totals = {env_id: len(now) for env_id, (now, _) in by_env.items()}
    for now, _ in by_env.values():
        now.sort(key=lambda row: (row[1].lower(), row[6]))
        now[:] = now[shown]
    labels = version_labels(
        session, {row[2] for now, before in by_env.values() for row in now + before}
    )

    def residencies(rows: list[Row]) -> list[Residency]:
        return [
            Residency(name, labels[vid], released, since, until, instance)
            for _, name, vid, since, until, instance, released in rows
            if vid in labels
        ]

    return [
        EnvironmentView(
            e.name,
            e.display_name,
            e.uuid,
            e.production,
            residencies(by_env[e.id][0]),
            residencies(by_env[e.id][1]),
            current_total=totals[e.id],
        )
        for e in environments
    ]


def _tagged(
    rows: list[tuple[int, str, int, datetime, datetime | None, str | None]], released: bool
) -> list[Row]:
    return [(*row, released) for row in rows]


def load_environments(session: Session) -> list[EnvironmentView]:
    """Every environment (production first, then by name) with the first ``CARD_SHOWN`` of
    what is there now (by application name) and how many there are."""
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
    return _views(session, environments, current, [], slice(0, CARD_SHOWN))


def load_environment(
    session: Session,
    name: str,
    pacticipant: str | None = None,
    *,
    page: int = 1,
    history_page: int = 1,
) -> EnvironmentView:
    """One environment: a page of what is there now (by application name) and a page of what
    was there before (newest first), only ``pacticipant``'s versions when given. Raises
    ``BrokerNotFoundError`` for an unknown name."""
    environment = session.scalar(select(Environment).where(Environment.name == name))
    if environment is None:
        raise BrokerNotFoundError(
            f"No environment named '{name}' found; the environments page lists them all"
        )
    page, history_page = max(1, page), max(1, history_page)
    # the newest ``reach`` of each kind, merged: enough for the page and to know of one more
    reach = history_page * HISTORY_SHOWN + 1
    rows: dict[tuple[bool, bool], list[Row]] = {}
    for released in (False, True):
        for ended in (False, True):
            query = _residency_statement(released=released, ended=ended).where(
                (ReleasedVersion if released else DeployedVersion).environment_id == environment.id
            )
            if pacticipant:
                query = query.where(Pacticipant.name == pacticipant)
            if ended:
                query = query.limit(reach)
            rows[(released, ended)] = _tagged(_residencies(session, query), released)
    history = sorted(
        rows[(False, True)] + rows[(True, True)],
        key=lambda row: row[4] or row[3],
        reverse=True,
    )
    start = (history_page - 1) * HISTORY_SHOWN
    shown = slice((page - 1) * CURRENT_SHOWN, page * CURRENT_SHOWN)
    current = rows[(False, False)] + rows[(True, False)]
    (view,) = _views(session, [environment], current, history[start : start + HISTORY_SHOWN], shown)
    return EnvironmentView(
        view.name,
        view.display_name,
        view.uuid,
        view.production,
        view.current,
        view.history,
        current_total=view.current_total,
        page=page,
        history_page=history_page,
        history_more=len(history) > start + HISTORY_SHOWN,
    )


@dataclass(frozen=True, slots=True)
class Stay:
    """A version's time in one environment (``until`` is ``None`` while it is still there)."""

    environment: str
    released: bool
    since: datetime
    until: datetime | None = None
    application_instance: str | None = None


_VERSIONS: Any = bindparam("versions", expanding=True)


@cache
def _stays_statement() -> CompoundSelect[Any]:
    """Deployments (``released`` 0) then releases (1) of the versions, each in the order it
    was recorded: one statement, built once (bound: ``versions``). Two cost twice
    SQLAlchemy's per-statement Python, more than SQLite spends answering them."""
    parts = []
    for released, record in ((0, DeployedVersion), (1, ReleasedVersion)):
        until: Any = ReleasedVersion.support_ended_at if released else DeployedVersion.undeployed_at
        instance: Any = null() if released else DeployedVersion.application_instance
        parts.append(
            select(
                literal(released).label("released"),
                record.version_id.label("version_id"),
                Environment.name.label("environment"),
                record.created_at.label("since"),
                until.label("until"),
                instance.label("instance"),
                record.id.label("position"),
            )
            .join(Environment, Environment.id == record.environment_id)
            .where(record.version_id.in_(_VERSIONS))
        )
    return union_all(*parts).order_by("released", "position")


def version_stays(session: Session, version_ids: list[int]) -> dict[int, list[Stay]]:
    """Version id → every environment it is or was in (deployed or released), newest first:
    "for a version, where is it?" on a pacticipant's page."""
    if not version_ids:
        return {}
    found: dict[int, list[Stay]] = {vid: [] for vid in version_ids}
    rows = session.execute(_stays_statement(), {"versions": version_ids}).all()
    for released, vid, env, since, ended, inst, _ in rows:
        found[int(vid)].append(Stay(env, bool(released), since, ended, inst))
    for entries in found.values():
        entries.sort(key=lambda r: r.since, reverse=True)
    return found
