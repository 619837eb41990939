"""What runs where, now and before: the environments pages' read models.

"What is in production?" is the question a release manager asks first; the Pact Broker answers
it one environment and one API call at a time. Here one page lists every environment with what
is deployed (and released, still supported) there now, and an environment's own page adds its
history: deployments that were replaced or undeployed and releases whose support ended.
However many environments or applications there are, each page is two statements: the
environments (or the one) with the residents shown, ranked by name in the database by
``resident_order`` so that only those are read (and for an environment's page, its newest
history), then the shown versions' numbers, branches and tags at once.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy.orm import Session

from accord_broker.db.models import (
    Environment,
)
from accord_broker.domain.deployments.resident_order import (
    ENDED_DEPLOYMENTS,
    ENDED_RELEASES,
    NOW,
    environment_cards,
    environment_residents,
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


Row = tuple[int, str, int, datetime, datetime | None, str | None, bool]
"""A residency as read (the statements run on the session's connection, Core: plain rows,
without the ORM's statement handling, a tenth of the page's domain time)."""


class _Environment(NamedTuple):
    """The environment's facts a view shows (an ``Environment`` record has them too)."""

    id: int
    name: str
    display_name: str | None
    uuid: str
    production: bool


def _views(
    session: Session,
    environments: Sequence[_Environment | Environment],
    current: list[Row],
    history: list[Row],
    shown: slice,
    *,
    totals: dict[int, int],
) -> list[EnvironmentView]:
    """The views, with ``shown`` of each environment's current residents (by application name)
    labelled with their branches and tags: only what the page shows is looked up. ``totals``
    counts each environment's residents (``current`` may not be all of them)."""
    by_env: dict[int, tuple[list[Row], list[Row]]] = {e.id: ([], []) for e in environments}
    for rows, slot in ((current, 0), (history, 1)):
        for row in rows:
            if row[0] in by_env:
                by_env[row[0]][slot].append(row)
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
            current_total=totals.get(e.id, 0),
        )
        for e in environments
    ]


def load_environments(session: Session) -> list[EnvironmentView]:
    """Every environment (production first, then by name) with the first ``CARD_SHOWN`` of
    what is there now (by application name) and how many there are: two statements, the
    residents ranked in the database (see ``resident_order``) so only those shown are read,
    then their versions' labels."""
    environments: list[_Environment] = []
    current: list[Row] = []
    totals: dict[int, int] = {}
    params = {"from_rank": 1, "to_rank": CARD_SHOWN}
    for row in session.connection().execute(environment_cards(), params).all():
        env_id, name, display_name, uuid, production, total, resident = row[:7]
        if not environments or environments[-1].id != env_id:
            environments.append(_Environment(env_id, name, display_name, uuid, bool(production)))
            totals[env_id] = int(total)
        if resident is not None:  # an environment with nothing in it has one row, of nulls
            current.append((env_id, resident, row[7], row[8], None, row[9], bool(row[10])))
    return _views(session, environments, current, [], slice(0, CARD_SHOWN), totals=totals)


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
    page, history_page = max(1, page), max(1, history_page)
    # the newest ``reach`` of each kind, merged: enough for the page and to know of one more
    reach = history_page * HISTORY_SHOWN + 1
    params = {
        "environment": name,
        "pacticipant": pacticipant,
        "from_rank": (page - 1) * CURRENT_SHOWN + 1,
        "to_rank": page * CURRENT_SHOWN,
        "reach": reach,
    }
    statement = environment_residents(one_pacticipant=bool(pacticipant))
    found = session.connection().execute(statement, params).all()
    if not found:
        raise BrokerNotFoundError(
            f"No environment named '{name}' found; the environments page lists them all"
        )
    env_id, env_name, display_name, uuid, production, total = found[0][:6]
    environment = _Environment(env_id, env_name, display_name, uuid, bool(production))
    rows: dict[int, list[Row]] = {NOW: [], ENDED_DEPLOYMENTS: [], ENDED_RELEASES: []}
    for row in found:
        part, resident, released, vid, since, until, instance, _ = row[6:]
        if part is not None:
            rows[part].append((env_id, resident, vid, since, until, instance, bool(released)))
    history = sorted(
        rows[ENDED_DEPLOYMENTS] + rows[ENDED_RELEASES],
        key=lambda row: row[4] or row[3],
        reverse=True,
    )
    start = (history_page - 1) * HISTORY_SHOWN
    # the database sent the page's ranks only, or (names only Python orders) every resident
    every = len(rows[NOW]) == total
    shown = slice((page - 1) * CURRENT_SHOWN, page * CURRENT_SHOWN) if every else slice(None)
    (view,) = _views(
        session,
        [environment],
        rows[NOW],
        history[start : start + HISTORY_SHOWN],
        shown,
        totals={env_id: int(total)},
    )
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
