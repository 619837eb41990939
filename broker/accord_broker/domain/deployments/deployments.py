"""Deployed and released versions: what runs, or is supported, in which environment.

Both are one record of a version in an environment that is *current* until it is ended, and
the broker keeps them as one implementation parametrised by a :class:`Kind`:

- **deployed** (``pact broker record-deployment``): each (pacticipant, environment,
  application instance) runs one version at a time, so recording a deployment first ends the
  instance's previous one; versions on different instances (``blue``/``green``, one per
  region…) coexist. A partial unique index over ``target_for_index`` (the instance, ``''``
  when none) keeps this true under concurrent writers. Ended by ``record-undeployment``.
- **released** (``pact broker record-release``, mobile apps, libraries, on-premise): a release
  does not replace the previous one; every released version stays "currently supported" until
  ``record-support-ended``. Releasing a version again re-activates its support.

The differences are data on the kind (model, ended column, patch flag, messages), so a rule
about "current" lives in one place.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    DeployedVersion,
    Environment,
    Pacticipant,
    ReleasedVersion,
    Version,
)
from accord_broker.db.types import utc_now
from accord_broker.errors import BrokerNotFoundError, BrokerUnprocessableError

Record = DeployedVersion | ReleasedVersion
KindName = Literal["deployed", "released"]


@dataclass(frozen=True, slots=True)
class Kind:
    """What differs between deployed and released versions, as data.

    ``ended_field`` names the record's "ended at" column; ``flag`` is the JSON field a
    merge-patch sets to ``false`` to end it; ``per_instance`` says whether an application
    instance applies (and whether recording replaces the previous current record).
    """

    name: KindName
    model: type[DeployedVersion] | type[ReleasedVersion]
    ended_field: str
    flag: str
    per_instance: bool
    not_found: str
    true_refused: str
    not_false: str


DEPLOYED = Kind(
    name="deployed",
    model=DeployedVersion,
    ended_field="undeployed_at",
    flag="currentlyDeployed",
    per_instance=True,
    not_found="No deployed version with uuid '{uuid}' found",
    true_refused=(
        "currentlyDeployed can only be set to false; record a new deployment "
        "(pact broker record-deployment) to deploy a version again"
    ),
    not_false="currentlyDeployed must be false",
)
RELEASED_MESSAGE = (
    "currentlySupported can only be set to false; record the release again "
    "(pact broker record-release) to support a version again"
)
RELEASED = Kind(
    name="released",
    model=ReleasedVersion,
    ended_field="support_ended_at",
    flag="currentlySupported",
    per_instance=False,
    not_found="No released version with uuid '{uuid}' found",
    true_refused=RELEASED_MESSAGE,
    not_false=RELEASED_MESSAGE,
)


@dataclass(frozen=True, slots=True)
class Placement:
    """A deployed or released version with what it is rendered with."""

    kind: Kind
    record: Record
    version: Version
    environment: Environment

    @property
    def pacticipant(self) -> Pacticipant:
        return self.version.pacticipant

    @property
    def ended_at(self) -> datetime | None:
        """When it was undeployed / its support ended; ``None`` while current."""
        return ended_at(self.kind, self.record)

    @property
    def application_instance(self) -> str | None:
        """The instance a deployment runs on; releases have none."""
        record = self.record
        return record.application_instance if isinstance(record, DeployedVersion) else None


ANY_INSTANCE = object()
"""Pass as ``application_instance`` to list deployments of every instance."""


def ended_at(kind: Kind, record: Record) -> datetime | None:
    """The record's ``undeployed_at`` or ``support_ended_at``, as its kind names it."""
    value: datetime | None = getattr(record, kind.ended_field)
    return value


def _end(
    session: Session, kind: Kind, record: Record, when: datetime | None, now: datetime
) -> None:
    """Set (or, with ``None``, clear) the record's ended-at, stamp ``updated_at``, flush."""
    setattr(record, kind.ended_field, when)
    record.updated_at = now
    session.flush()


def _placement(session: Session, kind: Kind, record: Record) -> Placement:
    version = session.get(Version, record.version_id)
    environment = session.get(Environment, record.environment_id)
    assert version is not None and environment is not None
    return Placement(kind, record, version, environment)


