"""The network page's read model: integrations with their status, each application's labels,
and which applications run in a chosen environment, so the page can filter by label (a team),
colour by "deployed in production" and focus on one application's neighbours.

Three statements for any number of integrations: the integrations (the listing whose row
order the diagram has always had: the statement has no ``ORDER BY`` and is unchanged), the
status of each (its newest pact's and result's contents, ``integration_heads.statuses``,
driven by the same filter rather than by a list of bound pairs), and one ``UNION ALL`` of the
names around them: the applications' labels, every label and environment name for the
filters, and with an environment chosen what each application runs there. They were six or
seven statements, each costing SQLAlchemy's per-statement Python, two of them bound a
hundred names or pairs each, and the newest results' versions and timestamps were read for
a diagram that shows neither.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    exists,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.types import NullType

from accord_broker.db.models import (
    DeployedVersion,
    Environment,
    Integration,
    Label,
    Pacticipant,
    ReleasedVersion,
    Version,
)
from accord_broker.db.types import UtcDateTime
from accord_broker.domain.integrations.integration_heads import (
    CONSUMER,
    PROVIDER,
    statuses,
    statuses_of,
)
from accord_broker.domain.integrations.integration_status import Status


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
_LABEL: BindParameter[str] = bindparam("label", type_=String)
_ENVIRONMENT: BindParameter[str] = bindparam("environment", type_=String)
_LABELS, _LABEL_NAMES, _ENVIRONMENTS, _DEPLOYED, _RELEASED = range(5)


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


@cache
def _statuses(*, focused: bool, labelled: bool) -> Select[Any]:
    """The status of the integrations the diagram draws (those of ``focus``; those touching
    an application labelled ``label``), keyed by the pair by the caller."""
    where: list[ColumnElement[bool]] = []
    if focused:
        where.append((CONSUMER.name == _FOCUS) | (PROVIDER.name == _FOCUS))
    if labelled:
        where.append(
            exists().where(Label.pacticipant_id == CONSUMER.id, Label.name == _LABEL)
            | exists().where(Label.pacticipant_id == PROVIDER.id, Label.name == _LABEL)
        )
    return statuses(*where)


def _part(part: int, owner: Any, name: Any, at: Any = None, position: Any = None) -> Select[Any]:
    """One part's row: (part, owner, name, at, position), the columns it has no use for null."""
    return select(
        literal(part, Integer).label("part"),
        owner.label("owner"),
        name.label("name"),
        # ``at`` only orders the rows: read without converting each to a datetime
        type_coerce(cast(null(), UtcDateTime()) if at is None else at, NullType()).label("at"),
        (cast(null(), Integer()) if position is None else position).label("position"),
    )


def _members(*where: ColumnElement[bool]) -> Any:
    """The ids of the applications on either side of the integrations matching ``where``."""
    return (
        select(Integration.consumer_id)
        .where(*where)
        .union(select(Integration.provider_id).where(*where))
    )


@cache
def _names(*, focused: bool, placed: bool, labelled: bool = False) -> CompoundSelect[Any]:
    """In order: the labels of the applications in the listed integrations (owner, label by
    name), every label name and every environment name (by name), and when ``placed`` the
    versions each application drawn runs in ``environment`` (deployed oldest first, then
    released: by when, then by id), as ``current_placements`` lists them; only those of the
    integrations touching an application labelled ``label`` when ``labelled``, as drawn. One
    sort orders them all: the parts by name have no ``at`` nor ``position``."""
    where: list[ColumnElement[bool]] = []
    if focused:
        focus = select(Pacticipant.id).where(Pacticipant.name == _FOCUS).scalar_subquery()
        where.append((Integration.consumer_id == focus) | (Integration.provider_id == focus))
    members = _members(*where)
    if labelled:
        carries = [
            exists().where(Label.pacticipant_id == side, Label.name == _LABEL)
            for side in (Integration.consumer_id, Integration.provider_id)
        ]
        drawn = _members(*where, carries[0] | carries[1])
    else:
        drawn = members
    parts = [
        _part(_LABELS, Pacticipant.name, Label.name)
        .join(Pacticipant, Pacticipant.id == Label.pacticipant_id)
        .where(Label.pacticipant_id.in_(members)),
        _part(_LABEL_NAMES, null(), Label.name).distinct(),
        _part(_ENVIRONMENTS, null(), Environment.name),
    ]
    if placed:
        records: Any = (
            (_DEPLOYED, DeployedVersion, DeployedVersion.undeployed_at),
            (_RELEASED, ReleasedVersion, ReleasedVersion.support_ended_at),
        )
        for part, record, ended in records:
            parts.append(
                _part(part, Pacticipant.name, Version.number, record.created_at, record.id)
                .join(Pacticipant, Pacticipant.id == record.pacticipant_id)
                .join(Version, Version.id == record.version_id)
                .join(Environment, Environment.id == record.environment_id)
                .where(
                    record.pacticipant_id.in_(drawn),
                    Environment.name == _ENVIRONMENT,
                    ended.is_(None),
                )
            )
    return union_all(*parts).order_by("part", "at", "position", "name")


def load_network(
    session: Session,
    *,
    focus: str | None = None,
    label: str | None = None,
    environment: str | None = None,
) -> Network:
    """Integrations (only ``focus``'s when given; only those touching an application labelled
    ``label`` when given), with labels, and placements in ``environment``."""
    params = {"focus": focus, "label": label, "environment": environment}
    listing = _integrations(focused=bool(focus))
    connection = session.connection()  # Core: plain rows, no ORM statement handling
    found = [
        (int(c), int(p), str(cn), str(pn))
        for c, p, cn, pn in connection.execute(listing, {"focus": focus} if focus else {}).all()
    ]
    names = {cn for _, _, cn, _ in found} | {pn for _, _, _, pn in found}
    labels: dict[str, list[str]] = defaultdict(list)
    all_labels: list[str] = []
    environments: list[str] = []
    placed: dict[str, list[str]] = {}
    for part, owner, name, _, _ in connection.execute(
        _names(focused=bool(focus), placed=bool(environment), labelled=bool(label)), params
    ).all():
        if part == _LABELS:
            labels[owner].append(name)
        elif part == _LABEL_NAMES:
            all_labels.append(name)
        elif part == _ENVIRONMENTS:
            environments.append(name)
        else:
            placed.setdefault(owner, []).append(name)
    if label:
        found = [
            row
            for row in found
            if label in labels.get(row[2], ()) or label in labels.get(row[3], ())
        ]
    newest = _statuses(focused=bool(focus), labelled=bool(label))
    by_pair = statuses_of(connection.execute(newest, params).all())
    links = [
        NetworkLink(consumer_name, provider_name, by_pair.get((c, p), Status.NEVER))
        for c, p, consumer_name, provider_name in found
    ]
    return Network(
        links=links,
        labels={name: labels.get(name, []) for name in names},
        placed=placed,
        focus=focus or None,
        label=label or None,
        environment=environment or None,
        all_labels=all_labels,
        environments=environments,
    )
