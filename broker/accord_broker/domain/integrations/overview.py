"""The index page's data: one row per integration, loaded with a fixed number of queries.

The Pact Broker's index is the page its users call slow (pact_broker#518: statement timeouts
on big databases), because it works integration by integration. Here every step is one
set-based query over a page of integrations, read from the cache tables (latest pact per
consumer version, latest verification per pact/provider version) through their indexes:
the page of integrations with their count and their newest pacts and results (one statement,
``integration_heads.page_of_heads``), and everything shown beside them (the versions' branches
and tags, the current deployments and releases, the environments and label names: one
statement, ``version_chips.page_chips``). Two statements for a page of one integration or of a
hundred (a third, the count, only for a page past the end): each statement costs
SQLAlchemy's Python, more than SQLite spends answering these.
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
)
from sqlalchemy.orm import Session

from accord_broker.db.models import (
    Integration,
    Label,
)
from accord_broker.domain.integrations.integration_heads import (
    CONSUMER,
    PROVIDER,
    Head,
    heads_of,
    page_of_heads,
)
from accord_broker.domain.integrations.integration_status import LatestResult, Status
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


def _search_pattern(search: str) -> str:
    """A LIKE pattern matching ``search`` anywhere, case-insensitively, wildcards escaped."""
    escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@cache
def _page_queries(
    with_search: bool, with_label: bool = False
) -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]]:
    """The page of integrations with their newest pacts and results and the count of all
    (``page_of_heads``), and the count alone for a page past the end (which has no row to
    carry it), built once (bound: pattern, label, limit, offset)."""
    where = []
    if with_search:
        where.append(
            or_(
                func.lower(CONSUMER.name).like(_PATTERN, escape="\\"),
                func.lower(PROVIDER.name).like(_PATTERN, escape="\\"),
            )
        )
    if with_label:
        where.append(
            or_(
                exists().where(Label.pacticipant_id == CONSUMER.id, Label.name == _LABEL),
                exists().where(Label.pacticipant_id == PROVIDER.id, Label.name == _LABEL),
            )
        )
    count_query: Select[*tuple[Any, ...]] = (
        select(func.count())
        .select_from(Integration)
        .join(CONSUMER, CONSUMER.id == Integration.consumer_id)
        .join(PROVIDER, PROVIDER.id == Integration.provider_id)
        .where(*where)
    )
    return page_of_heads(*where, limit=_LIMIT, offset=_OFFSET), count_query


def load_overview(
    session: Session,
    *,
    search: str | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
    label: str | None = None,
) -> Overview:
    """One page of the index, integrations ordered by consumer then provider name: two
    statements (the page with its heads and count, then ``page_chips``), a third only for a
    page past the end."""
    page = max(1, page)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    query, count_query = _page_queries(bool(search), bool(label))
    params: dict[str, Any] = {"limit": page_size, "offset": (page - 1) * page_size}
    if search:
        params["pattern"] = _search_pattern(search)
    if label:
        params["label"] = label
    connection = session.connection()  # Core: plain rows, without the ORM's statement handling
    found = connection.execute(query, params).all()
    # the count rides on each row of the page; a page past the end has none to carry it
    total = int(found[0][-1] if found else connection.execute(count_query, params).scalar_one())
    listed = heads_of(found)
    versions = {h.consumer_version_id for h in listed} | {h.provider_version_id for h in listed}
    pacticipants = {side for h in listed for side in (h.consumer_id, h.provider_id)}
    chips = page_chips(session, {v for v in versions if v is not None}, pacticipants)
    rows = [_row(head, chips) for head in listed]
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


def _row(head: Head, chips: PageChips) -> IntegrationRow:
    """One integration's row of the index, with both sides' placements."""
    pact = head.consumer_version_id
    result = head.provider_version_id
    return IntegrationRow(
        consumer=head.consumer,
        provider=head.provider,
        consumer_version=chips.labels.get(pact) if pact is not None else None,
        pact_published_at=head.published_at,
        provider_version=chips.labels.get(result) if result is not None else None,
        verification=head.result,
        status=head.status,
        consumer_placements=chips.placements.get(head.consumer_id, {}),
        provider_placements=chips.placements.get(head.provider_id, {}),
    )