def _records(session: Session, query: Select[Any]) -> list[Record]:
    """Run a query over one kind's model (typed as their common base by SQLAlchemy)."""
    return cast(list[Record], list(session.scalars(query).all()))


def _slot(
    session: Session, kind: Kind, version: Version, environment: Environment, target: str
) -> Record | None:
    """The record a new one would take the place of (deployed) or revive (released)."""
    if kind.per_instance:
        return session.scalar(
            select(DeployedVersion).where(
                DeployedVersion.pacticipant_id == version.pacticipant_id,
                DeployedVersion.environment_id == environment.id,
                DeployedVersion.target_for_index == target,
                DeployedVersion.undeployed_at.is_(None),
            )
        )
    return session.scalar(
        select(ReleasedVersion).where(
            ReleasedVersion.version_id == version.id,
            ReleasedVersion.environment_id == environment.id,
        )
    )


def _new_record(
    kind: Kind,
    version: Version,
    environment: Environment,
    instance: str | None,
    *,
    auto: bool,
    now: datetime,
) -> Record:
    common = {
        "version_id": version.id,
        "pacticipant_id": version.pacticipant_id,
        "environment_id": environment.id,
        "created_at": now,
        "updated_at": now,
    }
    if kind.per_instance:
        return DeployedVersion(
            **common,
            application_instance=instance,
            target_for_index=instance or "",
            auto_created=auto,
        )
    return ReleasedVersion(**common)


def record(
    session: Session,
    kind: Kind,
    version: Version,
    environment: Environment,
    application_instance: str | None = None,
    *,
    auto_created: bool = False,
) -> tuple[Placement, bool]:
    """Record ``version`` as deployed/released to ``environment``; ``True`` when new.

    Idempotent. A deployment whose version already runs on that instance returns the existing
    record; otherwise the instance's previous deployment is ended first. A release already
    recorded is returned, made currently supported again if its support had ended.
    """
    instance = (application_instance or None) if kind.per_instance else None
    existing = _slot(session, kind, version, environment, instance or "")
    now = utc_now()
    if existing is not None and existing.version_id == version.id:
        if ended_at(kind, existing) is not None:
            _end(session, kind, existing, None, now)
        return Placement(kind, existing, version, environment), False
    if existing is not None:
        _end(session, kind, existing, now, now)
    created = _new_record(kind, version, environment, instance, auto=auto_created, now=now)
    session.add(created)
    session.flush()
    return Placement(kind, created, version, environment), True


def of_version(
    session: Session, kind: Kind, version: Version, environment: Environment
) -> list[Placement]:
    """Every record (current or ended) of ``version`` in ``environment``, newest first."""
    model = kind.model
    records = _records(
        session,
        select(model)
        .where(model.version_id == version.id, model.environment_id == environment.id)
        .order_by(model.created_at.desc(), model.id.desc()),
    )
    return [Placement(kind, r, version, environment) for r in records]


def get(session: Session, kind: Kind, uuid: str) -> Placement:
    """The record with ``uuid``, or :class:`BrokerNotFoundError`."""
    model = kind.model
    found = _records(session, select(model).where(model.uuid == uuid))
    if not found:
        raise BrokerNotFoundError(kind.not_found.format(uuid=uuid))
    return _placement(session, kind, found[0])


def set_current(session: Session, placement: Placement, value: object) -> Placement:
    """Apply ``{flag: value}`` from a merge-patch: ``False`` ends it; anything else is refused.

    Setting it back to ``true`` would resurrect history; recording again is the way.
    """
    kind = placement.kind
    if value is not False:
        message = kind.true_refused if value is True else kind.not_false
        raise BrokerUnprocessableError(message, errors={kind.flag: [message]})
    if placement.ended_at is None:
        now = utc_now()
        _end(session, kind, placement.record, now, now)
    return placement


def currently_deployed_version_ids(session: Session, environment_id: int) -> Sequence[int]:
    """Ids of the versions running in the environment (any pacticipant, any instance)."""
    return session.scalars(
        select(DeployedVersion.version_id).where(
            DeployedVersion.environment_id == environment_id,
            DeployedVersion.undeployed_at.is_(None),
        )
    ).all()
