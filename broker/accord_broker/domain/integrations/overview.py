"""The index page's data: one row per integration, loaded with a fixed number of queries.

The Pact Broker's index is the page its users call slow (pact_broker#518: statement timeouts
on big databases), because it works integration by integration. Here every step is one
set-based query over a page of integrations, read from the cache tables (latest pact per
consumer version, latest verification per pact/provider version) through their indexes:
the page of integrations, their count, their newest pacts and results (one statement,
``integration_heads``), and everything shown beside them (the versions' branches and tags, the
current deployments and releases, the environments and label names: one statement,
``version_chips.page_chips``). Four statements for a page of one integration or of a hundred:
each statement costs SQLAlchemy's Python, more than SQLite spends answering these.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    Integer,
    Select,
    String,
    bindparam,
    exists,
    func,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Integration,
    Label,
    Pacticipant,
)
from accord_broker.domain.integrations.integration_heads import Head, heads, heads_of
from accord_broker.domain.integrations.integration_status import LatestResult, Status, status_of
from accord_broker.domain.integrations.version_chips import (
    PageChips,
    Placement,
    VersionLabel,
    page_chips,
    version_labels,
)

__all__ = [
    "IntegrationRow",
    "Overview",
    "Placement",
    "VersionLabel",
    "load_overview",
    "version_labels",
]

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class IntegrationRow:
    consumer: str
    provider: str
    consumer_version: VersionLabel | None
    pact_published_at: datetime | None
    provider_version: VersionLabel | None
    verification: LatestResult | None
    status: Status
    consumer_placements: dict[str, list[Placement]] = field(default_factory=dict)
    provider_placements: dict[str, list[Placement]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Overview:
    rows: list[IntegrationRow]
    environments: list[str]
    total: int
    page: int
    page_size: int
    search: str | None
    label: str | None = None
    """Only integrations with a pacticipant carrying this label (``?label=`` on the index)."""
    labels: list[str] = field(default_factory=list)
    """Every label in use, for the index's filter."""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


_PATTERN: BindParameter[str] = bindparam("pattern", type_=String)
_LABEL: BindParameter[str] = bindparam("label", type_=String)
_LIMIT: BindParameter[int] = bindparam("limit", type_=Integer)
_OFFSET: BindParameter[int] = bindparam("offset", type_=Integer)
_PAIRS: BindParameter[Any] = bindparam("pairs", expanding=True)


def _search_pattern(search: str) -> str:
    """A LIKE pattern matching ``search`` anywhere, case-insensitively, wildcards escaped."""
    escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@cache
def _page_queries(
    with_search: bool, with_label: bool = False
) -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]]:
    """The page of integrations and their count, built once (bound: pattern, label, limit,
    offset)."""
    consumer, provider = aliased(Pacticipant), aliased(Pacticipant)
    query: Select[*tuple[Any, ...]] = (
        select(Integration.consumer_id, Integration.provider_id, consumer.name, provider.name)
        .join(consumer, consumer.id == Integration.consumer_id)
        .join(provider, provider.id == Integration.provider_id)
    )
    count_query: Select[*tuple[Any, ...]] = (
        select(func.count())
        .select_from(Integration)
        .join(consumer, consumer.id == Integration.consumer_id)
        .join(provider, provider.id == Integration.provider_id)
    )
    if with_search:
        matches = or_(
            func.lower(consumer.name).like(_PATTERN, escape="\\"),
            func.lower(provider.name).like(_PATTERN, escape="\\"),
        )
        query, count_query = query.where(matches), count_query.where(matches)
    if with_label:
        labelled = or_(
            exists().where(Label.pacticipant_id == consumer.id, Label.name == _LABEL),
            exists().where(Label.pacticipant_id == provider.id, Label.name == _LABEL),
        )
        query, count_query = query.where(labelled), count_query.where(labelled)
    query = (
        query.order_by(func.lower(consumer.name), func.lower(provider.name))
        .limit(_LIMIT)
        .offset(_OFFSET)
    )
    return query, count_query


def load_overview(
    session: Session,
    *,
    search: str | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
    label: str | None = None,
) -> Overview:
    """One page of the index, integrations ordered by consumer then provider name."""
    page = max(1, page)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    query, count_query = _page_queries(bool(search), bool(label))
    params: dict[str, Any] = {"limit": page_size, "offset": (page - 1) * page_size}
    if search:
        params["pattern"] = _search_pattern(search)
    if label:
        params["label"] = label
    found = session.execute(query, params).all()
    total = int(session.execute(count_query, params).scalar_one())
    listed = [(int(c), int(p), cn, pn) for c, p, cn, pn in found]
    by_pair: dict[tuple[int, int], Head] = {}
    if listed:
        pairs = [(c, p) for c, p, _, _ in listed]
        newest = session.execute(_HEADS, {"pairs": pairs})
        by_pair = {(h.consumer_id, h.provider_id): h for h in heads_of(newest)}
    versions = {h.consumer_version_id for h in by_pair.values()}
    versions |= {h.provider_version_id for h in by_pair.values()}
    pacticipants = {side for c, p, _, _ in listed for side in (c, p)}
    chips = page_chips(session, {v for v in versions if v is not None}, pacticipants)
    rows = [_row(integration, by_pair.get(integration[:2]), chips) for integration in listed]
    return Overview(
        rows,
        chips.environments,
        total,
        page,
        page_size,
        search or None,
        label or None,
        chips.label_names,
    )


_HEADS = heads(tuple_(Integration.consumer_id, Integration.provider_id).in_(_PAIRS), ordered=False)
"""The page's integrations' newest pacts and results (keyed by the pair: the page's own
statement orders them)."""


def _row(
    integration: tuple[int, int, str, str], head: Head | None, chips: PageChips
) -> IntegrationRow:
    """One integration's row of the index, with both sides' placements."""
    consumer_id, provider_id, consumer_name, provider_name = integration
    pact = head.consumer_version_id if head else None
    result = head.provider_version_id if head else None
    return IntegrationRow(
        consumer=consumer_name,
        provider=provider_name,
        consumer_version=chips.labels.get(pact) if pact is not None else None,
        pact_published_at=head.published_at if head else None,
        provider_version=chips.labels.get(result) if result is not None else None,
        verification=head.result if head else None,
        status=head.status if head else status_of(None, None),
        consumer_placements=chips.placements.get(consumer_id, {}),
        provider_placements=chips.placements.get(provider_id, {}),
    )
