"""Which rows one side of the matrix (consumer or provider) is asked about, shared by the two
row sources (``rows.py``: the latest-only caches; ``every_row.py``: every revision)."""

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Exists, Select, and_, bindparam, false, or_, select
from sqlalchemy.orm import QueryableAttribute

from accord_broker.db.models import BranchVersion, Tag


class SideShape(Protocol):
    """What kinds of selectors a question has: name only (every version), versions, every
    version on a branch or every version with a tag (each kept as one selector: a branch or
    a tag can hold thousands of versions)."""

    @property
    def name_only(self) -> bool: ...

    @property
    def versions(self) -> bool: ...

    @property
    def branches(self) -> bool: ...

    @property
    def tags(self) -> int:
        """How many whole tags: a statement is built for that many (pacticipant id, tag
        name) pairs (``tag_params``)."""


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


def tag_params(prefix: str, tags: Sequence[tuple[int, str]]) -> dict[str, object]:
    """The values of the ``tags`` (pacticipant id, tag name) pairs, as a statement built for
    ``len(tags)`` of them (``on_tags``, ``member_of_tags``) binds them."""
    params: dict[str, object] = {}
    for n, (owner, name) in enumerate(tags):
        params[f"{prefix}_tag_owner_{n}"] = owner
        params[f"{prefix}_tag_{n}"] = name
    return params


def _tagged(prefix: str, count: int) -> ColumnElement[bool]:
    """A ``tags`` row is one of ``count`` (pacticipant id, tag name) pairs (``tag_params``).

    Pairs, not a list of pacticipants and one of names, so that a consumer's ``dev`` and a
    provider's ``prod`` do not let in a consumer version tagged ``prod``. Spelled as one
    ``pacticipant_id = ? AND name = ?`` per pair, which both databases read as that many
    ranges of ``(pacticipant_id, name, version_order)``: as ``(pacticipant_id, name) IN
    (VALUES …)`` SQLite scanned every tag there is."""
    tagged = (
        and_(
            Tag.pacticipant_id == bindparam(f"{prefix}_tag_owner_{n}"),
            Tag.name == bindparam(f"{prefix}_tag_{n}"),
        )
        for n in range(count)
    )
    return or_(false(), *tagged)


def on_tags(version: Any, prefix: str, count: int, drive: bool = True) -> ColumnElement[bool]:
    """``version`` carries one of the ``count`` tags bound with ``prefix`` (``tag_params``): a
    subquery, so a tag on thousands of versions binds one pair, not thousands of ids (issue
    #20). ``drive=False`` tests each row instead (``member_of_tags``), as ``on_branches``
    does and for the same reason."""
    if not drive:
        return member_of_tags(version, prefix, count)
    criterion: ColumnElement[bool] = version.in_(
        select(Tag.version_id).where(_tagged(prefix, count))
    )
    return criterion


def member_of_tags(version: Any, prefix: str, count: int) -> ColumnElement[bool]:
    """``version`` carries one of the ``count`` tags bound with ``prefix``, tested row by row
    (``EXISTS`` on the unique ``(version_id, name)``: a version carries a few tags), fenced
    as ``member_of_branches`` is, for rows read newest first and stopped after a page."""
    tagged = select(Tag.id).where(Tag.version_id == version, _tagged(prefix, count))
    return exists_per_row(tagged)


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
    (bind ``{prefix}_versions``), of the selected branches (bind ``{prefix}_branches``) or of
    the selected tags (``tag_params``); none when the question has none of them."""
    criteria: list[ColumnElement[bool]] = []
    if shape.name_only:
        criteria.append(pacticipant.in_(bindparam(f"{prefix}_name_only", expanding=True)))
    if shape.versions:
        criteria.append(version.in_(bindparam(f"{prefix}_versions", expanding=True)))
    if shape.branches:
        criteria.append(on_branches(version, prefix, drive))
    if shape.tags:
        criteria.append(on_tags(version, prefix, shape.tags, drive))
    return or_(*criteria) if criteria else false()
