"""Branches: which versions were built from which branch, and each branch's head."""

from collections.abc import Collection, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from accord_broker.db.models import Branch, BranchVersion, Pacticipant, Version
from accord_broker.db.types import utc_now
from accord_broker.db.upsert import insert_ignore
from accord_broker.domain.names import check_name
from accord_broker.domain.verifications.branch_verifications import (
    lock_provider_version,
    record_branch_verifications,
)
from accord_broker.errors import BrokerNotFoundError


def find_branch(session: Session, pacticipant: Pacticipant, name: str) -> Branch | None:
    return session.scalar(
        select(Branch).where(Branch.pacticipant_id == pacticipant.id, Branch.name == name)
    )


def get_branch(session: Session, pacticipant: Pacticipant, name: str) -> Branch:
    branch = find_branch(session, pacticipant, name)
    if branch is None:
        raise BrokerNotFoundError(f"No branch '{name}' of pacticipant '{pacticipant.name}' found")
    return branch


def find_or_create_branch(session: Session, pacticipant: Pacticipant, name: str) -> Branch:
    branch = find_branch(session, pacticipant, name)
    if branch is not None:
        return branch
    check_name(name, "branch")
    now = utc_now()
    insert_ignore(
        session,
        Branch,
        {"pacticipant_id": pacticipant.id, "name": name, "created_at": now, "updated_at": now},
        ["pacticipant_id", "name"],
    )
    created = find_branch(session, pacticipant, name)
    assert created is not None
    return created


def find_branch_version(session: Session, branch: Branch, version: Version) -> BranchVersion | None:
    return session.scalar(
        select(BranchVersion).where(
            BranchVersion.branch_id == branch.id, BranchVersion.version_id == version.id
        )
    )


def add_version_to_branch(
    session: Session, version: Version, branch_name: str, *, auto_created: bool = False
) -> tuple[BranchVersion, bool]:
    """Record that ``version`` is on ``branch_name``; ``True`` when that is news.

    The branch's head becomes this version (the head is the version most recently *added*).
    Whether the pacticipant adopts the branch as its main branch is decided by the caller
    (``accord_broker.domain.versions.tag_effects.put_version_on_branch``, which write paths use).
    """
    pacticipant = version.pacticipant
    branch = find_or_create_branch(session, pacticipant, branch_name)
    existing = find_branch_version(session, branch, version)
    if existing is not None:
        return existing, False
    lock_provider_version(session, version.id)
    insert_ignore(
        session,
        BranchVersion,
        {
            "branch_id": branch.id,
            "version_id": version.id,
            "pacticipant_id": pacticipant.id,
            "branch_name": branch.name,
            "version_order": version.order,
            "auto_created": auto_created,
            "created_at": utc_now(),
        },
        ["branch_id", "version_id"],
    )
    branch_version = find_branch_version(session, branch, version)
    assert branch_version is not None
    record_branch_verifications(session, branch_version)
    branch.head_version_id = version.id
    branch.updated_at = utc_now()
    return branch_version, True


def list_branches(session: Session, pacticipant: Pacticipant) -> Sequence[Branch]:
    return session.scalars(
        select(Branch)
        .where(Branch.pacticipant_id == pacticipant.id)
        .order_by(Branch.created_at.desc(), Branch.id.desc())
    ).all()


def branch_names_of(session: Session, version: Version) -> list[tuple[str, bool]]:
    """The branches ``version`` is on, each with whether the version is that branch's head."""
    rows = session.execute(
        select(Branch.name, Branch.head_version_id)
        .join(BranchVersion, BranchVersion.branch_id == Branch.id)
        .where(BranchVersion.version_id == version.id)
        .order_by(BranchVersion.id)
    ).all()
    return [(name, head == version.id) for name, head in rows]


def branch_names_by_version(
    session: Session, version_ids: Sequence[int]
) -> dict[int, list[tuple[str, bool]]]:
    """:func:`branch_names_of` for many versions at once (one statement per ``version_ids``,
    which the caller keeps to a page): each version's branches in the order it was put on them,
    with whether it is that branch's head."""
    found: dict[int, list[tuple[str, bool]]] = {version_id: [] for version_id in version_ids}
    if not found:
        return found
    rows = session.execute(
        select(BranchVersion.version_id, Branch.name, Branch.head_version_id)
        .join(Branch, BranchVersion.branch_id == Branch.id)
        .where(BranchVersion.version_id.in_(list(found)))
        .order_by(BranchVersion.id)
    )
    for version_id, name, head in rows:
        found[version_id].append((name, head == version_id))
    return found


def versions_on_branch(session: Session, branch: Branch) -> Sequence[Version]:
    """The branch's versions, most recently added first."""
    return session.scalars(
        select(Version)
        .join(BranchVersion, BranchVersion.version_id == Version.id)
        .where(BranchVersion.branch_id == branch.id)
        .order_by(BranchVersion.id.desc())
    ).all()


def head_of(session: Session, branch: Branch) -> Version | None:
    if branch.head_version_id is None:
        return None
    return session.get(Version, branch.head_version_id)


def remove_version_from_branch(session: Session, branch: Branch, version: Version) -> None:
    """Take ``version`` off ``branch`` and make the previously added version the head again."""
    branch_version = find_branch_version(session, branch, version)
    if branch_version is None:
        raise BrokerNotFoundError(f"Version '{version.number}' is not on branch '{branch.name}'")
    session.execute(delete(BranchVersion).where(BranchVersion.id == branch_version.id))
    branch.head_version_id = session.scalar(
        select(BranchVersion.version_id)
        .where(BranchVersion.branch_id == branch.id)
        .order_by(BranchVersion.id.desc())
        .limit(1)
    )


def delete_branch(session: Session, branch: Branch) -> None:
    """Delete the branch and its branch versions; the versions themselves remain."""
    session.execute(delete(Branch).where(Branch.id == branch.id))


def repair_branch_heads(session: Session, branch_ids: Collection[int] | None = None) -> None:
    """Give a branch whose head version was deleted its most recently added remaining version.

    Deleting a version nulls ``head_version_id`` of the branches it headed; without this the
    branch would answer "no latest version" although it still has versions. ``branch_ids``
    limits the repair to the branches a deletion touched.
    """
    previous = (
        select(BranchVersion.version_id)
        .where(BranchVersion.branch_id == Branch.id)
        .order_by(BranchVersion.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    headless = update(Branch).where(Branch.head_version_id.is_(None))
    if branch_ids is not None:
        if not branch_ids:
            return
        headless = headless.where(Branch.id.in_(list(branch_ids)))
    session.execute(headless.values(head_version_id=previous))
