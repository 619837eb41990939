"""Pending pacts: content the provider has never yet verified successfully on its line of work.

A pending pact's failures do not fail the provider build (research broker.md §3.4). The rules, per
pact content X, are the Pact Broker's:

* with a provider branch B: X is *not* pending when a provider version on B verified it
  successfully, or when a provider version on another branch did so before B was created (a new
  feature branch inherits the main line's state; if B does not exist yet, any branch counts);
* with provider tags only: per tag t, X is not pending for t when a version tagged t verified it
  successfully, or a version with another tag did so before the first tag named t was created;
  X is pending when it is pending for any tag;
* with neither: X is pending when no provider version ever verified it successfully.

The evidence is read for all candidate pacts at once (one query per rule family, through
``ix_verifications_pact_version_id_success``); the decisions are pure functions over it.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import BindParameter, bindparam, func, select
from sqlalchemy.orm import Session

from accord_broker.db.models import Branch, BranchVersion, Tag, Verification, Version

_IDS: BindParameter[int] = bindparam("ids", expanding=True)
"""The candidate pact version ids, bound at execution (cheaper than a literal list per query)."""


@dataclass(frozen=True, slots=True)
class PendingStatus:
    """Whether a pact is pending, and for which of the provider's tags (when tags were given)."""

    pending: bool
    pending_tags: tuple[str, ...] = ()
    non_pending_tags: tuple[str, ...] = ()


@dataclass(slots=True)
class LabelEvidence:
    """Per pact version: for each provider branch (or tag) name, the earliest successful
    verification by a provider version carrying that name."""

    earliest: dict[int, dict[str, datetime]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, pact_version_id: int, name: str, when: datetime) -> None:
        known = self.earliest[pact_version_id].get(name)
        if known is None or when < known:
            self.earliest[pact_version_id][name] = when

    def verified_by(self, pact_version_id: int, name: str) -> bool:
        return name in self.earliest.get(pact_version_id, {})

    def verified_by_another_before(
        self, pact_version_id: int, name: str, cutoff: datetime | None
    ) -> bool:
        """A success by a version with another name, before ``cutoff`` (any time if ``None``)."""
        return any(
            other != name and (cutoff is None or when < cutoff)
            for other, when in self.earliest.get(pact_version_id, {}).items()
        )


def branch_evidence(
    session: Session,
    provider_id: int,
    pact_version_ids: Collection[int],
    *,
    non_wip_only: bool = False,
    use_execution_date: bool = False,
) -> LabelEvidence:
    """Successful verifications of the pacts, keyed by the verifying version's branches."""
    when = Verification.execution_date if use_execution_date else Verification.created_at
    query = (
        select(Verification.pact_version_id, BranchVersion.branch_name, func.min(when))
        .join(
            BranchVersion,
            (BranchVersion.version_id == Verification.provider_version_id)
            & (BranchVersion.pacticipant_id == provider_id),
        )
        .where(
            Verification.pact_version_id.in_(_IDS),
            Verification.success.is_(True),
        )
        .group_by(Verification.pact_version_id, BranchVersion.branch_name)
    )
    if non_wip_only:
        query = query.where(Verification.wip.is_(False))
    evidence = LabelEvidence()
    if pact_version_ids:
        for pact_version_id, name, earliest in session.execute(
            query, {"ids": sorted(pact_version_ids)}
        ).all():
            evidence.add(pact_version_id, name, earliest)
    return evidence


def tag_evidence(
    session: Session,
    provider_id: int,
    pact_version_ids: Collection[int],
    *,
    non_wip_only: bool = False,
    use_execution_date: bool = False,
) -> LabelEvidence:
    """Successful verifications of the pacts, keyed by the verifying version's tags."""
    when = Verification.execution_date if use_execution_date else Verification.created_at
    query = (
        select(Verification.pact_version_id, Tag.name, func.min(when))
        .join(
            Tag,
            (Tag.version_id == Verification.provider_version_id)
            & (Tag.pacticipant_id == provider_id),
        )
        .where(
            Verification.pact_version_id.in_(_IDS),
            Verification.success.is_(True),
        )
        .group_by(Verification.pact_version_id, Tag.name)
    )
    if non_wip_only:
        query = query.where(Verification.wip.is_(False))
    evidence = LabelEvidence()
    if pact_version_ids:
        for pact_version_id, name, earliest in session.execute(
            query, {"ids": sorted(pact_version_ids)}
        ).all():
            evidence.add(pact_version_id, name, earliest)
    return evidence


