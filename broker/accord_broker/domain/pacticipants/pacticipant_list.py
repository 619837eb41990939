"""The pacticipants page: every application with its main branch, labels, latest version and
how many integrations it has, in a fixed number of statements (no per-row lookups), one page at
a time (the page's latest versions and labels are looked up for that page only).
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
    total: int = 0
    """Pacticipants (labelled ``label`` when given) on every page."""
    page: int = 1
    page_size: int | None = None

    @property
    def pages(self) -> int:
        if not self.page_size:
            return 1
        return max(1, -(-self.total // self.page_size))


def load_pacticipant_list(
    session: Session,
    label: str | None = None,
    *,
    page: int = 1,
    page_size: int | None = None,
) -> PacticipantList:
    """Pacticipants by name (only those labelled ``label`` when given): all of them, or the
    ``page``-th page of ``page_size`` when a size is given."""
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
    counted = select(func.count()).select_from(Pacticipant)
    if label:
        labelled = (
            select(Label.id)
            .where(Label.pacticipant_id == Pacticipant.id, Label.name == label)
            .exists()
        )
        query, counted = query.where(labelled), counted.where(labelled)
    page = max(1, page)
    if page_size is not None:
        query = query.order_by(Pacticipant.id).limit(page_size).offset((page - 1) * page_size)
    found = session.execute(query).all()
    total = int(session.execute(counted).scalar_one()) if page_size is not None else len(found)
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
    return PacticipantList(rows, label or None, all_label_names(session), total, page, page_size)


def pacticipant_names(session: Session) -> list[str]:
    """Every pacticipant's name, by name: the can-i-deploy form's choices (one statement, where
    the list above also looks up each one's newest version and labels)."""
    return list(session.scalars(select(Pacticipant.name).order_by(func.lower(Pacticipant.name))))


def latest_branches(session: Session, name: str) -> list[str]:
    """The branches of ``name``'s newest version (none when it has no versions)."""
    newest = session.scalar(
        select(Version.id)
        .join(Pacticipant, Pacticipant.id == Version.pacticipant_id)
        .where(Pacticipant.name == name)
        .order_by(Version.order.desc())
        .limit(1)
    )
    if newest is None:
        return []
    label = version_labels(session, [int(newest)]).get(int(newest))
    return list(label.branches) if label else []
