"""The network page's read model: integrations with their status, each application's labels,
and which applications run in a chosen environment, so the page can filter by label (a team),
colour by "deployed in production" and focus on one application's neighbours.

Built on the index's set-based statements (a fixed number for any number of integrations):
the integrations, their newest pact and newest result (for the status), the placements only
when an environment is chosen, plus one statement for the labels and one each for the label
and environment names. The diagram shows no version numbers, so unlike the index it looks up
no branches or tags, and without an environment no placements (five statements fewer).
"""

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Select, String, bindparam, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import Environment, Integration, Pacticipant
from accord_broker.domain.integrations.integration_status import Status, status_of
from accord_broker.domain.integrations.overview import (
    Placement,
    _latest_pacts,
    _latest_results,
    current_placements,
)
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


_FOCUS: BindParameter[str] = bindparam("focus", type_=String)


@cache
def _integrations(*, focused: bool) -> Select[*tuple[Any, ...]]:
    """(consumer id, provider id, consumer name, provider name) of every integration, or of
    those of the application bound as ``focus``: built once, not on every view."""
    consumer, provider = aliased(Pacticipant), aliased(Pacticipant)
    query = (
        select(Integration.consumer_id, Integration.provider_id, consumer.name, provider.name)
        .join(consumer, consumer.id == Integration.consumer_id)
        .join(provider, provider.id == Integration.provider_id)
    )
    if focused:
        query = query.where((consumer.name == _FOCUS) | (provider.name == _FOCUS))
    return query


def load_network(
    session: Session,
    *,
    focus: str | None = None,
    label: str | None = None,
    environment: str | None = None,
) -> Network:
    """Integrations (only ``focus``'s when given; only those touching an application labelled
    ``label`` when given), with labels, and placements in ``environment``."""
    query = _integrations(focused=bool(focus))
    found = [
        (int(c), int(p), str(cn), str(pn))
        for c, p, cn, pn in session.execute(query, {"focus": focus} if focus else {}).all()
    ]
    names = {cn for _, _, cn, _ in found} | {pn for _, _, _, pn in found}
    labels = labels_by_pacticipant(session, names)
    if label:
        found = [
            row
            for row in found
            if label in labels.get(row[2], ()) or label in labels.get(row[3], ())
        ]
    pairs = [(c, p) for c, p, _, _ in found]
    pacts, results = _latest_pacts(session, pairs), _latest_results(session, pairs)
    links = []
    for c, p, consumer_name, provider_name in found:
        pact = pacts.get((c, p))
        _, result = results.get((c, p), (None, None))
        links.append(
            NetworkLink(consumer_name, provider_name, status_of(pact[1] if pact else None, result))
        )
    placed: dict[str, list[str]] = {}
    if environment:
        by_id = {c: cn for c, _, cn, _ in found} | {p: pn for _, p, _, pn in found}
        everywhere: dict[int, dict[str, list[Placement]]] = current_placements(session, by_id)
        for pacticipant_id, name in by_id.items():
            versions = [p.version for p in everywhere.get(pacticipant_id, {}).get(environment, [])]
            if versions:
                placed[name] = versions
    environments = list(session.scalars(select(Environment.name).order_by(Environment.name)))
    return Network(
        links=links,
        labels={name: labels.get(name, []) for name in names},
        placed=placed,
        focus=focus or None,
        label=label or None,
        environment=environment or None,
        all_labels=all_label_names(session),
        environments=environments,
    )
