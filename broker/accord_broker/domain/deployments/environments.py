"""Environments: the places versions are deployed or released to (``production``, ``test``…).

An environment is named once (``name`` is unique and has no spaces, so it can go on a command
line) and shown with a ``displayName``, which is derived from the name when none is given: the
``pact broker list-environments`` table panics on a null display name (clients.md trap 9).
"""

import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from accord_broker.db.models import Environment
from accord_broker.db.types import utc_now
from accord_broker.domain.names import check_name, generate_display_name, name_problem
from accord_broker.errors import BrokerInputError, BrokerNotFoundError


@dataclass(frozen=True, slots=True)
class EnvironmentFields:
    """A checked environment body (POST or PUT)."""

    name: str
    display_name: str
    production: bool
    contacts: list[dict[str, Any]] | None


def read_environment_fields(body: dict[str, Any]) -> EnvironmentFields:
    """Validate an environment body; every problem is reported at once, by field."""
    errors: dict[str, list[str]] = {}
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        errors["name"] = ["is missing or blank"]
    elif any(c.isspace() for c in name):
        errors["name"] = ["cannot contain spaces or new lines"]
    elif (problem := name_problem(name)) is not None:
        errors["name"] = [problem]
    display_name = body.get("displayName")
    if display_name is not None and not isinstance(display_name, str):
        errors["displayName"] = ["must be a string"]
    elif isinstance(display_name, str) and (problem := name_problem(display_name)) is not None:
        errors["displayName"] = [problem]
    production = body.get("production")
    if not isinstance(production, bool):
        errors["production"] = ["must be true or false"]
    contacts = body.get("contacts")
    if contacts is not None:
        errors.update(_contact_problems(contacts))
    if errors:
        summary = "; ".join(f"{field} {' '.join(msgs)}" for field, msgs in errors.items())
        raise BrokerInputError(f"invalid environment: {summary}", errors=errors)
    assert isinstance(name, str) and isinstance(production, bool)
    shown = display_name.strip() if isinstance(display_name, str) else ""
    return EnvironmentFields(
        name=name,
        display_name=shown or generate_display_name(name),
        production=production,
        contacts=contacts,
    )


def _contact_problems(contacts: object) -> dict[str, list[str]]:
    if not isinstance(contacts, list):
        return {"contacts": ["must be an array of {name, details}"]}
    problems: dict[str, list[str]] = {}
    for index, contact in enumerate(contacts):
        if not isinstance(contact, dict):
            problems[f"contacts[{index}]"] = ["must be an object"]
            continue
        name = contact.get("name")
        if not isinstance(name, str) or not name.strip():
            problems[f"contacts[{index}].name"] = ["is missing or blank"]
        details = contact.get("details")
        if details is not None and not isinstance(details, dict):
            problems[f"contacts[{index}].details"] = ["must be an object"]
    return problems


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


def list_environments(session: Session, name: str | None = None) -> Sequence[Environment]:
    """Every environment by name (only the one called ``name`` when given)."""
    query = select(Environment).order_by(Environment.name)
    if name is not None:
        query = query.where(Environment.name == name)
    return session.scalars(query).all()


def _check_unique(session: Session, name: str, own_uuid: str | None) -> None:
    existing = find_environment_by_name(session, name)
    if existing is not None and existing.uuid != own_uuid:
        message = f"name '{name}' is already used by an existing environment."
        raise BrokerInputError(message, errors={"name": [message]})


def create_environment(session: Session, fields: EnvironmentFields) -> Environment:
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
    return environment


def update_environment(session: Session, uuid: str, fields: EnvironmentFields) -> Environment:
    """Replace an existing environment's fields (PUT never creates)."""
    environment = get_environment(session, uuid)
    _check_unique(session, fields.name, uuid)
    environment.name = fields.name
    environment.display_name = fields.display_name
    environment.production = fields.production
    environment.contacts = fields.contacts
    environment.updated_at = utc_now()
    session.flush()
    return environment


def delete_environment(session: Session, uuid: str) -> None:
    """Delete the environment and (by cascade) every deployment and release recorded to it."""
    environment = get_environment(session, uuid)
    session.execute(delete(Environment).where(Environment.id == environment.id))
