"""What the matrix page shows beside its rows: each version's branches, tags and current
environments by name, and which results were provider contract comparisons.

``facts.version_facts`` answers the API's matrix, whose rows embed every field of a tag and
an environment; the page shows names only. Asking for names alone spares the page the newest
tag of each (pacticipant, tag name) (a subquery per tag), the datetimes parsed per fact only to
be dropped, and a statement of its own for the comparisons: one statement for the whole page,
built once per process, in the order ``version_facts`` gives (so the chips are the same).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    BindParameter,
    Boolean,
    CompoundSelect,
    Integer,
    Select,
    bindparam,
    cast,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from accord_broker.db.models import (
    Branch,
    BranchVersion,
    DeployedVersion,
    Environment,
    ReleasedVersion,
    Tag,
    Verification,
)
from accord_broker.db.types import UtcDateTime
from accord_broker.domain.provider_contracts.results import is_comparison

_VERSIONS: BindParameter[int] = bindparam("versions", expanding=True)
_RESULTS: BindParameter[int] = bindparam("results", expanding=True)
_ENVIRONMENT, _BRANCH, _TAG, _COMPARISON = range(4)


@dataclass(slots=True)
class VersionChips:
    """A version's chips on the matrix page, each kind in the order ``version_facts`` gives."""

    branches: list[tuple[str, bool]] = field(default_factory=list)
    """(branch name, this version is the branch head), in the order they were added."""
    tags: list[str] = field(default_factory=list)
    """Tag names, first created first."""
    environments: list[str] = field(default_factory=list)
    """Where the version is currently deployed or supported, first recorded first."""


@dataclass(frozen=True, slots=True)
class MatrixPageChips:
    versions: dict[int, VersionChips]
    """Every asked version id → its chips (empty when it has none)."""
    comparisons: frozenset[int]
    """The asked results that are provider contract comparisons."""


def _part(part: int, key: Any, **more: Any) -> Select[Any]:
    """One part's row: (part, key, text, flag, at, position, verified_by), the columns it has
    no use for null. ``at`` and ``position`` only order the rows: ``at`` is read as stored,
    not converted to a datetime."""
    return select(
        literal(part, Integer).label("part"),
        key.label("key"),
        more.get("text", null()).label("text"),
        # typed for PostgreSQL's UNION, read as stored (``bool()`` below)
        type_coerce(more.get("flag", cast(null(), Boolean())), NullType()).label("flag"),
        type_coerce(more.get("at", cast(null(), UtcDateTime())), NullType()).label("at"),
        more.get("position", cast(null(), BigInteger())).label("position"),
        more.get("verified_by", cast(null(), JSON())).label("verified_by"),
    )


@cache
def _chips_statement() -> CompoundSelect[Any]:
    """The versions' current environments (deployments and releases together, by when they
    were recorded), branches (with whether the version is the head) and tags, then the
    results' ``verifiedBy``; parts in that order, each by when, then by position."""
    places = [
        _part(
            _ENVIRONMENT,
            record.version_id,
            text=Environment.name,
            at=record.created_at,
            position=record.id,
        )
        .join(Environment, Environment.id == record.environment_id)
        .where(record.version_id.in_(_VERSIONS), ended.is_(None))
        for record, ended in (
            (DeployedVersion, DeployedVersion.undeployed_at),
            (ReleasedVersion, ReleasedVersion.support_ended_at),
        )
    ]
    branches = (
        _part(
            _BRANCH,
            BranchVersion.version_id,
            text=Branch.name,
            flag=Branch.head_version_id == BranchVersion.version_id,
            position=BranchVersion.id,
        )
        .join(Branch, Branch.id == BranchVersion.branch_id)
        .where(BranchVersion.version_id.in_(_VERSIONS))
    )
    tags = _part(_TAG, Tag.version_id, text=Tag.name, at=Tag.created_at, position=Tag.id).where(
        Tag.version_id.in_(_VERSIONS)
    )
    results = _part(_COMPARISON, Verification.id, verified_by=Verification.verified_by).where(
        Verification.id.in_(_RESULTS)
    )
    return union_all(*places, branches, tags, results).order_by("part", "at", "position")


def matrix_page_chips(
    session: Session, version_ids: Iterable[int], verification_ids: Iterable[int]
) -> MatrixPageChips:
    """The chips of ``version_ids`` and which of ``verification_ids`` are comparisons."""
    ids = sorted(set(version_ids))
    results = sorted(set(verification_ids))
    chips = {version_id: VersionChips() for version_id in ids}
    if not ids and not results:
        return MatrixPageChips(chips, frozenset())
    comparisons = set()
    params = {"versions": ids, "results": results}
    rows = session.execute(_chips_statement(), params).all()
    for part, key, text, flag, _, _, verified_by in rows:
        if part == _BRANCH:
            chips[key].branches.append((text, bool(flag)))
        elif part == _TAG:
            chips[key].tags.append(text)
        elif part == _ENVIRONMENT:
            # deployed to and released in the same environment: one chip
            if text not in chips[key].environments:
                chips[key].environments.append(text)
        elif is_comparison(verified_by):
            comparisons.add(key)
    return MatrixPageChips(chips, frozenset(comparisons))
