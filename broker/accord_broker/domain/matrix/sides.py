"""Which rows one side of the matrix (consumer or provider) is asked about, shared by the two
row sources (``rows.py``: the latest-only caches; ``every_row.py``: every revision)."""

from typing import Any, Protocol

from sqlalchemy import ColumnElement, Exists, Select, bindparam, false, or_, select
from sqlalchemy.orm import QueryableAttribute

from accord_broker.db.models import BranchVersion


class SideShape(Protocol):
    """What kinds of selectors a question has: name only (every version), versions, or every
    version on a branch (kept as one selector: a branch can hold thousands of versions)."""

    @property
    def name_only(self) -> bool: ...

    @property
    def versions(self) -> bool: ...

    @property
    def branches(self) -> bool: ...


def on_branches(version: Any, prefix: str, drive: bool = True) -> ColumnElement[bool]:
    """``version`` is on one of the branches bound as ``{prefix}_branches``: a subquery, so a
    branch of thousands of versions binds one id, not thousands (issue #20).

    ``drive=False`` tests each row instead (``member_of_branches``): for "the newest pacts of
    a branch" walking the pacts newest first and testing membership stops after a page, where
    looking up each of the branch's thousands of versions and sorting does not. (As
    ``version + 0 IN (subquery)`` the row was not driven either, but SQLite first listed every
    version of the branch to test against: a cost growing with the branch, issue #20.)"""
    if not drive:
        return member_of_branches(version, prefix)
    members = select(BranchVersion.version_id).where(
        BranchVersion.branch_id.in_(bindparam(f"{prefix}_branches", expanding=True))
    )
    criterion: ColumnElement[bool] = version.in_(members)
    return criterion


PLANNER_FENCE = "OFFSET 0"
"""Appended (on PostgreSQL only) to a subquery that must stay a test of each row: PostgreSQL
turns an ``EXISTS`` into a semi-join it may drive from the subquery's side, but never one with
an ``OFFSET`` (its planner keeps ``OFFSET 0`` as the traditional fence on purpose). SQLite
never flattens a correlated ``EXISTS``, and its statements stay as they were."""


def member_of_branches(version: Any, prefix: str) -> ColumnElement[bool]:
    """``version`` is on one of the branches bound as ``{prefix}_branches``, tested row by row
    (``EXISTS`` on the branch's unique key): for rows read newest first and stopped after a
    page. As ``IN (subquery)``, PostgreSQL's generic plan compared each row with every
    version of the branch (its size is not known when the plan is made); as a plain
    ``EXISTS`` it became a semi-join that read the whole branch first (every version of it,
    then each one's pact: the walk never stopped, issue #20), hence ``PLANNER_FENCE``."""
    branches: Any = bindparam(f"{prefix}_branches", expanding=True)
    return exists_per_row(
        select(BranchVersion.id).where(
            BranchVersion.version_id == version, BranchVersion.branch_id.in_(branches)
        )
    )


def exists_per_row(query: Select[Any]) -> Exists:
    """``EXISTS (query)``, kept a test of each outer row on PostgreSQL (``PLANNER_FENCE``)."""
    return query.suffix_with(PLANNER_FENCE, dialect="postgresql").exists()


def side_criteria(
    pacticipant: QueryableAttribute[int],
    version: QueryableAttribute[int],
    prefix: str,
    shape: SideShape,
    drive: bool = True,
) -> ColumnElement[bool]:
    """Rows of the named pacticipants (bind ``{prefix}_name_only``), of the selected versions
    (bind ``{prefix}_versions``) or of the selected branches (bind ``{prefix}_branches``);
    none when the question has neither."""
    criteria: list[ColumnElement[bool]] = []
    if shape.name_only:
        criteria.append(pacticipant.in_(bindparam(f"{prefix}_name_only", expanding=True)))
    if shape.versions:
        criteria.append(version.in_(bindparam(f"{prefix}_versions", expanding=True)))
    if shape.branches:
        criteria.append(on_branches(version, prefix, drive))
    return or_(*criteria) if criteria else false()
