"""``pb:metrics``: how much the broker holds, in the Pact Broker's JSON (``/metrics``).

Operators use it to size and watch a broker (and to compare it with the Ruby one during a
migration), so the keys and their nesting are the Pact Broker's (``metrics/service.rb``).
Counting the tables on every request grew with the history (seconds at a million results), so
the counts are kept on write by database triggers as signed rows of ``metric_deltas``
(``db/metric_counts.py``): an answer sums those rows (folding them into one row per figure
when many have piled up) and adds two index seeks (first/last dates) and one seek per
integration (its newest pact's interactions). Nothing here reads a table's history.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Subquery, delete, func, select
from sqlalchemy.orm import Session

from accord_broker.db.metric_counts import MATRIX, RESULTS_PREFIX, REVISIONS_PREFIX
from accord_broker.db.metric_models import MetricDelta
from accord_broker.db.models import (
    Integration,
    LatestPactPublication,
    PactPublication,
    PactVersion,
    Verification,
)
from accord_broker.domain.unit_of_work import UnitOfWork

FOLD_AFTER = 2000
"""Delta rows (by id span) beyond which an answer first folds them into one row per figure."""


def iso_or_none(moment: datetime | None) -> str | None:
    """ISO-8601 UTC to the second, as the Pact Broker formats dates (``None`` stays)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _fold(session: Session) -> None:
    """Replace the rows up to now by their sums. Concurrent folds each delete (and re-add) only
    the rows they removed, so a count never changes (PostgreSQL's second delete waits and skips
    the rows the first removed)."""
    newest = session.scalar(select(func.max(MetricDelta.id)))
    if newest is None:
        return
    removed = session.execute(
        delete(MetricDelta)
        .where(MetricDelta.id <= newest)
        .returning(MetricDelta.name, MetricDelta.delta)
    ).all()
    sums: dict[str, int] = {}
    for name, change in removed:
        sums[name] = sums.get(name, 0) + int(change)
    session.add_all(MetricDelta(name=name, delta=total) for name, total in sums.items() if total)


def _counts(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(MetricDelta.name, func.sum(MetricDelta.delta)).group_by(MetricDelta.name)
    )
    return {name: int(total) for name, total in rows}


def _needs_folding(lowest: int | None, highest: int | None) -> bool:
    """Whether many change rows have piled up (by the span of their ids)."""
    return lowest is not None and highest is not None and highest - lowest > FOLD_AFTER


def _interaction_totals() -> Subquery:
    """Interactions and messages of the newest pact of each integration (as the Pact Broker):
    one seek of ``ix_latest_pact_publications_provider_consumer_order`` per integration."""
    newest = (
        select(LatestPactPublication.pact_version_id)
        .where(
            LatestPactPublication.provider_id == Integration.provider_id,
            LatestPactPublication.consumer_id == Integration.consumer_id,
        )
        .order_by(LatestPactPublication.consumer_version_order.desc())
        .limit(1)
        .correlate(Integration)
        .scalar_subquery()
    )
    return (
        select(
            func.coalesce(func.sum(PactVersion.interactions_count), 0).label("interactions"),
            func.coalesce(func.sum(PactVersion.messages_count), 0).label("messages"),
        )
        .select_from(Integration)
        .join(PactVersion, PactVersion.id == newest)
        .subquery("totals")
    )


def _summary(session: Session) -> tuple[dict[str, int], dict[str, dict[str, str | None]], bool]:
    """The interaction totals, the first and last publication and result (four ``MIN``/``MAX``
    seeks of created_at indexes) and whether the change rows need folding (two seeks of their
    primary key), in one statement: three round trips were 1 ms on PostgreSQL (issue #20)."""
    totals = _interaction_totals()
    row = session.execute(
        select(
            totals.c.interactions,
            totals.c.messages,
            select(func.min(PactPublication.created_at)).scalar_subquery(),
            select(func.max(PactPublication.created_at)).scalar_subquery(),
            select(func.min(Verification.created_at)).scalar_subquery(),
            select(func.max(Verification.created_at)).scalar_subquery(),
            select(func.min(MetricDelta.id)).scalar_subquery(),
            select(func.max(MetricDelta.id)).scalar_subquery(),
        ).select_from(totals)
    ).one()
    interactions, messages = int(row[0]), int(row[1])
    counts = {
        "latestInteractionsCount": interactions,
        "latestMessagesCount": messages,
        "latestInteractionsAndMessagesCount": interactions + messages,
    }
    dates = {
        "pactPublications": {"first": iso_or_none(row[2]), "last": iso_or_none(row[3])},
        "verificationResults": {"first": iso_or_none(row[4]), "last": iso_or_none(row[5])},
    }
    return counts, dates, _needs_folding(row[6], row[7])


def _distribution(counts: dict[str, int], prefix: str) -> dict[str, int]:
    """``{"n": how many groups have n rows}``, smallest n first, from the ``prefix + n`` counts."""
    sizes = sorted(
        int(name[len(prefix) :])
        for name, total in counts.items()
        if name.startswith(prefix) and total
    )
    return {str(size): counts[f"{prefix}{size}"] for size in sizes}


def broker_metrics(work: UnitOfWork) -> dict[str, Any]:
    """The Pact Broker's ``/metrics`` document for this broker's data."""
    with work.read() as session:
        counts = _counts(session)
        interactions, dates, folding = _summary(session)
    if folding:  # the answer is already summed; later answers read fewer rows
        work.write(_fold)

    def count(name: str) -> int:
        return counts.get(name, 0)

    with_branch = count("pacticipantVersions.withBranchCount")
    return {
        "interactions": interactions,
        "pacticipants": {
            "count": count("pacticipants.count"),
            "withMainBranchSetCount": count("pacticipants.withMainBranchSetCount"),
        },
        "integrations": {"count": count("integrations.count")},
        "pactPublications": {"count": count("pactPublications.count"), **dates["pactPublications"]},
        "pactVersions": {"count": count("pactVersions.count")},
        "pactRevisionsPerConsumerVersion": {
            "distribution": _distribution(counts, REVISIONS_PREFIX)
        },
        "verificationResults": {
            "count": count("verificationResults.count"),
            "successCount": count("verificationResults.successCount"),
            "failureCount": count("verificationResults.failureCount"),
            "distinctCount": count("verificationResults.distinctCount"),
            **dates["verificationResults"],
        },
        "verificationResultsPerPactVersion": {
            "distribution": _distribution(counts, RESULTS_PREFIX)
        },
        "pacticipantVersions": {
            "count": count("pacticipantVersions.count"),
            "withUserCreatedBranchCount": count("pacticipantVersions.withUserCreatedBranchCount"),
            "withBranchCount": with_branch,
            "withBranchSetCount": with_branch,
        },
        "webhooks": {"count": count("webhooks.count")},
        "tags": {
            "count": count("tags.count"),
            "distinctCount": count("tags.distinctCount"),
            "distinctWithPacticipantCount": count("tags.distinctWithPacticipantCount"),
        },
        "triggeredWebhooks": {"count": count("triggeredWebhooks.count")},
        "webhookExecutions": {"count": count("webhookExecutions.count")},
        "matrix": {"count": count(MATRIX)},
        "environments": {"count": count("environments.count")},
        "deployedVersions": {
            "count": count("deployedVersions.count"),
            "userCreatedCount": count("deployedVersions.userCreatedCount"),
            "currentlyDeployedCount": count("deployedVersions.currentlyDeployedCount"),
        },
        "releasedVersions": {
            "count": count("releasedVersions.count"),
            "currentlySupportedCount": count("releasedVersions.currentlySupportedCount"),
        },
    }
