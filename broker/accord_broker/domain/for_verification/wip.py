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

The candidate query starts from the provider's consumers and walks to their branch heads and tag
heads (one row per branch or tag name), then seeks each head's pact by primary key and keeps it
if published since the date. It never reads the publications in between: a date range over
publications grows with the publishing rate (every version of a busy consumer within 30 days),
the heads do not. The exclusions are existence checks, in the candidates' statement
(``pending.settled_clause``, ``pending.tag_settled``).
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    Select,
    String,
    and_,
    bindparam,
    func,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Branch,
    Integration,
    LatestPactPublication,
    Pacticipant,
    PactVersion,
    TagHead,
)
from accord_broker.db.types import UtcDateTime
from accord_broker.domain.for_verification.pending import (
    Evidence,
    first_branch_version_cutoff,
    provider_tag_params,
    settled_clause,
    tags_settled_columns,
)
from accord_broker.domain.for_verification.queries import (
    ProviderId,
    SelectedRow,
    selected_columns,
    with_details,
)
from accord_broker.domain.pacticipants.pacticipants import PACTICIPANT_ID_BY_NAME, PACTICIPANT_NAME

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


def _heads_pact(
    query: Select[Any],
    provider_id: ProviderId,
    version_id: Any,
    since: datetime | BindParameter[datetime],
) -> Select[Any]:
    """Join the head's current pact for the provider, if published since: a seek of the
    primary key ``(consumer_version_id, provider_id)`` by the head's version.

    The provider is compared through ``coalesce(x, x)`` on purpose: as a bare column it let
    SQLite without ``ANALYZE`` statistics (a broker's own database) start from the provider's
    pacts published since the date (``ix_latest_pact_publications_provider_id_created_at``),
    every publication in the window, whenever the statement had terms of its own on the pact
    (the WIP tests), instead of from the consumers' heads."""
    return query.join(
        LPP,
        and_(
            LPP.consumer_version_id == version_id,
            func.coalesce(LPP.provider_id, LPP.provider_id) == provider_id,
            LPP.created_at >= since,
        ),
    )


def candidate_selects(
    provider_id: ProviderId, since: datetime | BindParameter[datetime]
) -> list[Select[Any]]:
    """The provider's current pacts published since ``since`` whose consumer version heads a
    consumer branch (``label`` = the branch) or is the newest with some tag (``label`` = tag).

    Both start from the provider's consumers (``ix_integrations_provider_id``) and walk to their
    heads (``branches``, ``tag_heads``, by the consumer), so they read one row per branch or tag
    name, never the publications in between."""
    consumer = CANDIDATE_CONSUMER
    integrations = (
        select().select_from(Integration).join(consumer, consumer.id == Integration.consumer_id)
    )
    by_branch = _heads_pact(
        integrations.add_columns(
            *selected_columns(FROM_BRANCH, consumer, label=HEAD_BRANCH.name)
        ).join(
            HEAD_BRANCH,
            and_(
                HEAD_BRANCH.pacticipant_id == consumer.id, HEAD_BRANCH.head_version_id.is_not(None)
            ),
        ),
        provider_id,
        HEAD_BRANCH.head_version_id,
        since,
    ).where(Integration.provider_id == provider_id)
    by_tag = _heads_pact(
        integrations.add_columns(*selected_columns(FROM_TAG, consumer, label=TagHead.name)).join(
            TagHead, TagHead.pacticipant_id == consumer.id
        ),
        provider_id,
        TagHead.version_id,
        since,
    ).where(Integration.provider_id == provider_id)
    return [by_branch, by_tag]


def _rows(session: Session, statement: Any, params: dict[str, Any]) -> list[SelectedRow]:
    # positional: the columns are selected in SelectedRow's field order (cheaper than _asdict)
    return [SelectedRow(*row) for row in session.execute(statement, params).all()]


