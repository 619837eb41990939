"""Tags on pacticipant versions (the older way to mark versions, still used by many pipelines).

Also keeps ``tag_heads`` (the newest version per tag name) right: raised when a newer version
is tagged, recomputed when the head's tag or version goes (``repair_tag_heads``, which the
version delete paths call, as they do for branch heads).
"""

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import Tag, TagHead, Version
from accord_broker.db.types import utc_now
from accord_broker.db.upsert import insert_ignore
from accord_broker.domain.names import check_name
from accord_broker.errors import BrokerNotFoundError


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
    call ``accord_broker.domain.versions.tag_effects.tag_version`` instead.
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
    _raise_head(session, tag)
    return tag, True


def _raise_head(session: Session, tag: Tag) -> None:
    """Make ``tag``'s version the head of its name unless a newer version is."""
    values = {
        "pacticipant_id": tag.pacticipant_id,
        "name": tag.name,
        "version_id": tag.version_id,
        "version_order": tag.version_order,
    }
    dialect: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(TagHead).values(**values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["pacticipant_id", "name"],
            set_={
                "version_id": statement.excluded.version_id,
                "version_order": statement.excluded.version_order,
            },
            where=TagHead.version_order < statement.excluded.version_order,
        )
    )


def repair_tag_heads(session: Session, pacticipant_ids: Collection[int] | None = None) -> None:
    """Give every tag name that has tagged versions but no head its newest version.

    A deleted version takes its tags and the heads it held with it (foreign keys); the names
    it headed then fall back to their newest remaining version. ``pacticipant_ids`` limits
    the repair to the pacticipants a deletion touched.
    """
    if pacticipant_ids is not None and not pacticipant_ids:
        return
    newer = aliased(Tag)
    newest = select(Tag.pacticipant_id, Tag.name, Tag.version_id, Tag.version_order).where(
        ~exists().where(
            newer.pacticipant_id == Tag.pacticipant_id,
            newer.name == Tag.name,
            newer.version_order > Tag.version_order,
        ),
        ~exists().where(TagHead.pacticipant_id == Tag.pacticipant_id, TagHead.name == Tag.name),
    )
    if pacticipant_ids is not None:
        newest = newest.where(Tag.pacticipant_id.in_(sorted(pacticipant_ids)))
    dialect: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    columns = ["pacticipant_id", "name", "version_id", "version_order"]
    session.execute(dialect.insert(TagHead).from_select(columns, newest).on_conflict_do_nothing())


def rebuild_tag_heads(session: Session) -> None:
    """Recompute every head from the tags (after a bulk import that bypassed ``add_tag``)."""
    session.execute(delete(TagHead))
    repair_tag_heads(session)


def tags_of(session: Session, version: Version) -> Sequence[Tag]:
    return session.scalars(select(Tag).where(Tag.version_id == version.id).order_by(Tag.id)).all()


def delete_tag(session: Session, version: Version, name: str) -> None:
    tag = get_tag(session, version, name)
    session.execute(delete(Tag).where(Tag.id == tag.id))
    session.execute(
        delete(TagHead).where(
            TagHead.pacticipant_id == tag.pacticipant_id,
            TagHead.name == tag.name,
            TagHead.version_id == tag.version_id,
        )
    )
    repair_tag_heads(session, [tag.pacticipant_id])
