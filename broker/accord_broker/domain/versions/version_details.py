"""What a listed version shows besides its own row: its tags, its branches (and whether it is
each branch's head) and the providers it has a current pact with, read for a whole list in
one statement.

The three are one ``UNION ALL`` filtered by the list's scope (a batch of version ids, every
version of a pacticipant, or every version on a branch), each part in its own order (tags in
the order they were added, branches in the order the version was put on them, providers by
id). Issue #20: they were three statements, each built again for every request (building and
compiling a statement costs more than running these), so a page of 100 versions ran seven
statements in all.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Integer,
    bindparam,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from accord_broker.db.models import Branch, BranchVersion, LatestPactPublication, Pacticipant, Tag

__all__ = ["BranchHead", "Details", "Scope", "read_details"]


@dataclass(frozen=True, slots=True)
class BranchHead:
    """A branch a version is on, and whether the version is that branch's newest."""

    name: str
    latest: bool


class _By(Enum):
    """How a scope names the versions whose details are read."""

    IDS = "ids"
    PACTICIPANT = "pacticipant"
    BRANCH = "branch"


@dataclass(frozen=True, slots=True)
class Scope:
    """Which details to read: a superset of the listed versions' own, filtered in SQL (by a
    batch of ids, the pacticipant or the branch), so a whole list costs one statement."""

    by: _By
    value: Any

    @classmethod
    def of_ids(cls, ids: list[int]) -> "Scope":
        return cls(_By.IDS, ids)

    @classmethod
    def of_pacticipant(cls, pacticipant_id: int) -> "Scope":
        return cls(_By.PACTICIPANT, pacticipant_id)

    @classmethod
    def of_branch(cls, branch_id: int) -> "Scope":
        return cls(_By.BRANCH, branch_id)


@dataclass(frozen=True, slots=True)
class Details:
    """The listed versions' details by version id (only versions that have some: thousands
    of empty lists are garbage-collector work for nothing)."""

    tags: dict[int, list[str]]
    branches: dict[int, list[BranchHead]]
    pact_providers: dict[int, list[str]]


_TAG, _BRANCH, _PACT = 0, 1, 2
_VALUE: BindParameter[Any] = bindparam("scope")
_IDS: BindParameter[Any] = bindparam("scope_ids", expanding=True)


def _conditions(by: _By) -> tuple[ColumnElement[bool], ColumnElement[bool], ColumnElement[bool]]:
    """The scope's filter on tags, branch memberships and current pacts."""
    if by is _By.IDS:
        return (
            Tag.version_id.in_(_IDS),
            BranchVersion.version_id.in_(_IDS),
            LatestPactPublication.consumer_version_id.in_(_IDS),
        )
    if by is _By.PACTICIPANT:
        return (
            Tag.pacticipant_id == _VALUE,
            BranchVersion.pacticipant_id == _VALUE,
            LatestPactPublication.consumer_id == _VALUE,
        )
    on_branch = select(BranchVersion.version_id).where(BranchVersion.branch_id == _VALUE)
    return (
        Tag.version_id.in_(on_branch),
        BranchVersion.version_id.in_(on_branch),
        LatestPactPublication.consumer_version_id.in_(on_branch),
    )


@cache
def _statement(by: _By) -> CompoundSelect[*tuple[Any, ...]]:
    """Rows of ``(kind, version id, name, branch head id, position)``, ordered by kind, then
    position: tag ids, branch membership ids, provider ids."""
    tags, memberships, pacts = _conditions(by)
    return union_all(
        select(
            literal_column(str(_TAG), Integer).label("kind"),
            Tag.version_id.label("version_id"),
            Tag.name.label("name"),
            null().label("head"),
            Tag.id.label("position"),
        ).where(tags),
        select(
            literal_column(str(_BRANCH), Integer),
            BranchVersion.version_id,
            Branch.name,
            Branch.head_version_id,
            BranchVersion.id,
        )
        .join(Branch, BranchVersion.branch_id == Branch.id)
        .where(memberships),
        select(
            literal_column(str(_PACT), Integer),
            LatestPactPublication.consumer_version_id,
            Pacticipant.name,
            null(),
            LatestPactPublication.provider_id,
        )
        .join(Pacticipant, LatestPactPublication.provider_id == Pacticipant.id)
        .where(pacts),
    ).order_by("kind", "position")


def _append(found: dict[int, list[Any]], version_id: int, value: Any) -> None:
    values = found.get(version_id)
    if values is None:
        found[version_id] = [value]
    else:
        values.append(value)


def read_details(session: Session, scope: Scope, ids: Collection[int]) -> Details:
    """The details of the versions ``ids`` (which ``scope`` covers), one statement."""
    params = {"scope_ids" if scope.by is _By.IDS else "scope": scope.value}
    rows: Iterable[Any] = session.execute(_statement(scope.by), params).all()
    tags: dict[int, list[str]] = {}
    branches: dict[int, list[BranchHead]] = {}
    providers: dict[int, list[str]] = {}
    for kind, version_id, name, head, _ in rows:
        if version_id not in ids:
            continue
        if kind == _TAG:
            _append(tags, version_id, name)
        elif kind == _BRANCH:
            _append(branches, version_id, BranchHead(name, head == version_id))
        else:
            _append(providers, version_id, name)
    return Details(tags, branches, providers)