_PROVIDER = PACTICIPANT_ID_BY_NAME
"""The provider, found by name inside the statement (no lookup first)."""
_SINCE: BindParameter[datetime] = bindparam("since", type_=UtcDateTime)
_BRANCH: BindParameter[str] = bindparam("branch", type_=String)


@cache
def _tag_wip_statement(tags: int) -> Select[Any]:
    """The candidates still WIP for ``tags`` provider tags (pending for at least one of them),
    each with one more column per tag, whether it is settled for that tag (built once per
    number of tags).

    The test is in SQL, in the candidates' statement, and the tags' cutoffs are index seeks
    inside it: one statement, where every candidate came back first, then the cutoffs (a
    ``min()`` over every tag of the name) and the evidence in two statements more. The kept
    candidates are a ``MATERIALIZED`` CTE: only they, a few, get their details; flattened,
    SQLite read each candidate's version before the test."""
    keep = ~and_(*tags_settled_columns(LPP.pact_version_id, tags, True))
    kept = (
        union_all(*(s.where(keep) for s in candidate_selects(_PROVIDER, _SINCE)))
        .cte("wip_kept")
        .prefix_with("MATERIALIZED")
    )
    return with_details(select(kept)).add_columns(*tags_settled_columns(PactVersion.id, tags, True))


@cache
def branch_wip_selects() -> tuple[Select[Any], ...]:
    """The candidates still WIP for a provider branch, filtered in SQL with existence checks
    (built once), with bind parameters for the provider's name, ``since`` and ``branch``
    (``branch_wip_params``). Only the WIP pacts come back, not every head since the date.

    The selectors' choices (step 4) are not excluded here: the caller runs these SELECTs in
    the selectors' own statement, one round trip for both, and drops what the selectors chose.
    """
    evidence = Evidence(_PROVIDER, non_wip_only=True, use_execution_date=True)
    cutoff = first_branch_version_cutoff(_PROVIDER, _BRANCH)
    keep = ~settled_clause(evidence, LPP.pact_version_id, _BRANCH, cutoff)
    return tuple(s.where(keep) for s in candidate_selects(_PROVIDER, _SINCE))


def branch_wip_params(provider_name: str, since: datetime, branch: str) -> dict[str, Any]:
    """The values of ``branch_wip_selects``' bind parameters."""
    return {PACTICIPANT_NAME.key: provider_name, _SINCE.key: since, _BRANCH.key: branch}


def branch_wip_pacts(
    rows: list[SelectedRow], explicit_pact_version_ids: Collection[int]
) -> list[WipCandidate]:
    """The WIP pacts among the rows of ``branch_wip_selects``, minus the selectors' choices."""
    return [
        WipCandidate(row) for row in rows if row.pact_version_id not in explicit_pact_version_ids
    ]


def wip_pacts(
    session: Session,
    provider_name: str,
    since: datetime,
    *,
    provider_branch: str | None,
    provider_tags: tuple[str, ...],
    explicit_pact_version_ids: Collection[int],
) -> list[WipCandidate]:
    """The WIP pacts for this provider build (empty without a branch or tags), for the
    provider called ``provider_name`` (found by name inside the statement)."""
    if provider_branch is not None:
        statement = with_details(union_all(*branch_wip_selects()))
        params = branch_wip_params(provider_name, since, provider_branch)
        return branch_wip_pacts(_rows(session, statement, params), explicit_pact_version_ids)
    if not provider_tags:
        return []
    params = provider_tag_params(provider_tags) | {
        PACTICIPANT_NAME.key: provider_name,
        _SINCE.key: since,
    }
    tags = len(provider_tags)
    found = []
    for row in session.execute(_tag_wip_statement(tags), params).all():
        candidate = SelectedRow(*row[:-tags])
        if candidate.pact_version_id in explicit_pact_version_ids:
            continue
        settled = row[-tags:]
        pending = tuple(t for t, s in zip(provider_tags, settled, strict=True) if not s)
        if pending:
            found.append(WipCandidate(candidate, pending))
    return found
