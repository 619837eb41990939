"""What a page shows beside a version: its number, branches and tags, and what runs where.

The index, the pacticipant page, the pacticipant list, the network and the verification page
all label versions and placements for a page of rows at once; each is one statement for the
whole page (a ``UNION ALL`` of its parts), because three statements cost three times
SQLAlchemy's per-statement Python, which was more than SQLite spent answering them.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, CompoundSelect, String, bindparam, literal, select, union_all
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    BranchVersion,
    DeployedVersion,
    Environment,
    ReleasedVersion,
    Tag,
    Version,
)

_IDS: BindParameter[int] = bindparam("ids", expanding=True)


@dataclass(frozen=True, slots=True)
class VersionLabel:
    """A version as the index shows it: its number with its branches and tags."""

    number: str
    branches: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Placement:
    """A version currently deployed to (or released and supported in) an environment."""

    environment: str
    version: str
    released: bool = False
    application_instance: str | None = None


_VERSION_LABEL_PARTS = union_all(
    select(
        literal(0).label("part"),
        Version.id.label("version_id"),
        Version.number.label("text"),
        literal(0).label("position"),
    ).where(Version.id.in_(_IDS)),
    select(literal(1), BranchVersion.version_id, BranchVersion.branch_name, BranchVersion.id).where(
        BranchVersion.version_id.in_(_IDS)
    ),
    select(literal(2), Tag.version_id, Tag.name, Tag.id).where(Tag.version_id.in_(_IDS)),
).order_by("part", "position")
"""The versions' numbers (part 0), branches (1) and tags (2), each in the order it was made."""
_PLACEMENTS: CompoundSelect[*tuple[Any, ...]] = union_all(
    select(
        literal(0).label("released"),
        DeployedVersion.pacticipant_id.label("pacticipant_id"),
        Environment.name.label("environment"),
        Version.number.label("number"),
        DeployedVersion.application_instance.label("instance"),
        DeployedVersion.created_at.label("at"),
        DeployedVersion.id.label("position"),
    )
    .join(Environment, Environment.id == DeployedVersion.environment_id)
    .join(Version, Version.id == DeployedVersion.version_id)
    .where(DeployedVersion.pacticipant_id.in_(_IDS), DeployedVersion.undeployed_at.is_(None)),
    select(
        literal(1),
        ReleasedVersion.pacticipant_id,
        Environment.name,
        Version.number,
        literal(None, String()),
        ReleasedVersion.created_at,
        ReleasedVersion.id,
    )
    .join(Environment, Environment.id == ReleasedVersion.environment_id)
    .join(Version, Version.id == ReleasedVersion.version_id)
    .where(ReleasedVersion.pacticipant_id.in_(_IDS), ReleasedVersion.support_ended_at.is_(None)),
).order_by("released", "at", "position")
"""What is deployed (oldest first), then what is released and supported, in one round trip."""


def version_labels(session: Session, version_ids: Iterable[int]) -> dict[int, VersionLabel]:
    ids = sorted(set(version_ids))
    if not ids:
        return {}
    numbers: dict[int, str] = {}
    branches: dict[int, list[str]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    for part, version_id, text, _ in session.execute(_VERSION_LABEL_PARTS, {"ids": ids}):
        if part == 0:
            numbers[version_id] = text
        else:
            (branches if part == 1 else tags)[version_id].append(text)
    return {
        vid: VersionLabel(numbers[vid], tuple(branches[vid]), tuple(tags[vid]))
        for vid in ids
        if vid in numbers
    }


def current_placements(
    session: Session, pacticipant_ids: Iterable[int]
) -> dict[int, dict[str, list[Placement]]]:
    """pacticipant id → environment name → what runs (or is supported) there now."""
    ids = sorted(set(pacticipant_ids))
    found: dict[int, dict[str, list[Placement]]] = defaultdict(lambda: defaultdict(list))
    if not ids:
        return {}
    rows = session.execute(_PLACEMENTS, {"ids": ids})
    for released, pacticipant_id, environment, number, instance, _, _ in rows:
        placement = Placement(environment, number, bool(released), None if released else instance)
        found[pacticipant_id][environment].append(placement)
    return {pid: dict(envs) for pid, envs in found.items()}
