"""What a matrix row shows about each version: its branches, tags and current environments.

Loaded for all the rows' versions at once (three queries, whatever the number of rows), so
rendering a full page of rows costs the same as rendering one.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select, union_all
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    BranchVersion,
    DeployedVersion,
    Environment,
    ReleasedVersion,
    Tag,
)


@dataclass(frozen=True, slots=True)
class TagFact:
    name: str
    latest: bool
    """No newer version of the pacticipant carries this tag."""


@dataclass(slots=True)
class VersionFacts:
    branches: list[tuple[str, bool]] = field(default_factory=list)
    """(branch name, this version is the branch head), in the order they were added."""
    tags: list[TagFact] = field(default_factory=list)
    environments: list[Environment] = field(default_factory=list)
    """Where the version is currently deployed or supported, first recorded first."""


_IDS: Any = bindparam("ids", expanding=True)


@cache
def _statements() -> dict[str, Select[*tuple[Any, ...]]]:
    """Built once: constructing SQLAlchemy statements costs more than these indexed lookups."""
    newest = aliased(Tag)
    newest_order = (
        select(func.max(newest.version_order))
        .where(newest.pacticipant_id == Tag.pacticipant_id, newest.name == Tag.name)
        .scalar_subquery()
    )
    return {
        "branches": select(BranchVersion.version_id, Branch.name, Branch.head_version_id)
        .join(Branch, Branch.id == BranchVersion.branch_id)
        .where(BranchVersion.version_id.in_(_IDS))
        .order_by(BranchVersion.id),
        "tags": select(Tag.version_id, Tag.name, Tag.version_order == newest_order)
        .where(Tag.version_id.in_(_IDS))
        .order_by(Tag.created_at, Tag.id),
        "environments": _current_environments(),
    }


def _current_environments() -> Select[*tuple[Any, ...]]:
    deployed = select(
        DeployedVersion.version_id, DeployedVersion.created_at, DeployedVersion.environment_id
    ).where(DeployedVersion.version_id.in_(_IDS), DeployedVersion.undeployed_at.is_(None))
    released = select(
        ReleasedVersion.version_id, ReleasedVersion.created_at, ReleasedVersion.environment_id
    ).where(ReleasedVersion.version_id.in_(_IDS), ReleasedVersion.support_ended_at.is_(None))
    current = union_all(deployed, released).subquery("current")
    return (
        select(current.c.version_id, current.c.created_at, Environment)
        .join(Environment, Environment.id == current.c.environment_id)
        .order_by(current.c.created_at)
    )


def version_facts(session: Session, version_ids: Iterable[int]) -> dict[int, VersionFacts]:
    ids = sorted(set(version_ids))
    facts = {version_id: VersionFacts() for version_id in ids}
    if not ids:
        return facts
    statements = _statements()
    params = {"ids": ids}
    for version_id, name, head in session.execute(statements["branches"], params).all():
        facts[version_id].branches.append((name, head == version_id))
    for version_id, name, latest in session.execute(statements["tags"], params).all():
        facts[version_id].tags.append(TagFact(name, bool(latest)))
    for version_id, _created, env in session.execute(statements["environments"], params).all():
        if env not in facts[version_id].environments:
            facts[version_id].environments.append(env)
    return facts
