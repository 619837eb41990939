"""Keeping ``branch_verifications`` right: which branches' versions verified which pacts.

A row says "verification V succeeded, and its provider version is on branch B" (see the
model). Rows appear from both sides, in the same transaction as the fact that makes them true:
a successful result recorded for a version already on branches, and a version put on a branch
after it verified pacts. They disappear with either side through the foreign keys (a deleted
result, version, branch or pacticipant), so no delete path needs to know about them.

On PostgreSQL the two writers lock the provider version's row first: a result recorded while
another transaction puts the same version on a branch would otherwise each miss the other's
uncommitted row. SQLite runs one writer at a time.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from accord_broker.db.models import BranchVerification, BranchVersion, Verification, Version

_COLUMNS = [
    "branch_version_id",
    "verification_id",
    "pact_version_id",
    "branch_name",
    "wip",
    "created_at",
    "execution_date",
]
_Row = tuple[int, int, int, str, bool, datetime, datetime]


def _rows() -> Select[*_Row]:
    return select(
        BranchVersion.id,
        Verification.id,
        Verification.pact_version_id,
        BranchVersion.branch_name,
        Verification.wip,
        Verification.created_at,
        Verification.execution_date,
    ).join(BranchVersion, BranchVersion.version_id == Verification.provider_version_id)


def _insert(session: Session, rows: Select[*_Row]) -> None:
    """``INSERT … SELECT`` the rows, skipping pairs already recorded."""
    if session.get_bind().dialect.name == "postgresql":
        statement: Any = postgresql.insert(BranchVerification).from_select(_COLUMNS, rows)
    else:
        statement = sqlite.insert(BranchVerification).from_select(_COLUMNS, rows)
    session.execute(statement.on_conflict_do_nothing())


def lock_provider_version(session: Session, version_id: int) -> None:
    """Serialise this transaction's branch and result writes for one version (PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            select(Version.id).where(Version.id == version_id).with_for_update(key_share=True)
        )


def record_verifications_branches(session: Session, verification_ids: list[int]) -> None:
    """Results were recorded: one row per branch each successful one's provider version is on,
    in one statement whatever their number."""
    if verification_ids:
        _insert(
            session,
            _rows().where(Verification.id.in_(verification_ids), Verification.success.is_(True)),
        )


def record_branch_verifications(session: Session, branch_version: BranchVersion) -> None:
    """A version was put on a branch: one row per successful result it published."""
    _insert(
        session,
        _rows().where(BranchVersion.id == branch_version.id, Verification.success.is_(True)),
    )


def rebuild_branch_verifications(session: Session) -> None:
    """Recompute the whole table from the history (after a bulk import that bypassed the
    write paths, as the scale benchmark's seeding does)."""
    session.execute(delete(BranchVerification))
    _insert(session, _rows().where(Verification.success.is_(True)))
