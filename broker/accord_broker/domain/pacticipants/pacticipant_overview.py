"""A pacticipant's page: its details, recent versions, branches, environments and integrations.

A fixed number of queries, like the index: the versions shown are capped (newest first) and
their branches, tags and placements are loaded for all of them at once.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import Branch, Integration, Pacticipant, Version
from accord_broker.domain.deployments.environment_overview import Stay, version_stays
from accord_broker.domain.integrations.overview import (
    IntegrationRow,
    Placement,
    VersionLabel,
    current_placements,
    integration_rows,
    version_labels,
)
from accord_broker.domain.pacticipants.labels import labels_of
from accord_broker.domain.versions.version_status import VersionVerification, version_verifications

VERSIONS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class VersionEntry:
    label: VersionLabel
    created_at: datetime
    environments: list[Placement]
    verification: VersionVerification = field(default_factory=VersionVerification)
    stays: list[Stay] = field(default_factory=list)
    """Every environment the version is or was in, newest first."""


@dataclass(frozen=True, slots=True)
class BranchEntry:
    name: str
    head: str | None
    main: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PacticipantPage:
    pacticipant: Pacticipant
    version_count: int
    versions: list[VersionEntry]
    branches: list[BranchEntry]
    placements: dict[str, list[Placement]]
    as_consumer: list[IntegrationRow]
    as_provider: list[IntegrationRow]
    labels: list[str] = field(default_factory=list)


def load_pacticipant_page(session: Session, pacticipant: Pacticipant) -> PacticipantPage:
    recent = session.execute(
        select(Version.id, Version.created_at)
        .where(Version.pacticipant_id == pacticipant.id)
        .order_by(Version.order.desc())
        .limit(VERSIONS_SHOWN)
    ).all()
    count = session.execute(
        select(func.count()).select_from(Version).where(Version.pacticipant_id == pacticipant.id)
    ).scalar_one()
    labels = version_labels(session, [vid for vid, _ in recent])
    placements = current_placements(session, [pacticipant.id]).get(pacticipant.id, {})
    by_number: dict[str, list[Placement]] = {}
    for entries in placements.values():
        for placement in entries:
            by_number.setdefault(placement.version, []).append(placement)
    shown_ids = [vid for vid, _ in recent]
    results = version_verifications(session, shown_ids)
    stays = version_stays(session, shown_ids)
    versions = [
        VersionEntry(
            labels[vid],
            created,
            by_number.get(labels[vid].number, []),
            results.get(vid, VersionVerification()),
            stays.get(vid, []),
        )
        for vid, created in recent
        if vid in labels
    ]
    head = aliased(Version)
    branches = [
        BranchEntry(name, number, name == pacticipant.main_branch, updated)
        for name, number, updated in session.execute(
            select(Branch.name, head.number, Branch.updated_at)
            .outerjoin(head, head.id == Branch.head_version_id)
            .where(Branch.pacticipant_id == pacticipant.id)
            .order_by(Branch.updated_at.desc(), Branch.id.desc())
        ).all()
    ]
    consumer, provider = aliased(Pacticipant), aliased(Pacticipant)
    pairs = session.execute(
        select(Integration.consumer_id, Integration.provider_id, consumer.name, provider.name)
        .join(consumer, consumer.id == Integration.consumer_id)
        .join(provider, provider.id == Integration.provider_id)
        .where(
            or_(
                Integration.consumer_id == pacticipant.id,
                Integration.provider_id == pacticipant.id,
            )
        )
        .order_by(func.lower(consumer.name), func.lower(provider.name))
    ).all()
    rows = integration_rows(session, [(int(c), int(p), cn, pn) for c, p, cn, pn in pairs])
    return PacticipantPage(
        pacticipant=pacticipant,
        version_count=int(count),
        versions=versions,
        branches=branches,
        placements=placements,
        as_consumer=[row for row in rows if row.consumer == pacticipant.name],
        as_provider=[row for row in rows if row.provider == pacticipant.name],
        labels=[label.name for label in labels_of(session, pacticipant)],
    )