def ever_verified(session: Session, pact_version_ids: Collection[int]) -> set[int]:
    """The pacts some provider version verified successfully."""
    if not pact_version_ids:
        return set()
    query = (
        select(Verification.pact_version_id)
        .where(
            Verification.pact_version_id.in_(_IDS),
            Verification.success.is_(True),
        )
        .distinct()
    )
    return set(session.scalars(query, {"ids": sorted(pact_version_ids)}).all())


def branch_created_at(session: Session, provider_id: int, branch: str) -> datetime | None:
    return session.scalar(
        select(Branch.created_at).where(Branch.pacticipant_id == provider_id, Branch.name == branch)
    )


def first_branch_version_created_at(
    session: Session, provider_id: int, branch: str
) -> datetime | None:
    """When the first version on the provider's branch was created (``None``: no such branch)."""
    return session.scalar(
        select(Version.created_at)
        .join(BranchVersion, BranchVersion.version_id == Version.id)
        .join(Branch, Branch.id == BranchVersion.branch_id)
        .where(Branch.pacticipant_id == provider_id, Branch.name == branch)
        .order_by(BranchVersion.version_order)
        .limit(1)
    )


def tags_first_created_at(
    session: Session, provider_id: int, tags: Iterable[str]
) -> dict[str, datetime]:
    """For each of the provider's tag names, when the first tag with that name was created."""
    names = sorted(set(tags))
    if not names:
        return {}
    query = (
        select(Tag.name, func.min(Tag.created_at))
        .where(Tag.pacticipant_id == provider_id, Tag.name.in_(names))
        .group_by(Tag.name)
    )
    return {name: created for name, created in session.execute(query).all()}


def pending_for_branch(
    evidence: LabelEvidence, pact_version_id: int, branch: str, branch_created: datetime | None
) -> bool:
    return not (
        evidence.verified_by(pact_version_id, branch)
        or evidence.verified_by_another_before(pact_version_id, branch, branch_created)
    )


def pending_tags_of(
    evidence: LabelEvidence,
    pact_version_id: int,
    tags: Iterable[str],
    first_created: dict[str, datetime],
) -> tuple[str, ...]:
    """The provider tags for which the pact is still pending."""
    return tuple(
        tag
        for tag in tags
        if not (
            evidence.verified_by(pact_version_id, tag)
            or evidence.verified_by_another_before(pact_version_id, tag, first_created.get(tag))
        )
    )


def pending_statuses(
    session: Session,
    provider_id: int,
    pact_version_ids: Collection[int],
    *,
    provider_branch: str | None,
    provider_tags: tuple[str, ...],
) -> dict[int, PendingStatus]:
    """The pending status of each pact version, for this provider build's branch or tags."""
    if provider_branch is not None:
        evidence = branch_evidence(session, provider_id, pact_version_ids)
        created = branch_created_at(session, provider_id, provider_branch)
        return {
            pv: PendingStatus(pending_for_branch(evidence, pv, provider_branch, created))
            for pv in pact_version_ids
        }
    if provider_tags:
        evidence = tag_evidence(session, provider_id, pact_version_ids)
        first_created = tags_first_created_at(session, provider_id, provider_tags)
        statuses = {}
        for pv in pact_version_ids:
            pending = pending_tags_of(evidence, pv, provider_tags, first_created)
            others = tuple(t for t in provider_tags if t not in pending)
            statuses[pv] = PendingStatus(bool(pending), pending, others)
        return statuses
    verified = ever_verified(session, pact_version_ids)
    return {pv: PendingStatus(pv not in verified) for pv in pact_version_ids}
