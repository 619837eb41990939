"""Tags on pacticipant versions (the older way to mark versions, still used by many pipelines)."""

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from accord.errors import BrokerNotFoundError
from accord_broker.db.models import Tag, Version
from accord_broker.db.types import utc_now
from accord_broker.db.upsert import insert_ignore
from accord_broker.domain.names import check_name


def find_tag(session: Session, version: Version, name: str) -> Tag | None:
    return session.scalar(select(Tag).where(Tag.version_id == version.id, Tag.name == name))


def get_tag(session: Session, version: Version, name: str) -> Tag:
    tag = find_tag(session, version, name)
    if tag is None:
        raise BrokerNotFoundError(f"No tag '{name}' on version '{version.number}' found")
    return tag


def add_tag(session: Session, version: Version, name: str) -> tuple[Tag, bool]:
    """Tag ``version`` with ``name``; ``True`` when the tag is new (idempotent otherwise).

    Only the tag: write paths that should also infer a branch, a main branch or a deployment
    call ``accord_broker.domain.tag_effects.tag_version`` instead.
    """
    existing = find_tag(session, version, name)
    if existing is not None:
        return existing, False
    check_name(name, "tag")
    insert_ignore(
        session,
        Tag,
        {
            "version_id": version.id,
            "pacticipant_id": version.pacticipant_id,
            "name": name,
            "version_order": version.order,
            "created_at": utc_now(),
        },
        ["version_id", "name"],
    )
    tag = find_tag(session, version, name)
    assert tag is not None
    return tag, True


def tags_of(session: Session, version: Version) -> Sequence[Tag]:
    return session.scalars(select(Tag).where(Tag.version_id == version.id).order_by(Tag.id)).all()


def delete_tag(session: Session, version: Version, name: str) -> None:
    tag = get_tag(session, version, name)
    session.execute(delete(Tag).where(Tag.id == tag.id))
