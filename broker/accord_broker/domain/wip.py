"""Work-in-progress pacts: recent consumer heads this provider line has not verified yet.

WIP pacts let a consumer's new expectations reach the provider build without anybody editing the
provider's selectors; they are always pending, so they never break that build (research
broker.md §3.5). Following the Pact Broker, WIP is computed only when ``includeWipPactsSince``
is given together with a provider branch or provider tags:

1. candidates are the current pacts for this provider published since that date whose consumer
   version is the head of a consumer branch, or the newest version with some tag;
2. minus the content successfully verified, *not as WIP*, by the provider branch (or, per
   provider tag, by a version with that tag): a WIP verification never takes a pact out of WIP;
3. minus the content verified that way by another provider branch (tag) before the provider
   branch's first version (the first tag of that name) was created;
4. minus the content the explicit selectors already chose.

The candidate query starts from a range scan of
``ix_latest_pact_publications_provider_id_created_at`` (publications since the date) and reaches
the heads with LEFT JOINs (index seeks per version), so it touches recent publications only,
however long the history. The LEFT JOINs are deliberate: with inner joins SQLite chose to start
from a full scan of the branches or tags.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, select, union_all
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    LatestPactPublication,
    Pacticipant,
    PactVersion,
    Tag,
    Version,
)
from accord_broker.domain.for_verification_queries import SelectedRow, selected_columns
from accord_broker.domain.pending import (
    branch_evidence,
    first_branch_version_created_at,
    pending_for_branch,
    pending_tags_of,
    tag_evidence,
    tags_first_created_at,
)

LPP = LatestPactPublication
FROM_BRANCH = -1
"""``selector_index`` of candidates that are a consumer branch head (``label`` = branch)."""
FROM_TAG = -2
"""``selector_index`` of candidates that are a consumer tag head (``label`` = tag)."""


@dataclass(frozen=True, slots=True)
class WipCandidate:
    """A WIP pact as selected: the head it came from, and the provider tags it is pending for."""

    row: SelectedRow
    pending_tags: tuple[str, ...] = ()

    @property
    def from_branch(self) -> bool:
        return self.row.selector_index == FROM_BRANCH


CANDIDATE_CONSUMER = aliased(Pacticipant, name="consumer")
HEAD_BRANCH = aliased(Branch, name="head_branch")
HEAD_TAG = aliased(Tag, name="head_tag")
NEWER_TAG = aliased(Tag, name="newer_tag")


def _recent(query: Select[Any], provider_id: int, since: datetime) -> Select[Any]:
    return (
        query.join(Version, Version.id == LPP.consumer_version_id)
        .join(PactVersion, PactVersion.id == LPP.pact_version_id)
        .where(LPP.provider_id == provider_id, LPP.created_at >= since)
    )


def candidate_selects(provider_id: int, since: datetime) -> list[Select[Any]]:
    """The provider's current pacts published since ``since``, each with the consumer branch it
    heads and the consumer tag it heads (``label`` is null when it heads none)."""
    consumer = CANDIDATE_CONSUMER
    by_branch = _recent(
        select(*selected_columns(FROM_BRANCH, consumer, label=HEAD_BRANCH.name))
        .select_from(LPP)
        .join(consumer, consumer.id == LPP.consumer_id)
        .outerjoin(HEAD_BRANCH, HEAD_BRANCH.head_version_id == LPP.consumer_version_id),
        provider_id,
        since,
    )
    head_order = (
        select(func.max(NEWER_TAG.version_order))
        .where(NEWER_TAG.pacticipant_id == HEAD_TAG.pacticipant_id, NEWER_TAG.name == HEAD_TAG.name)
        .scalar_subquery()
    )
    by_tag = _recent(
        select(*selected_columns(FROM_TAG, consumer, label=HEAD_TAG.name))
        .select_from(LPP)
        .join(consumer, consumer.id == LPP.consumer_id)
        .outerjoin(
            HEAD_TAG,
            and_(
                HEAD_TAG.version_id == LPP.consumer_version_id,
                HEAD_TAG.version_order == head_order,
            ),
        ),
        provider_id,
        since,
    )
    return [by_branch, by_tag]


def _candidates(session: Session, provider_id: int, since: datetime) -> list[SelectedRow]:
    statement = union_all(*candidate_selects(provider_id, since))
    rows = session.execute(statement).all()
    return [SelectedRow(**row._asdict()) for row in rows if row.label is not None]


def wip_pacts(
    session: Session,
    provider_id: int,
    since: datetime,
    *,
    provider_branch: str | None,
    provider_tags: tuple[str, ...],
    explicit_pact_version_ids: Collection[int],
) -> list[WipCandidate]:
    """The WIP pacts for this provider build (empty without a branch or tags)."""
    if provider_branch is None and not provider_tags:
        return []
    candidates = [
        row
        for row in _candidates(session, provider_id, since)
        if row.pact_version_id not in explicit_pact_version_ids
    ]
    ids = {row.pact_version_id for row in candidates}
    if not ids:
        return []
    if provider_branch is not None:
        evidence = branch_evidence(
            session, provider_id, ids, non_wip_only=True, use_execution_date=True
        )
        first = first_branch_version_created_at(session, provider_id, provider_branch)
        return [
            WipCandidate(row)
            for row in candidates
            if pending_for_branch(evidence, row.pact_version_id, provider_branch, first)
        ]
    evidence = tag_evidence(session, provider_id, ids, non_wip_only=True, use_execution_date=True)
    first_created = tags_first_created_at(session, provider_id, provider_tags)
    found = []
    for row in candidates:
        pending = pending_tags_of(evidence, row.pact_version_id, provider_tags, first_created)
        if pending:
            found.append(WipCandidate(row, pending))
    return found
