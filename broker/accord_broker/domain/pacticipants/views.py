"""The pacticipant as the API renders it: a frozen read model built inside the unit of work.

Adapters never see the stored row: the view carries what the HAL resource shows (its fields,
label names and newest version number), loaded here so rendering needs no session.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, String, bindparam, func, select
from sqlalchemy.orm import Session

from accord_broker.db.models import Label, Pacticipant, Version
from accord_broker.domain.pacticipants import labels, pacticipants
from accord_broker.domain.pacticipants.bodies import NewPacticipantBody, PacticipantBody
from accord_broker.errors import BrokerNotFoundError


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


_NEWEST_NUMBER = (
    select(Version.number)
    .where(Version.pacticipant_id == Pacticipant.id)
    .order_by(Version.order.desc())
    .limit(1)
    .correlate(Pacticipant)
    .scalar_subquery()
)
"""A pacticipant's newest version number: one index seek on ``(pacticipant_id, order)``,
newest first, limit 1 (a "``order`` equals the max" filter instead had SQLite scan every
version, issue #20)."""
_VIEW_COLUMNS = (
    Pacticipant.id,
    Pacticipant.name,
    Pacticipant.display_name,
    Pacticipant.repository_url,
    Pacticipant.repository_name,
    Pacticipant.repository_namespace,
    Pacticipant.main_branch,
    Pacticipant.created_at,
    Pacticipant.updated_at,
    _NEWEST_NUMBER,
)
_LABEL: BindParameter[str] = bindparam("label", type_=String)
_ALL = select(*_VIEW_COLUMNS).order_by(func.lower(Pacticipant.name))
_ALL_LABELS = select(Label.pacticipant_id, Label.name).order_by(Label.name)
_WITH_LABEL = (
    select(*_VIEW_COLUMNS)
    .join(Label, Label.pacticipant_id == Pacticipant.id)
    .where(Label.name == _LABEL)
    .order_by(func.lower(Pacticipant.name))
)
_LABELS_OF_LABELLED = (
    select(Label.pacticipant_id, Label.name)
    .where(Label.pacticipant_id.in_(select(Label.pacticipant_id).where(Label.name == _LABEL)))
    .order_by(Label.name)
)
_ONE = select(*_VIEW_COLUMNS).where(Pacticipant.name == bindparam("name", type_=String))
_LABELS_OF_ONE = (
    select(Label.pacticipant_id, Label.name)
    .where(Label.pacticipant_id == bindparam("id"))
    .order_by(Label.name)
)


def _row_views(rows: Sequence[Any], labels: Any) -> list[PacticipantView]:
    """Views of pacticipant rows (``_VIEW_COLUMNS``) given their labels' rows, in order."""
    names: dict[int, list[str]] = {row[0]: [] for row in rows}
    for owner, name in labels:
        found = names.get(owner)
        if found is not None:
            found.append(name)
    return [
        PacticipantView(
            name=name,
            display_name=display_name,
            repository_url=repository_url,
            repository_name=repository_name,
            repository_namespace=repository_namespace,
            main_branch=main_branch,
            created_at=created_at,
            updated_at=updated_at,
            labels=tuple(names[owner]),
            latest_version=newest,
        )
        for (
            owner,
            name,
            display_name,
            repository_url,
            repository_name,
            repository_namespace,
            main_branch,
            created_at,
            updated_at,
            newest,
        ) in rows
    ]


def pacticipant_view(session: Session, name: str) -> PacticipantView:
    """``GET /pacticipants/{name}``: the pacticipant called ``name``, or a 404 (two
    statements: the pacticipant with its newest version's number, its labels)."""
    rows = session.execute(_ONE, {"name": name}).all()
    if not rows:
        raise BrokerNotFoundError(f"No pacticipant with name '{name}' found")
    return _row_views(rows, session.execute(_LABELS_OF_ONE, {"id": rows[0][0]}))[0]


def list_pacticipant_views(session: Session) -> list[PacticipantView]:
    """Every pacticipant, by name ignoring case: two statements of plain rows (the pacticipants
    with their newest version's number, every label), whatever the number of pacticipants."""
    rows = session.execute(_ALL).all()
    return _row_views(rows, session.execute(_ALL_LABELS))


def pacticipant_views_with_label(session: Session, label: str) -> list[PacticipantView]:
    """The pacticipants carrying ``label``, by name (none is an empty list, not a 404): two
    statements, as :func:`list_pacticipant_views`."""
    params = {"label": label}
    rows = session.execute(_WITH_LABEL, params).all()
    if not rows:
        return []
    return _row_views(rows, session.execute(_LABELS_OF_LABELLED, params))


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
