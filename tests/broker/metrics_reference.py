"""The Pact Broker's ``/metrics`` counts computed from the tables (the definition the counts kept
by triggers must equal; this was the broker's own implementation before issue #20)."""

from datetime import UTC, datetime
from typing import Any

from accord_broker.db.models import (
    BranchVersion,
    DeployedVersion,
    Environment,
    Integration,
    LatestPactPublication,
    Pacticipant,
    PactPublication,
    PactVersion,
    ReleasedVersion,
    Tag,
    Verification,
    Version,
)
from accord_broker.db.webhook_models import TriggeredWebhook, Webhook, WebhookExecution
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session


def iso_or_none(moment: datetime | None) -> str | None:
    """ISO-8601 UTC to the second, as the Pact Broker formats dates (``None`` stays)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _count(session: Session, query: Select[*tuple[Any, ...]]) -> int:
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def _rows(session: Session, model: Any, *where: Any) -> int:
    return _count(session, select(model).where(*where))


def _distribution(session: Session, group: Select[*tuple[Any, ...]]) -> dict[str, int]:
    """``{"n": how many groups have n rows}`` for the per-group row counts of ``group``."""
    sizes = group.subquery()
    rows = session.execute(
        select(sizes.c.size, func.count()).group_by(sizes.c.size).order_by(sizes.c.size)
    )
    return {str(size): int(count) for size, count in rows}


def _interactions(session: Session) -> dict[str, int]:
    """Interactions and messages of the newest pact of each integration (as the Pact Broker)."""
    newest = (
        select(
            LatestPactPublication.pact_version_id,
            func.row_number()
            .over(
                partition_by=(LatestPactPublication.consumer_id, LatestPactPublication.provider_id),
                order_by=LatestPactPublication.consumer_version_order.desc(),
            )
            .label("rank"),
        )
    ).subquery()
    totals = session.execute(
        select(
            func.coalesce(func.sum(PactVersion.interactions_count), 0),
            func.coalesce(func.sum(PactVersion.messages_count), 0),
        ).where(PactVersion.id.in_(select(newest.c.pact_version_id).where(newest.c.rank == 1)))
    ).one()
    interactions, messages = int(totals[0]), int(totals[1])
    return {
        "latestInteractionsCount": interactions,
        "latestMessagesCount": messages,
        "latestInteractionsAndMessagesCount": interactions + messages,
    }


def _first_last(session: Session, column: Any) -> dict[str, str | None]:
    first, last = session.execute(select(func.min(column), func.max(column))).one()
    return {"first": iso_or_none(first), "last": iso_or_none(last)}


def counted_metrics(session: Session) -> dict[str, Any]:
    """The Pact Broker's ``/metrics`` document for this broker's data."""
    return {
        "interactions": _interactions(session),
        "pacticipants": {
            "count": _rows(session, Pacticipant.id),
            "withMainBranchSetCount": _rows(
                session, Pacticipant.id, Pacticipant.main_branch.is_not(None)
            ),
        },
        "integrations": {"count": _rows(session, Integration.id)},
        "pactPublications": {
            "count": _rows(session, PactPublication.id),
            **_first_last(session, PactPublication.created_at),
        },
        "pactVersions": {"count": _rows(session, PactVersion.id)},
        "pactRevisionsPerConsumerVersion": {
            "distribution": _distribution(
                session,
                select(func.count().label("size"))
                .select_from(PactPublication)
                .group_by(PactPublication.consumer_version_id, PactPublication.provider_id),
            )
        },
        "verificationResults": {
            "count": _rows(session, Verification.id),
            "successCount": _rows(session, Verification.id, Verification.success.is_(True)),
            "failureCount": _rows(session, Verification.id, Verification.success.is_(False)),
            "distinctCount": _count(
                session,
                select(
                    Verification.provider_version_id,
                    Verification.pact_version_id,
                    Verification.success,
                ).distinct(),
            ),
            **_first_last(session, Verification.created_at),
        },
        "verificationResultsPerPactVersion": {
            "distribution": _distribution(
                session,
                select(func.count().label("size"))
                .select_from(Verification)
                .group_by(Verification.pact_version_id),
            )
        },
        "pacticipantVersions": _version_counts(session),
        "webhooks": {"count": _rows(session, Webhook.id)},
        "tags": {
            "count": _rows(session, Tag.id),
            "distinctCount": _count(session, select(Tag.name).distinct()),
            "distinctWithPacticipantCount": _count(
                session,
                select(Tag.name, Version.pacticipant_id)
                .join(Version, Version.id == Tag.version_id)
                .distinct(),
            ),
        },
        "triggeredWebhooks": {"count": _rows(session, TriggeredWebhook.id)},
        "webhookExecutions": {"count": _rows(session, WebhookExecution.id)},
        "matrix": {"count": _matrix_count(session)},
        "environments": {"count": _rows(session, Environment.id)},
        "deployedVersions": {
            "count": _rows(session, DeployedVersion.id),
            "userCreatedCount": _rows(
                session, DeployedVersion.id, DeployedVersion.auto_created.is_(False)
            ),
            "currentlyDeployedCount": _rows(
                session, DeployedVersion.id, DeployedVersion.undeployed_at.is_(None)
            ),
        },
        "releasedVersions": {
            "count": _rows(session, ReleasedVersion.id),
            "currentlySupportedCount": _rows(
                session, ReleasedVersion.id, ReleasedVersion.support_ended_at.is_(None)
            ),
        },
    }


def _version_counts(session: Session) -> dict[str, int]:
    with_branch = _count(session, select(BranchVersion.version_id).distinct())
    user_branch = _count(
        session,
        select(BranchVersion.version_id).where(BranchVersion.auto_created.is_(False)).distinct(),
    )
    return {
        "count": _rows(session, Version.id),
        "withUserCreatedBranchCount": user_branch,
        "withBranchCount": with_branch,
        "withBranchSetCount": with_branch,
    }


def _matrix_count(session: Session) -> int:
    """Rows of the Pact Broker's matrix: each pact publication with each result of its content,
    or alone when it has none."""
    with_results = _count(
        session,
        select(PactPublication.id, Verification.id).join(
            Verification, Verification.pact_version_id == PactPublication.pact_version_id
        ),
    )
    without_results = _rows(
        session,
        PactPublication.id,
        ~exists().where(Verification.pact_version_id == PactPublication.pact_version_id),
    )
    return with_results + without_results
