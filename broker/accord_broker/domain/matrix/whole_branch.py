"""A selector meaning every version on a branch, kept as one selector (issue #20).

``q[][branch]=main`` without ``latest`` means every version on the branch: thousands at a large
company's history. Resolved into one selector per version, one statement bound thousands of
ids (30 ms of planning alone on PostgreSQL). Kept whole, the row statements test membership
with a subquery on ``branch_versions`` (``sides.on_branches``), and the decision names a row's
version through ``branch_members``, exactly as it would through one selector per version.
When a branch may stay whole is ``resolve``'s rule, the same for a tag (``whole_tag``).
"""

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, literal_column, select
from sqlalchemy.orm import Session

from accord_broker.db.models import Branch, BranchVersion, Version

SMALL_BRANCH = 200
"""Up to this many versions, a whole branch's rows are read through its versions; beyond, by
walking the pacts newest first (both bounded: ``SMALL_BRANCH`` lookups, or about a page)."""


@cache
def _newest_on_branch_statement() -> Select[int, int, str, int]:
    """The branch's two newest versions (index ``(branch_id, version_order)``) and its size
    counted up to the bound ``counted``: neither reads the whole branch."""
    branch = (
        select(Branch.id)
        .where(
            Branch.pacticipant_id == bindparam("pacticipant_id"),
            Branch.name == bindparam("branch"),
        )
        .scalar_subquery()
    )
    counted = (
        select(BranchVersion.id)
        .where(BranchVersion.branch_id == branch)
        .limit(bindparam("counted", type_=Integer))
        .subquery()
    )
    size = select(func.count()).select_from(counted).scalar_subquery()
    return (
        select(BranchVersion.branch_id, Version.id, Version.number, size)
        .join(Version, Version.id == BranchVersion.version_id)
        .where(BranchVersion.branch_id == branch)
        .order_by(BranchVersion.version_order.desc())
        .limit(2)
    )


def newest_on_branch(
    session: Session, pacticipant_id: int, branch: str
) -> tuple[list[tuple[int, int, str]], bool]:
    """(branch id, version id, number) of the branch's two newest versions: none, one (then
    resolved as before) or two, when the branch is kept as one selector; and whether the
    branch is small (at most ``SMALL_BRANCH`` versions)."""
    params = {"pacticipant_id": pacticipant_id, "branch": branch, "counted": SMALL_BRANCH + 1}
    rows = session.execute(_newest_on_branch_statement(), params).all()
    size = rows[0][3] if rows else 0
    return [(row[0], row[1], row[2]) for row in rows], size <= SMALL_BRANCH


@cache
def _members_statement() -> Select[int, int, str]:
    """Each row's version looked up by id, its branches then tested (``branch_id + 0``):
    driven from the branches, PostgreSQL's generic plan read every version on them and kept
    the rows' (3,250 for the benchmark's two ``main`` branches, for a page of 100 rows)."""
    branch: Any = BranchVersion.branch_id + literal_column("0")
    return (
        select(BranchVersion.branch_id, Version.id, Version.number)
        .join(Version, Version.id == BranchVersion.version_id)
        .where(
            BranchVersion.version_id.in_(bindparam("version_ids", expanding=True)),
            branch.in_(bindparam("branch_ids", expanding=True)),
        )
    )


def branch_members(
    session: Session, branch_ids: Iterable[int], version_ids: Iterable[int]
) -> dict[tuple[int, str], int]:
    """Which of ``version_ids`` (the rows' versions) are on the branches ``branch_ids``:
    ``(branch id, number) -> version id``, one statement whatever the branch's size. The
    decision names a row's version through this as it would through one selector per version
    of the branch."""
    branches = sorted(set(branch_ids))
    wanted = sorted(set(version_ids))
    if not branches or not wanted:
        return {}
    params = {"branch_ids": branches, "version_ids": wanted}
    rows = session.execute(_members_statement(), params).all()
    return {(row[0], row[2]): row[1] for row in rows}
