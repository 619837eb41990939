"""Released versions: versions shipped to users who run them (mobile apps, libraries, on-premise).

Unlike a deployment, a release does not replace the previous one: every released version of an
application stays "currently supported" in its environment until support for it is ended
(``pact broker record-support-ended``). Releasing a version again re-activates its support.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord_broker.db.models import Environment, Pacticipant, ReleasedVersion, Version
from accord_broker.db.types import utc_now
from accord_broker.errors import BrokerNotFoundError, BrokerUnprocessableError


@dataclass(frozen=True, slots=True)
class Release:
    """A released version with what it is rendered with."""

    record: ReleasedVersion
    version: Version
    environment: Environment

    @property
    def pacticipant(self) -> Pacticipant:
        return self.version.pacticipant


def _release(session: Session, record: ReleasedVersion) -> Release:
    version = session.get(Version, record.version_id)
    environment = session.get(Environment, record.environment_id)
    assert version is not None and environment is not None
    return Release(record, version, environment)


def find_release(session: Session, version: Version, environment: Environment) -> Release | None:
    record = session.scalar(
        select(ReleasedVersion).where(
            ReleasedVersion.version_id == version.id,
            ReleasedVersion.environment_id == environment.id,
        )
    )
    return Release(record, version, environment) if record is not None else None


def record_release(
    session: Session, version: Version, environment: Environment
) -> tuple[Release, bool]:
    """Record ``version`` as released to ``environment``; ``True`` when the release is new.

    Releasing an already released version makes it currently supported again.
    """
    existing = find_release(session, version, environment)
    now = utc_now()
    if existing is not None:
        if existing.record.support_ended_at is not None:
            existing.record.support_ended_at = None
            existing.record.updated_at = now
            session.flush()
        return existing, False
    record = ReleasedVersion(
        version_id=version.id,
        pacticipant_id=version.pacticipant_id,
        environment_id=environment.id,
        created_at=now,
        updated_at=now,
    )
    session.add(record)
    session.flush()
    return Release(record, version, environment), True


def currently_supported(
    session: Session,
    environment: Environment,
    *,
    pacticipant: str | None = None,
    version: str | None = None,
) -> list[Release]:
    """The releases still supported in ``environment``, newest first."""
    query = (
        select(ReleasedVersion)
        .where(
            ReleasedVersion.environment_id == environment.id,
            ReleasedVersion.support_ended_at.is_(None),
        )
        .order_by(ReleasedVersion.created_at.desc(), ReleasedVersion.id.desc())
    )
    if pacticipant is not None:
        query = query.join(Pacticipant, Pacticipant.id == ReleasedVersion.pacticipant_id).where(
            Pacticipant.name == pacticipant
        )
    if version is not None:
        query = query.join(Version, Version.id == ReleasedVersion.version_id).where(
            Version.number == version
        )
    return [_release(session, record) for record in session.scalars(query).all()]


def get_release(session: Session, uuid: str) -> Release:
    record = session.scalar(select(ReleasedVersion).where(ReleasedVersion.uuid == uuid))
    if record is None:
        raise BrokerNotFoundError(f"No released version with uuid '{uuid}' found")
    return _release(session, record)


def set_currently_supported(session: Session, release: Release, value: object) -> Release:
    """Apply ``{"currentlySupported": value}``: ``False`` ends support; ``True`` is refused."""
    if value is not False:
        message = (
            "currentlySupported can only be set to false; record the release again "
            "(pact broker record-release) to support a version again"
        )
        raise BrokerUnprocessableError(message, errors={"currentlySupported": [message]})
    if release.record.support_ended_at is None:
        now = utc_now()
        release.record.support_ended_at = now
        release.record.updated_at = now
        session.flush()
    return release
