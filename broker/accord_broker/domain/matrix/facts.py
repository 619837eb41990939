"""What a matrix row shows about each version: its branches, tags and current environments.

Loaded for all the rows' versions at once (three queries, whatever the number of rows), so
rendering a full page of rows costs the same as rendering one.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

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


def version_facts(session: Session, version_ids: Iterable[int]) -> dict[int, VersionFacts]:
    ids = sorted(set(version_ids))
    facts = {version_id: VersionFacts() for version_id in ids}
    if not ids:
        return facts
    branch_rows = session.execute(
        select(BranchVersion.version_id, Branch.name, Branch.head_version_id)
        .join(Branch, Branch.id == BranchVersion.branch_id)
        .where(BranchVersion.version_id.in_(ids))
        .order_by(BranchVersion.id)
    ).all()
    for version_id, name, head in branch_rows:
        facts[version_id].branches.append((name, head == version_id))
    tag_rows = session.execute(
        select(Tag.version_id, Tag.pacticipant_id, Tag.name, Tag.version_order)
        .where(Tag.version_id.in_(ids))
        .order_by(Tag.created_at, Tag.id)
    ).all()
    newest: dict[tuple[int, str], int] = {}
    pairs = sorted({(row[1], row[2]) for row in tag_rows})
    if pairs:
        newest_rows = session.execute(
            select(Tag.pacticipant_id, Tag.name, func.max(Tag.version_order))
            .where(tuple_(Tag.pacticipant_id, Tag.name).in_(pairs))
            .group_by(Tag.pacticipant_id, Tag.name)
        ).all()
        newest = {(p, n): int(o) for p, n, o in newest_rows}
    for version_id, pacticipant_id, name, order in tag_rows:
        latest = newest.get((pacticipant_id, name)) == order
        facts[version_id].tags.append(TagFact(name, latest))
    _environments(session, ids, facts)
    return facts


def _environments(session: Session, ids: list[int], facts: dict[int, VersionFacts]) -> None:
    deployed = session.execute(
        select(DeployedVersion.version_id, DeployedVersion.created_at, Environment)
        .join(Environment, Environment.id == DeployedVersion.environment_id)
        .where(DeployedVersion.version_id.in_(ids), DeployedVersion.undeployed_at.is_(None))
    ).all()
    released = session.execute(
        select(ReleasedVersion.version_id, ReleasedVersion.created_at, Environment)
        .join(Environment, Environment.id == ReleasedVersion.environment_id)
        .where(ReleasedVersion.version_id.in_(ids), ReleasedVersion.support_ended_at.is_(None))
    ).all()
    entries: list[tuple[datetime, int, Environment]] = [
        (created, version_id, env) for version_id, created, env in [*deployed, *released]
    ]
    for _created, version_id, env in sorted(entries, key=lambda e: e[0]):
        if env not in facts[version_id].environments:
            facts[version_id].environments.append(env)
