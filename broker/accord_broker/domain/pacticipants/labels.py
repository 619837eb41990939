"""Labels: free-form names a team puts on pacticipants (a team, a domain, a tier).

Webhooks can target every pacticipant with a label, the UI filters by them, and the Pact
Broker's ``/pacticipants/label/{label}`` lists who carries one. A label belongs to one
pacticipant; the same name on two pacticipants is two rows (``labels`` is unique on the pair).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from accord_broker.db.models import Label, Pacticipant
from accord_broker.db.types import utc_now
from accord_broker.db.upsert import insert_ignore
from accord_broker.domain.names import check_name
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant
from accord_broker.errors import BrokerNotFoundError


@dataclass(frozen=True, slots=True)
class PacticipantLabel:
    """One label on one pacticipant, as the API renders it."""

    name: str
    pacticipant: str
    created_at: datetime


def _label_row(session: Session, pacticipant: Pacticipant, name: str) -> Label | None:
    return session.scalar(
        select(Label).where(Label.pacticipant_id == pacticipant.id, Label.name == name)
    )


def _read_model(label: Label, pacticipant: Pacticipant) -> PacticipantLabel:
    return PacticipantLabel(label.name, pacticipant.name, label.created_at)


def get_label(session: Session, pacticipant_name: str, name: str) -> PacticipantLabel:
    """The label ``name`` of the pacticipant, or a 404 saying which one is missing."""
    pacticipant = get_pacticipant(session, pacticipant_name)
    found = _label_row(session, pacticipant, name)
    if found is None:
        raise BrokerNotFoundError(
            f"No label '{name}' on pacticipant '{pacticipant_name}' found "
            f"(add it with PUT /pacticipants/{pacticipant_name}/labels/{name})"
        )
    return _read_model(found, pacticipant)


def add_label(session: Session, pacticipant_name: str, name: str) -> tuple[PacticipantLabel, bool]:
    """Put label ``name`` on the pacticipant; ``True`` when it was not there before.

    The pacticipant must exist (the Pact Broker answers 404 otherwise); adding a label twice
    is harmless, so pipelines can label on every run."""
    pacticipant = get_pacticipant(session, pacticipant_name)
    check_name(name, "label")
    existing = _label_row(session, pacticipant, name)
    if existing is not None:
        return _read_model(existing, pacticipant), False
    insert_ignore(
        session,
        Label,
        {"pacticipant_id": pacticipant.id, "name": name, "created_at": utc_now()},
        ["pacticipant_id", "name"],
    )
    created = _label_row(session, pacticipant, name)
    assert created is not None, "a label inserted in this transaction is visible to it"
    return _read_model(created, pacticipant), True


def remove_label(session: Session, pacticipant_name: str, name: str) -> None:
    """Take label ``name`` off the pacticipant (404 when it does not carry it)."""
    get_label(session, pacticipant_name, name)
    pacticipant = get_pacticipant(session, pacticipant_name)
    session.execute(delete(Label).where(Label.pacticipant_id == pacticipant.id, Label.name == name))


def labels_of(session: Session, pacticipant: Pacticipant) -> list[PacticipantLabel]:
    """The pacticipant's labels by name (embedded in its HAL resource and shown on its page)."""
    rows = session.scalars(
        select(Label).where(Label.pacticipant_id == pacticipant.id).order_by(Label.name)
    )
    return [_read_model(row, pacticipant) for row in rows]


def labels_by_pacticipant(session: Session, names: Iterable[str]) -> dict[str, list[str]]:
    """Label names per pacticipant name, for many at once (one query for a whole page)."""
    wanted = list(set(names))
    found: dict[str, list[str]] = defaultdict(list)
    if not wanted:
        return found
    rows = session.execute(
        select(Pacticipant.name, Label.name)
        .join(Label, Label.pacticipant_id == Pacticipant.id)
        .where(Pacticipant.name.in_(wanted))
        .order_by(Label.name)
    )
    for pacticipant, label in rows:
        found[pacticipant].append(label)
    return found


def pacticipants_with_label(session: Session, name: str) -> Sequence[Pacticipant]:
    """The pacticipants carrying label ``name``, by name (none is an empty list, not a 404)."""
    return session.scalars(
        select(Pacticipant)
        .join(Label, Label.pacticipant_id == Pacticipant.id)
        .where(Label.name == name)
        .order_by(func.lower(Pacticipant.name))
    ).all()


def all_label_names(session: Session) -> list[str]:
    """Every label name in use, once each (``GET /labels`` and the UI's filter)."""
    return list(session.scalars(select(Label.name).distinct().order_by(Label.name)))
