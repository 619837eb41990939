"""Pacticipants: the applications that take part in contracts, as consumers or providers."""

from collections.abc import Sequence

from sqlalchemy import BindParameter, ScalarSelect, String, bindparam, delete, func, select
from sqlalchemy.orm import Session

from accord_broker.db.models import Pacticipant
from accord_broker.db.types import utc_now
from accord_broker.db.upsert import insert_ignore
from accord_broker.domain.names import check_name, generate_display_name
from accord_broker.domain.pacticipants.bodies import (
    EDITABLE_FIELDS,
    NewPacticipantBody,
    PacticipantBody,
)
from accord_broker.errors import BrokerNotFoundError

_BY_NAME = select(Pacticipant).where(Pacticipant.name == bindparam("name"))
"""Built once: nearly every request starts with this lookup, and building and keying a
statement costs more than running it."""


PACTICIPANT_NAME: BindParameter[str] = bindparam("pacticipant_name", type_=String)
PACTICIPANT_ID_BY_NAME: ScalarSelect[int] = (
    select(Pacticipant.id).where(Pacticipant.name == PACTICIPANT_NAME).scalar_subquery()
)
"""The id of the pacticipant called ``PACTICIPANT_NAME``, found inside the statement that
needs it: one round trip fewer than looking it up first (for-verification's statement)."""


def find_pacticipant(session: Session, name: str) -> Pacticipant | None:
    return session.scalar(_BY_NAME, {"name": name})


def get_pacticipant(session: Session, name: str, role: str = "pacticipant") -> Pacticipant:
    """The pacticipant called ``name``, or a 404 naming the ``role`` it was looked up as."""
    found = find_pacticipant(session, name)
    if found is None:
        raise BrokerNotFoundError(f"No {role} with name '{name}' found")
    return found


_BY_NAMES = select(Pacticipant).where(Pacticipant.name.in_(bindparam("names", expanding=True)))


def find_pacticipants(session: Session, *names: str) -> dict[str, Pacticipant]:
    """The pacticipants called ``names`` that exist, by name, in one statement: a pair's
    provider and consumer cost one round trip, not two (about 0.3 ms each on PostgreSQL,
    issue #20)."""
    wanted = sorted(set(names))
    return {p.name: p for p in session.scalars(_BY_NAMES, {"names": wanted})}


def get_pacticipants(session: Session, *wanted: tuple[str, str]) -> list[Pacticipant]:
    """The pacticipants called by each ``(name, role)`` of ``wanted``, in one statement, or a
    404 naming the first one missing in the order asked, as looking each up in turn did."""
    found = find_pacticipants(session, *(name for name, _role in wanted))
    pacticipants = []
    for name, role in wanted:
        pacticipant = found.get(name)
        if pacticipant is None:
            raise BrokerNotFoundError(f"No {role} with name '{name}' found")
        pacticipants.append(pacticipant)
    return pacticipants


def find_or_create_pacticipant(session: Session, name: str) -> Pacticipant:
    """The pacticipant called ``name``, created (with a derived display name) if it is new."""
    found = find_pacticipant(session, name)
    if found is not None:
        return found
    check_name(name, "name")
    now = utc_now()
    insert_ignore(
        session,
        Pacticipant,
        {
            "name": name,
            "display_name": generate_display_name(name),
            "created_at": now,
            "updated_at": now,
        },
        ["name"],
    )
    created = find_pacticipant(session, name)
    assert created is not None, "a pacticipant inserted in this transaction is visible to it"
    return created


def list_pacticipants(session: Session) -> Sequence[Pacticipant]:
    return session.scalars(select(Pacticipant).order_by(func.lower(Pacticipant.name))).all()


def _apply_fields(pacticipant: Pacticipant, body: PacticipantBody, fields: set[str]) -> None:
    """Set ``fields`` of the checked ``body`` (model attributes are the column names)."""
    for field in fields:
        setattr(pacticipant, field, getattr(body, field))
    if not pacticipant.display_name:
        pacticipant.display_name = generate_display_name(pacticipant.name)
    pacticipant.updated_at = utc_now()


def create_pacticipant(session: Session, body: NewPacticipantBody) -> tuple[Pacticipant, bool]:
    """Create a pacticipant from a POST body; an existing one is returned unchanged (``False``)."""
    existing = find_pacticipant(session, body.name)
    if existing is not None:
        return existing, False
    pacticipant = find_or_create_pacticipant(session, body.name)
    _apply_fields(pacticipant, body, body.sent())
    return pacticipant, True


def update_pacticipant(
    session: Session, name: str, body: PacticipantBody, *, replace: bool = False
) -> tuple[Pacticipant, bool]:
    """Merge ``body`` into the pacticipant (created if missing); ``True`` when it was created.

    With ``replace`` (PUT), fields absent from the body are cleared.
    """
    created = find_pacticipant(session, name) is None
    pacticipant = find_or_create_pacticipant(session, name)
    _apply_fields(pacticipant, body, set(EDITABLE_FIELDS) if replace else body.sent())
    return pacticipant, created


def delete_pacticipant(session: Session, name: str) -> None:
    """Delete the pacticipant and, through the foreign keys' cascades, all it owns."""
    pacticipant = get_pacticipant(session, name)
    session.execute(delete(Pacticipant).where(Pacticipant.id == pacticipant.id))
