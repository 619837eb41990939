"""The pacticipants page: every application with its main branch, labels, latest version and
how many integrations it has, in a fixed number of statements (no per-row lookups).
"""

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from accord_broker.db.models import Integration, Label, Pacticipant, Version
from accord_broker.domain.integrations.overview import VersionLabel, version_labels
from accord_broker.domain.pacticipants.labels import all_label_names, labels_by_pacticipant


@dataclass(frozen=True, slots=True)
class PacticipantRow:
    name: str
    display_name: str | None
    main_branch: str | None
    labels: list[str]
    latest_version: VersionLabel | None
    integrations: int


@dataclass(frozen=True, slots=True)
class PacticipantList:
    rows: list[PacticipantRow]
    label: str | None = None
    labels: list[str] = field(default_factory=list)
    """Every label in use, for the filter."""


def load_pacticipant_list(session: Session, label: str | None = None) -> PacticipantList:
    """Every pacticipant by name (only those labelled ``label`` when given)."""
    newest = (
        select(Version.id)
        .where(Version.pacticipant_id == Pacticipant.id)
        .order_by(Version.order.desc())
        .limit(1)
        .correlate(Pacticipant)
        .scalar_subquery()
    )
    integrations = (
        select(func.count())
        .select_from(Integration)
        .where(
            or_(
                Integration.consumer_id == Pacticipant.id,
                Integration.provider_id == Pacticipant.id,
            )
        )
        .correlate(Pacticipant)
        .scalar_subquery()
    )
    query = select(
        Pacticipant.name,
        Pacticipant.display_name,
        Pacticipant.main_branch,
        newest,
        integrations,
    ).order_by(func.lower(Pacticipant.name))
    if label:
        query = query.where(
            select(Label.id)
            .where(Label.pacticipant_id == Pacticipant.id, Label.name == label)
            .exists()
        )
    found = session.execute(query).all()
    labels = labels_by_pacticipant(session, [row[0] for row in found])
    versions = version_labels(session, [int(row[3]) for row in found if row[3] is not None])
    rows = [
        PacticipantRow(
            name,
            display,
            main,
            labels.get(name, []),
            versions.get(int(vid)) if vid is not None else None,
            int(count or 0),
        )
        for name, display, main, vid, count in found
    ]
    return PacticipantList(rows, label or None, all_label_names(session))
