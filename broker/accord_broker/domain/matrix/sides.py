"""Which rows one side of the matrix (consumer or provider) is asked about, shared by the two
row sources (``rows.py``: the latest-only caches; ``every_row.py``: every revision)."""

from typing import Protocol

from sqlalchemy import ColumnElement, bindparam, false, or_
from sqlalchemy.orm import QueryableAttribute


class SideShape(Protocol):
    """What kinds of selectors a question has: name only (every version), or versions."""

    @property
    def name_only(self) -> bool: ...

    @property
    def versions(self) -> bool: ...


def side_criteria(
    pacticipant: QueryableAttribute[int],
    version: QueryableAttribute[int],
    prefix: str,
    shape: SideShape,
) -> ColumnElement[bool]:
    """Rows of the named pacticipants (bind ``{prefix}_name_only``) or of the selected versions
    (bind ``{prefix}_versions``); none when the question has neither."""
    criteria: list[ColumnElement[bool]] = []
    if shape.name_only:
        criteria.append(pacticipant.in_(bindparam(f"{prefix}_name_only", expanding=True)))
    if shape.versions:
        criteria.append(version.in_(bindparam(f"{prefix}_versions", expanding=True)))
    return or_(*criteria) if criteria else false()
