"""The network page's read model: integrations with their status, each application's labels,
and which applications run in a chosen environment, so the page can filter by label (a team),
colour by "deployed in production" and focus on one application's neighbours.

Built on :func:`overview.network_rows` (a fixed number of set-based statements for any number
of integrations) plus one statement for the labels and one for the label and environment names.
"""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord_broker.db.models import Environment
from accord_broker.domain.integrations.integration_status import Status
from accord_broker.domain.integrations.overview import network_rows
from accord_broker.domain.pacticipants.labels import all_label_names, labels_by_pacticipant


@dataclass(frozen=True, slots=True)
class NetworkLink:
    consumer: str
    provider: str
    status: Status


@dataclass(frozen=True, slots=True)
class Network:
    links: list[NetworkLink]
    labels: dict[str, list[str]]
    """Application name → its labels."""
    placed: dict[str, list[str]] = field(default_factory=dict)
    """Application name → the versions it has in ``environment`` (deployed or released)."""
    focus: str | None = None
    label: str | None = None
    environment: str | None = None
    all_labels: list[str] = field(default_factory=list)
    environments: list[str] = field(default_factory=list)


def load_network(
    session: Session,
    *,
    focus: str | None = None,
    label: str | None = None,
    environment: str | None = None,
) -> Network:
    """Integrations (only ``focus``'s when given; only those touching an application labelled
    ``label`` when given), with labels, and placements in ``environment``."""
    rows = network_rows(session, focus or None)
    names = {r.consumer for r in rows} | {r.provider for r in rows}
    labels = labels_by_pacticipant(session, names)
    if label:
        rows = [
            r
            for r in rows
            if label in labels.get(r.consumer, ()) or label in labels.get(r.provider, ())
        ]
    placed: dict[str, list[str]] = {}
    if environment:
        for row in rows:
            for name, placements in (
                (row.consumer, row.consumer_placements),
                (row.provider, row.provider_placements),
            ):
                versions = [p.version for p in placements.get(environment, [])]
                if versions:
                    placed[name] = versions
    environments = list(session.scalars(select(Environment.name).order_by(Environment.name)))
    return Network(
        links=[NetworkLink(r.consumer, r.provider, r.status) for r in rows],
        labels={name: labels.get(name, []) for name in names},
        placed=placed,
        focus=focus or None,
        label=label or None,
        environment=environment or None,
        all_labels=all_label_names(session),
        environments=environments,
    )
