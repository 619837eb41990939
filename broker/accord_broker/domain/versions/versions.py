"""Pacticipant versions: creation with a monotonic ``order``, lookups of "latest"."""

from collections.abc import Sequence

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session, contains_eager

from accord_broker.db.models import Branch, Pacticipant, Tag, Version
from accord_broker.db.types import utc_now
from accord_broker.db.version_counts import PacticipantVersionCount
from accord_broker.domain.names import check_name
from accord_broker.domain.pacticipants.pacticipants import (
    find_or_create_pacticipant,
    get_pacticipant,
)
from accord_broker.domain.versions import tags
from accord_broker.domain.versions.bodies import VersionBody
from accord_broker.domain.versions.branches import repair_branch_heads
from accord_broker.domain.versions.tags import repair_tag_heads
from accord_broker.errors import BrokerNotFoundError


def find_version(session: Session, pacticipant: Pacticipant, number: str) -> Version | None:
    return session.scalar(
        select(Version).where(Version.pacticipant_id == pacticipant.id, Version.number == number)
    )


_VERSION_BY_NAMES = (
    select(Version)
    .join(Version.pacticipant)
    .options(contains_eager(Version.pacticipant))
    .where(Pacticipant.name == bindparam("pacticipant"), Version.number == bindparam("number"))
)
"""A version found by its pacticipant's name and its number: one statement, where finding the
pacticipant first took two (issue #20: every version route starts with this lookup)."""


def get_version(session: Session, pacticipant_name: str, number: str) -> Version:
    """The version ``number`` of ``pacticipant_name``, or a 404 saying which part is missing."""
    params = {"pacticipant": pacticipant_name, "number": number}
    version = session.scalar(_VERSION_BY_NAMES, params)
    if version is None:
        get_pacticipant(session, pacticipant_name)  # a 404 naming the pacticipant, if it is missing
        raise BrokerNotFoundError(
            f"No version '{number}' of pacticipant '{pacticipant_name}' found"
        )
    return version


def find_or_create_version(
    session: Session, pacticipant: Pacticipant, number: str
) -> tuple[Version, bool]:
    """The version ``number`` of ``pacticipant``, created if new (``True``) with the next order.

    The pacticipant's row is locked ``FOR NO KEY UPDATE`` (PostgreSQL; SQLite writers are
    serialised anyway; this lock does not block the key-share locks foreign keys take) before the
    next order is computed, so concurrent creators take turns and orders never collide; the lookup
    is repeated under the lock because the version may have been created while we waited.
    """
    existing = find_version(session, pacticipant, number)
    if existing is not None:
        return existing, False
    check_name(number, "pacticipantVersionNumber")
    session.execute(
        select(Pacticipant.id)
        .where(Pacticipant.id == pacticipant.id)
        .with_for_update(key_share=True)
    )
    existing = find_version(session, pacticipant, number)
    if existing is not None:
        return existing, False
    next_order = session.scalar(
        select(func.coalesce(func.max(Version.order), 0) + 1).where(
            Version.pacticipant_id == pacticipant.id
        )
    )
    now = utc_now()
    version = Version(
        pacticipant_id=pacticipant.id,
        pacticipant=pacticipant,
        number=number,
        order=int(next_order or 1),
        created_at=now,
        updated_at=now,
    )
    session.add(version)
    session.flush()
    return version, True


def ensure_version(session: Session, pacticipant_name: str, number: str) -> tuple[Version, bool]:
    """Find or create both the pacticipant and its version (the broker auto-creates on write)."""
    pacticipant = find_or_create_pacticipant(session, pacticipant_name)
    return find_or_create_version(session, pacticipant, number)


def set_build_url(version: Version, build_url: str | None) -> None:
    if build_url is not None and build_url != version.build_url:
        version.build_url = build_url
        version.updated_at = utc_now()


def upsert_version(
    session: Session, pacticipant_name: str, number: str, body: VersionBody, *, replace_tags: bool
) -> tuple[Version, bool]:
    """Create or update a version from its body; ``True`` when it was created.

    The tags sent are added; with ``replace_tags`` (``PUT``) the version's other tags go.
    """
    version, created = ensure_version(session, pacticipant_name, number)
    set_build_url(version, body.build_url)
    if body.tags is not None:
        wanted = {tag.name for tag in body.tags}
        for existing in tags.tags_of(session, version):
            if replace_tags and existing.name not in wanted:
                tags.delete_tag(session, version, existing.name)
        for name in wanted:
            tags.add_tag(session, version, name)
    return version, created


def list_versions(
    session: Session, pacticipant_name: str, *, page: int | None = None, size: int = 100
) -> tuple[Sequence[Version], int]:
    """The versions newest first (one ``page`` of ``size`` if given), and how many there are.

    A page is an index range on ``(pacticipant_id, order)`` and its total the kept count
    (:func:`version_count`); unpaged, the total is the number listed.
    """
    pacticipant = get_pacticipant(session, pacticipant_name)
    query = (
        select(Version)
        .where(Version.pacticipant_id == pacticipant.id)
        .order_by(Version.order.desc())
    )
    if page is None:
        found = session.scalars(query).all()
        return found, len(found)
    query = query.offset((page - 1) * size).limit(size)
    return session.scalars(query).all(), version_count(session, pacticipant.id)


def version_count(session: Session, pacticipant_id: int) -> int:
    """How many versions the pacticipant has: one seek of the count the database's triggers
    keep (``db/version_counts.py``), not a count of its versions, whose cost would grow with
    the history."""
    kept = session.scalar(
        select(PacticipantVersionCount.versions).where(
            PacticipantVersionCount.pacticipant_id == pacticipant_id
        )
    )
    return int(kept or 0)


def newest_version_of(session: Session, pacticipant: Pacticipant) -> Version | None:
    """The pacticipant's newest version (by creation order), or None when it has none."""
    return session.scalar(
        select(Version)
        .where(Version.pacticipant_id == pacticipant.id)
        .order_by(Version.order.desc())
        .limit(1)
    )


def latest_version(session: Session, pacticipant_name: str, tag: str | None = None) -> Version:
    """The newest version (highest order), optionally among those tagged ``tag``; else 404."""
    pacticipant = get_pacticipant(session, pacticipant_name)
    query = select(Version).where(Version.pacticipant_id == pacticipant.id)
    if tag is not None:
        query = query.join(Tag, Tag.version_id == Version.id).where(
            Tag.pacticipant_id == pacticipant.id, Tag.name == tag
        )
    version = session.scalar(query.order_by(Version.order.desc()).limit(1))
    if version is None:
        suffix = f" with tag '{tag}'" if tag is not None else ""
        raise BrokerNotFoundError(f"No version of pacticipant '{pacticipant_name}'{suffix} found")
    return version


def delete_version(session: Session, pacticipant_name: str, number: str) -> None:
    version = get_version(session, pacticipant_name, number)
    headed = list(session.scalars(select(Branch.id).where(Branch.head_version_id == version.id)))
    owner = version.pacticipant_id
    session.execute(delete(Version).where(Version.id == version.id))
    repair_branch_heads(session, headed)
    repair_tag_heads(session, [owner])
