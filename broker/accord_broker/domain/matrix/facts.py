"""What a matrix row shows about each version: its branches, tags and current environments.

Loaded for all the rows' versions at once, in one statement whatever the number of rows, so
rendering a full page of rows costs the same as rendering one.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Integer,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.types import NullType

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


@dataclass(frozen=True, slots=True)
class EnvironmentFact:
    """The environment fields a matrix row embeds."""

    uuid: str
    name: str
    display_name: str | None
    production: bool
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class VersionFacts:
    branches: list[tuple[str, bool]] = field(default_factory=list)
    """(branch name, this version is the branch head), in the order they were added."""
    tags: list[TagFact] = field(default_factory=list)
    environments: list[EnvironmentFact] = field(default_factory=list)
    """Where the version is currently deployed or supported, first recorded first."""


_IDS: Any = bindparam("ids", expanding=True)
_BRANCH, _TAG, _ENVIRONMENT = 0, 1, 2


@cache
def _facts_statement() -> CompoundSelect[Any]:
    """Branches, tags and current environments of the versions, one row per fact.

    Columns: kind, version id, name, flag (branch head / latest tag / production), the order
    within the kind (a time, then an id), then the environment's other fields. One statement
    instead of three: on PostgreSQL each is a round trip, worth more than the lookups.
    """
    no_text, no_time = cast(null(), String), null()
    # the branch's name is on its membership row; whether the version is the branch's head is
    # one primary-key probe per membership (joined or as EXISTS, PostgreSQL hashed every
    # branch there is)
    head = select(Branch.head_version_id).where(Branch.id == BranchVersion.branch_id)
    is_head = head.scalar_subquery() == BranchVersion.version_id
    branches = select(
        literal(_BRANCH),
        BranchVersion.version_id,
        BranchVersion.branch_name,
        is_head,
        no_time,
        BranchVersion.id,
        no_text,
        no_text,
        no_time,
        no_time,
    ).where(BranchVersion.version_id.in_(_IDS))
    newest = aliased(Tag)
    newest_order = (
        select(func.max(newest.version_order))
        .where(newest.pacticipant_id == Tag.pacticipant_id, newest.name == Tag.name)
        .scalar_subquery()
    )
    tags = select(
        literal(_TAG),
        Tag.version_id,
        Tag.name,
        Tag.version_order == newest_order,
        Tag.created_at,
        Tag.id,
        no_text,
        no_text,
        no_time,
        no_time,
    ).where(Tag.version_id.in_(_IDS))
    places = []
    for model, current in (
        (DeployedVersion, DeployedVersion.undeployed_at.is_(None)),
        (ReleasedVersion, ReleasedVersion.support_ended_at.is_(None)),
    ):
        places.append(
            select(
                literal(_ENVIRONMENT).label("kind"),
                model.version_id.label("version_id"),
                Environment.name.label("name"),
                Environment.production.label("flag"),
                # only ordered by, never read: not converted to a datetime for each row
                type_coerce(model.created_at, NullType()).label("order_at"),
                cast(model.id, Integer).label("order_id"),
                Environment.uuid,
                Environment.display_name,
                Environment.created_at,
                Environment.updated_at,
            )
            .join(Environment, Environment.id == model.environment_id)
            .where(model.version_id.in_(_IDS), current)
        )
    # the environments first: a UNION's result types (UtcDateTime here) come from its first part
    facts: CompoundSelect[Any] = union_all(*places, branches, tags)
    columns = facts.selected_columns
    return facts.order_by(columns.kind, columns.order_at, columns.order_id)


def version_facts(session: Session, version_ids: Iterable[int]) -> dict[int, VersionFacts]:
    ids = sorted(set(version_ids))
    facts = {version_id: VersionFacts() for version_id in ids}
    if not ids:
        return facts
    for row in session.execute(_facts_statement(), {"ids": ids}).all():
        kind, version_id, name, flag = row[0], row[1], row[2], bool(row[3])
        version = facts[version_id]
        if kind == _BRANCH:
            version.branches.append((name, flag))
        elif kind == _TAG:
            version.tags.append(TagFact(name, flag))
        else:
            place = EnvironmentFact(row[6], name, row[7], flag, row[8], row[9])
            if place not in version.environments:
                version.environments.append(place)
    return facts
