"""The pacticipant as the API renders it: a frozen read model built inside the unit of work.

Adapters never see the stored row: the view carries what the HAL resource shows (its fields,
label names and newest version number), loaded here so rendering needs no session.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord_broker.db.models import Label, Pacticipant, Version
from accord_broker.domain.pacticipants import labels, pacticipants
from accord_broker.domain.pacticipants.bodies import NewPacticipantBody, PacticipantBody

_BATCH = 500
"""Pacticipants per IN list when building many views (well under every driver's limit)."""


@dataclass(frozen=True, slots=True)
class PacticipantView:
    """One pacticipant with its label names and its newest version's number (if any)."""

    name: str
    display_name: str | None
    repository_url: str | None
    repository_name: str | None
    repository_namespace: str | None
    main_branch: str | None
    created_at: datetime
    updated_at: datetime
    labels: tuple[str, ...]
    latest_version: str | None


def _view(row: Pacticipant, label_names: Iterable[str], latest: str | None) -> PacticipantView:
    return PacticipantView(
        name=row.name,
        display_name=row.display_name,
        repository_url=row.repository_url,
        repository_name=row.repository_name,
        repository_namespace=row.repository_namespace,
        main_branch=row.main_branch,
        created_at=row.created_at,
        updated_at=row.updated_at,
        labels=tuple(label_names),
        latest_version=latest,
    )


def view_of(session: Session, row: Pacticipant) -> PacticipantView:
    """The view of one stored pacticipant (two statements: newest version, labels)."""
    newest = session.scalar(
        select(Version.number)
        .where(Version.pacticipant_id == row.id)
        .order_by(Version.order.desc())
        .limit(1)
    )
    return _view(row, (label.name for label in labels.labels_of(session, row)), newest)


def views_of(session: Session, rows: Sequence[Pacticipant]) -> list[PacticipantView]:
    """Views of many pacticipants, in the order given: two statements per 500, not two each."""
    names: dict[int, list[str]] = {row.id: [] for row in rows}
    newest: dict[int, str] = {}
    ids = list(names)
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        for owner, name in session.execute(
            select(Label.pacticipant_id, Label.name)
            .where(Label.pacticipant_id.in_(chunk))
            .order_by(Label.name)
        ):
            names[owner].append(name)
        newest.update(_newest_numbers(session, chunk))
    return [_view(row, names[row.id], newest.get(row.id)) for row in rows]


def _newest_numbers(session: Session, ids: list[int]) -> dict[int, str]:
    """The newest version number of each pacticipant in ``ids`` (one statement).

    One index seek per pacticipant on ``(pacticipant_id, order)``, newest first, limit 1: a
    "``order`` equals the max" filter instead had SQLite scan every version (issue #20).
    """
    newest = (
        select(Version.number)
        .where(Version.pacticipant_id == Pacticipant.id)
        .order_by(Version.order.desc())
        .limit(1)
        .correlate(Pacticipant)
        .scalar_subquery()
    )
    rows = session.execute(select(Pacticipant.id, newest).where(Pacticipant.id.in_(ids)))
    return {owner: number for owner, number in rows if number is not None}


def pacticipant_view(session: Session, name: str) -> PacticipantView:
    """``GET /pacticipants/{name}``: the pacticipant called ``name``, or a 404."""
    return view_of(session, pacticipants.get_pacticipant(session, name))


def list_pacticipant_views(session: Session) -> list[PacticipantView]:
    """Every pacticipant, by name ignoring case."""
    return views_of(session, pacticipants.list_pacticipants(session))


def pacticipant_views_with_label(session: Session, label: str) -> list[PacticipantView]:
    """The pacticipants carrying ``label``, by name (none is an empty list, not a 404)."""
    return views_of(session, labels.pacticipants_with_label(session, label))


def create_pacticipant(session: Session, body: NewPacticipantBody) -> PacticipantView:
    """Create a pacticipant from a POST body (an existing one comes back unchanged)."""
    row, _ = pacticipants.create_pacticipant(session, body)
    return view_of(session, row)


def update_pacticipant(
    session: Session, name: str, body: PacticipantBody, *, replace: bool = False
) -> tuple[PacticipantView, bool]:
    """Merge (or with ``replace``, set) ``body``; ``True`` when the pacticipant was created."""
    row, created = pacticipants.update_pacticipant(session, name, body, replace=replace)
    return view_of(session, row), created
