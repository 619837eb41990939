"""Deployed versions: which version of an application runs in which environment right now.

A deployment is recorded *after* it happened (``pact broker record-deployment``). Each
(pacticipant, environment, application instance) runs one version at a time, so recording a new
deployment first marks the previous one of the same instance undeployed; versions deployed to
different instances (``blue``/``green``, one per region…) coexist. A partial unique index over
``target_for_index`` (the instance, ``''`` when none) keeps this true under concurrent writers.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord_broker.db.models import DeployedVersion, Environment, Pacticipant, Version
from accord_broker.db.types import utc_now
from accord_broker.errors import BrokerNotFoundError, BrokerUnprocessableError


@dataclass(frozen=True, slots=True)
class Deployment:
    """A deployed version with what it is rendered with."""

    record: DeployedVersion
    version: Version
    environment: Environment

    @property
    def pacticipant(self) -> Pacticipant:
        return self.version.pacticipant


def _deployment(session: Session, record: DeployedVersion) -> Deployment:
    version = session.get(Version, record.version_id)
    environment = session.get(Environment, record.environment_id)
    assert version is not None and environment is not None
    return Deployment(record, version, environment)


def record_deployment(
    session: Session,
    version: Version,
    environment: Environment,
    application_instance: str | None = None,
    *,
    auto_created: bool = False,
) -> Deployment:
    """Record that ``version`` now runs in ``environment`` (on ``application_instance``).

    Idempotent: when this very version is already the current deployment of that instance, the
    existing record is returned. Otherwise the instance's previous deployment is ended first.
    """
    instance = application_instance or None
    target = instance or ""
    current = session.scalar(
        select(DeployedVersion).where(
            DeployedVersion.pacticipant_id == version.pacticipant_id,
            DeployedVersion.environment_id == environment.id,
            DeployedVersion.target_for_index == target,
            DeployedVersion.undeployed_at.is_(None),
        )
    )
    if current is not None and current.version_id == version.id:
        return _deployment(session, current)
    now = utc_now()
    if current is not None:
        current.undeployed_at = now
        current.updated_at = now
        session.flush()
    record = DeployedVersion(
        version_id=version.id,
        pacticipant_id=version.pacticipant_id,
        environment_id=environment.id,
        application_instance=instance,
        target_for_index=target,
        auto_created=auto_created,
        created_at=now,
        updated_at=now,
    )
    session.add(record)
    session.flush()
    return Deployment(record, version, environment)


def deployments_of_version(
    session: Session, version: Version, environment: Environment
) -> list[Deployment]:
    """Every deployment (current or ended) of ``version`` to ``environment``, newest first."""
    records = session.scalars(
        select(DeployedVersion)
        .where(
            DeployedVersion.version_id == version.id,
            DeployedVersion.environment_id == environment.id,
        )
        .order_by(DeployedVersion.created_at.desc(), DeployedVersion.id.desc())
    ).all()
    return [Deployment(r, version, environment) for r in records]


ANY_INSTANCE = object()
"""Pass as ``application_instance`` to list deployments of every instance."""


def currently_deployed(
    session: Session,
    environment: Environment,
    *,
    pacticipant: str | None = None,
    application_instance: object = ANY_INSTANCE,
) -> list[Deployment]:
    """The deployments running in ``environment``, newest first.

    ``pacticipant`` narrows to one application; ``application_instance`` (``None`` meaning
    "deployed without an instance") narrows to one instance, as ``record-undeployment`` asks.
    """
    query = (
        select(DeployedVersion)
        .where(
            DeployedVersion.environment_id == environment.id,
            DeployedVersion.undeployed_at.is_(None),
        )
        .order_by(DeployedVersion.created_at.desc(), DeployedVersion.id.desc())
    )
    if pacticipant is not None:
        query = query.join(Pacticipant, Pacticipant.id == DeployedVersion.pacticipant_id).where(
            Pacticipant.name == pacticipant
        )
    if application_instance is not ANY_INSTANCE:
        target = application_instance if isinstance(application_instance, str) else ""
        query = query.where(DeployedVersion.target_for_index == target)
    return [_deployment(session, record) for record in session.scalars(query).all()]


def get_deployment(session: Session, uuid: str) -> Deployment:
    record = session.scalar(select(DeployedVersion).where(DeployedVersion.uuid == uuid))
    if record is None:
        raise BrokerNotFoundError(f"No deployed version with uuid '{uuid}' found")
    return _deployment(session, record)


def set_currently_deployed(session: Session, deployment: Deployment, value: object) -> Deployment:
    """Apply ``{"currentlyDeployed": value}``: ``False`` ends it; ``True`` cannot be applied."""
    if value is True:
        message = (
            "currentlyDeployed can only be set to false; record a new deployment "
            "(pact broker record-deployment) to deploy a version again"
        )
        raise BrokerUnprocessableError(message, errors={"currentlyDeployed": [message]})
    if value is not False:
        message = "currentlyDeployed must be false"
        raise BrokerUnprocessableError(message, errors={"currentlyDeployed": [message]})
    record = deployment.record
    if record.undeployed_at is None:
        now = utc_now()
        record.undeployed_at = now
        record.updated_at = now
        session.flush()
    return deployment


def currently_deployed_version_ids(session: Session, environment_id: int) -> Sequence[int]:
    """Ids of the versions running in the environment (any pacticipant, any instance)."""
    return session.scalars(
        select(DeployedVersion.version_id).where(
            DeployedVersion.environment_id == environment_id,
            DeployedVersion.undeployed_at.is_(None),
        )
    ).all()
