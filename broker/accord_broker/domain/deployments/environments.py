"""Environments: the places versions are deployed or released to (``production``, ``test``…).

An environment is named once (``name`` is unique and has no spaces, so it can go on a command
line) and shown with a ``displayName``, which is derived from the name when none is given: the
``pact broker list-environments`` table panics on a null display name (clients.md trap 9).
"""

import uuid as uuid_module
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from accord_broker.db.models import Environment
from accord_broker.db.types import utc_now
from accord_broker.domain.deployments.bodies import EnvironmentBody
from accord_broker.domain.names import check_name, generate_display_name
from accord_broker.errors import BrokerInputError, BrokerNotFoundError


@dataclass(frozen=True, slots=True)
class EnvironmentFields:
    """A checked environment body (POST or PUT)."""

    name: str
    display_name: str
    production: bool
    contacts: list[dict[str, Any]] | None


@dataclass(frozen=True, slots=True)
class EnvironmentView:
    """An environment as the API and the UI show it (never the stored row itself)."""

    uuid: str
    name: str
    display_name: str | None
    production: bool
    contacts: tuple[dict[str, Any], ...] | None
    created_at: datetime
    updated_at: datetime


_VIEW_COLUMNS = (
    Environment.uuid,
    Environment.name,
    Environment.display_name,
    Environment.production,
    Environment.contacts,
    Environment.created_at,
    Environment.updated_at,
)
"""What a view shows, read as plain columns (no ORM object) where only the view is wanted."""
_BY_UUID = select(*_VIEW_COLUMNS).where(Environment.uuid == bindparam("uuid"))
_ALL = select(*_VIEW_COLUMNS).order_by(Environment.name)
_NAMED = _ALL.where(Environment.name == bindparam("name"))


def _view_of_row(row: Any) -> EnvironmentView:
    uuid, name, display_name, production, contacts, created_at, updated_at = row
    return EnvironmentView(
        uuid=uuid,
        name=name,
        display_name=display_name,
        production=production,
        contacts=None if contacts is None else tuple(dict(c) for c in contacts),
        created_at=created_at,
        updated_at=updated_at,
    )


def view_of(environment: Environment) -> EnvironmentView:
    """The read model of a stored environment (no statement: every field is on the row)."""
    contacts = environment.contacts
    return EnvironmentView(
        uuid=environment.uuid,
        name=environment.name,
        display_name=environment.display_name,
        production=environment.production,
        contacts=None if contacts is None else tuple(dict(c) for c in contacts),
        created_at=environment.created_at,
        updated_at=environment.updated_at,
    )


def environment_fields(body: EnvironmentBody) -> EnvironmentFields:
    """What a checked environment body stores: the display name derived when none is given."""
    shown = body.display_name.strip() if body.display_name else ""
    return EnvironmentFields(
        name=body.name,
        display_name=shown or generate_display_name(body.name),
        production=body.production,
        contacts=None if body.contacts is None else [c.stored() for c in body.contacts],
    )


def find_environment_by_name(session: Session, name: str) -> Environment | None:
    return session.scalar(select(Environment).where(Environment.name == name))


def get_environment_by_name(session: Session, name: str) -> Environment:
    found = find_environment_by_name(session, name)
    if found is None:
        raise BrokerNotFoundError(
            f"Environment with name '{name}' does not exist; create it with "
            "`pact broker create-environment` or POST /environments"
        )
    return found


def get_environment(session: Session, uuid: str) -> Environment:
    found = session.scalar(select(Environment).where(Environment.uuid == uuid))
    if found is None:
        raise BrokerNotFoundError(f"No environment with uuid '{uuid}' found")
    return found


def environment_view(session: Session, uuid: str) -> EnvironmentView:
    """``GET /environments/{uuid}``: the environment, or a 404 (read as a row, no entity)."""
    found = session.execute(_BY_UUID, {"uuid": uuid}).first()
    if found is None:
        raise BrokerNotFoundError(f"No environment with uuid '{uuid}' found")
    return _view_of_row(found)


def list_environments(session: Session, name: str | None = None) -> list[EnvironmentView]:
    """Every environment by name (only the one called ``name`` when given)."""
    if name is None:
        return [_view_of_row(row) for row in session.execute(_ALL)]
    return [_view_of_row(row) for row in session.execute(_NAMED, {"name": name})]


def _check_unique(session: Session, name: str, own_uuid: str | None) -> None:
    existing = find_environment_by_name(session, name)
    if existing is not None and existing.uuid != own_uuid:
        message = f"name '{name}' is already used by an existing environment."
        raise BrokerInputError(message, errors={"name": [message]})


def create_environment(session: Session, fields: EnvironmentFields) -> EnvironmentView:
    """A new environment with a server-generated uuid (a uuid in the body is ignored)."""
    check_name(fields.name, "name")
    _check_unique(session, fields.name, None)
    now = utc_now()
    environment = Environment(
        uuid=str(uuid_module.uuid4()),
        name=fields.name,
        display_name=fields.display_name,
        production=fields.production,
        contacts=fields.contacts,
        created_at=now,
        updated_at=now,
    )
    session.add(environment)
    session.flush()
    return view_of(environment)


def update_environment(session: Session, uuid: str, fields: EnvironmentFields) -> EnvironmentView:
    """Replace an existing environment's fields (PUT never creates)."""
    environment = get_environment(session, uuid)
    _check_unique(session, fields.name, uuid)
    environment.name = fields.name
    environment.display_name = fields.display_name
    environment.production = fields.production
    environment.contacts = fields.contacts
    environment.updated_at = utc_now()
    session.flush()
    return view_of(environment)


def delete_environment(session: Session, uuid: str) -> None:
    """Delete the environment and (by cascade) every deployment and release recorded to it."""
    environment = get_environment(session, uuid)
    session.execute(delete(Environment).where(Environment.id == environment.id))
