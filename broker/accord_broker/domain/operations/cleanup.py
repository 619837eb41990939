"""Data retention: delete old versions, keeping everything can-i-deploy and verification need.

History grows with every build (a version, a pact publication, a verification per pipeline
run); the Pact Broker's users report queries slowing down at hundreds of thousands of rows
(broker.md §5.2). ``clean`` deletes the versions no *keep selector* matches, oldest first and
in batches, and then the pact content nothing publishes any more. The selectors follow the
Pact Broker's ``PACT_BROKER_DATABASE_CLEAN_KEEP_VERSION_SELECTORS``; the defaults keep the
deployed and released versions, the latest version of every pacticipant, of every branch (so
every main branch head) and of every tag, and everything younger than 90 days.

Deleting a version cascades (foreign keys) to its tags, branch memberships, pact publications,
verifications it made as a provider, and deployments/releases; branch heads that pointed at a
deleted version move back to the branch's previous version.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    delete,
    func,
    select,
    union,
)
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    BranchVersion,
    DeployedVersion,
    Pacticipant,
    PactPublication,
    PactVersion,
    ReleasedVersion,
    Tag,
    Version,
)
from accord_broker.db.types import utc_now
from accord_broker.domain.versions.branches import repair_branch_heads
from accord_broker.domain.versions.tags import repair_tag_heads
from accord_broker.errors import BrokerInputError

DELETION_BATCH = 1000
"""Versions deleted per statement: long single deletes block writers (Pact Broker issue #360)."""


@dataclass(frozen=True, slots=True)
class KeepSelector:
    """Which versions to keep. The set fields of one selector must all match (AND); a version is
    kept when any selector matches it (OR).

    ``tag``/``branch`` are a name, or ``True`` for "any"; with ``latest`` only the newest version
    per tag/branch (per pacticipant) is kept.
    """

    deployed: bool = False
    released: bool = False
    latest: bool = False
    tag: str | bool | None = None
    branch: str | bool | None = None
    main_branch: bool = False
    max_age_days: int | None = None
    pacticipant: str | None = None


DEFAULT_KEEP: tuple[KeepSelector, ...] = (
    KeepSelector(deployed=True),
    KeepSelector(released=True),
    KeepSelector(latest=True),
    KeepSelector(branch=True, latest=True),
    KeepSelector(main_branch=True, latest=True),
    KeepSelector(tag=True, latest=True),
    KeepSelector(max_age_days=90),
)


@dataclass(frozen=True, slots=True)
class CleanReport:
    """What a clean did (or, with ``dry_run``, would do)."""

    deleted_versions: int
    kept_versions: int
    deleted_pact_versions: int
    dry_run: bool = False
    deleted: list[str] = field(default_factory=list)
    """``pacticipant@version`` of (up to 100 of) the deleted versions, for the log."""


_KEYS = {
    "deployed": "deployed",
    "released": "released",
    "latest": "latest",
    "tag": "tag",
    "branch": "branch",
    "mainBranch": "main_branch",
    "main_branch": "main_branch",
    "maxAge": "max_age_days",
    "max_age": "max_age_days",
    "pacticipant": "pacticipant",
}


def parse_keep_selectors(text: str) -> tuple[KeepSelector, ...]:
    """Keep selectors from JSON, as the Pact Broker takes them:
    ``[{"deployed": true}, {"branch": true, "latest": true}, {"max_age": 90}]``.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BrokerInputError(f"keep selectors are not valid JSON: {exc.msg}") from exc
    items = data if isinstance(data, list) else [data]
    return tuple(_keep_selector(item, index) for index, item in enumerate(items))


def _keep_selector(item: Any, index: int) -> KeepSelector:
    if not isinstance(item, dict) or not item:
        raise BrokerInputError(f"keep selector {index} must be a non-empty JSON object")
    values: dict[str, Any] = {}
    for key, value in item.items():
        if key not in _KEYS:
            known = ", ".join(sorted(k for k in _KEYS if "_" not in k))
            raise BrokerInputError(f"keep selector {index} has unknown key {key!r}; use {known}")
        values[_KEYS[key]] = value
    age = values.get("max_age_days")
    if age is not None and (not isinstance(age, int) or isinstance(age, bool) or age < 0):
        raise BrokerInputError(f"keep selector {index}: max_age must be a number of days")
    return KeepSelector(**values)


def _kept_by(selector: KeepSelector) -> Select[Any]:
    """The ids of the versions ``selector`` keeps."""
    query = select(Version.id)
    conditions: list[ColumnElement[bool]] = []
    if selector.pacticipant is not None:
        query = query.join(Pacticipant, Pacticipant.id == Version.pacticipant_id)
        conditions.append(Pacticipant.name == selector.pacticipant)
    if selector.deployed:
        conditions.append(
            Version.id.in_(
                select(DeployedVersion.version_id).where(DeployedVersion.undeployed_at.is_(None))
            )
        )
    if selector.released:
        conditions.append(
            Version.id.in_(
                select(ReleasedVersion.version_id).where(ReleasedVersion.support_ended_at.is_(None))
            )
        )
    if selector.max_age_days is not None:
        cutoff = utc_now() - timedelta(days=selector.max_age_days)
        conditions.append(Version.created_at >= cutoff)
    if selector.tag is not None and selector.tag is not False:
        conditions.append(Version.id.in_(_tagged(selector.tag, latest=selector.latest)))
    if selector.branch is not None and selector.branch is not False:
        conditions.append(Version.id.in_(_on_branch(selector.branch, latest=selector.latest)))
    if selector.main_branch:
        conditions.append(Version.id.in_(_on_main_branch(latest=selector.latest)))
    only_latest = selector.latest and not (selector.tag or selector.branch or selector.main_branch)
    if only_latest:
        newest = (
            select(Version.pacticipant_id, func.max(Version.order).label("top"))
            .group_by(Version.pacticipant_id)
            .subquery()
        )
        query = query.join(
            newest,
            and_(newest.c.pacticipant_id == Version.pacticipant_id, newest.c.top == Version.order),
        )
    return query.where(*conditions)


def _tagged(tag: str | bool, *, latest: bool) -> Select[Any]:
    named = [] if tag is True else [Tag.name == tag]
    if not latest:
        return select(Tag.version_id).where(*named)
    newest = aliased(Tag)
    top = (
        select(func.max(newest.version_order))
        .where(newest.pacticipant_id == Tag.pacticipant_id, newest.name == Tag.name)
        .scalar_subquery()
    )
    return select(Tag.version_id).where(*named, Tag.version_order == top)


def _on_branch(branch: str | bool, *, latest: bool) -> Select[Any]:
    if latest:
        heads = select(Branch.head_version_id).where(Branch.head_version_id.is_not(None))
        return heads if branch is True else heads.where(Branch.name == branch)
    members = select(BranchVersion.version_id)
    return members if branch is True else members.where(BranchVersion.branch_name == branch)


def _on_main_branch(*, latest: bool) -> Select[Any]:
    if latest:
        return (
            select(Branch.head_version_id)
            .join(Pacticipant, Pacticipant.id == Branch.pacticipant_id)
            .where(Branch.name == Pacticipant.main_branch, Branch.head_version_id.is_not(None))
        )
    return (
        select(BranchVersion.version_id)
        .join(Pacticipant, Pacticipant.id == BranchVersion.pacticipant_id)
        .where(BranchVersion.branch_name == Pacticipant.main_branch)
    )


def _kept_ids(keep: Sequence[KeepSelector]) -> CompoundSelect[Any]:
    return union(*(_kept_by(selector) for selector in keep))


def clean(
    session: Session,
    keep: Sequence[KeepSelector] = DEFAULT_KEEP,
    *,
    limit: int | None = None,
    dry_run: bool = False,
) -> CleanReport:
    """Delete (at most ``limit``, oldest first) the versions no ``keep`` selector matches.

    ``keep`` must not be empty: deleting *everything* is a mistake, not a retention policy.
    """
    if not keep:
        raise BrokerInputError("clean needs at least one keep selector (see DEFAULT_KEEP)")
    kept = _kept_ids(keep).subquery()
    doomed_query = (
        select(Version.id, Pacticipant.name, Version.number)
        .join(Pacticipant, Pacticipant.id == Version.pacticipant_id)
        .where(Version.id.not_in(select(kept.c.id)))
        .order_by(Version.id)
    )
    if limit is not None:
        doomed_query = doomed_query.limit(limit)
    doomed = session.execute(doomed_query).all()
    total = session.scalar(select(func.count()).select_from(Version)) or 0
    names = [f"{name}@{number}" for _, name, number in doomed[:100]]
    if dry_run:
        return CleanReport(len(doomed), total - len(doomed), 0, dry_run=True, deleted=names)
    ids = [row[0] for row in doomed]
    for start in range(0, len(ids), DELETION_BATCH):
        batch = ids[start : start + DELETION_BATCH]
        session.execute(delete(Version).where(Version.id.in_(batch)))
    repair_branch_heads(session)
    repair_tag_heads(session)
    orphans = delete_orphaned_pact_versions(session)
    return CleanReport(len(ids), total - len(ids), orphans, deleted=names)


def delete_orphaned_pact_versions(session: Session) -> int:
    """Delete pact content that no publication refers to any more (with its verifications)."""
    used = select(PactPublication.pact_version_id)
    result = session.execute(delete(PactVersion).where(PactVersion.id.not_in(used)))
    return int(getattr(result, "rowcount", 0) or 0)
