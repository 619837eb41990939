"""The index page's data: one row per integration, loaded with a fixed number of queries.

The Pact Broker's index is the page its users call slow (pact_broker#518: statement timeouts
on big databases), because it works integration by integration. Here every step is one
set-based query over a page of integrations, read from the cache tables (latest pact per
consumer version, latest verification per pact/provider version) through their indexes:
integrations, their count, latest pacts, latest verifications, branches and tags of the
versions shown, current deployments and releases, environments with the label names. Nine
queries for a page of one integration or of a hundred.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Environment,
    Integration,
    Label,
    LatestPactPublication,
    LatestVerification,
    Pacticipant,
    Verification,
    Version,
)
from accord_broker.domain.integrations.integration_status import LatestResult, Status, status_of
from accord_broker.domain.integrations.version_chips import (
    Placement,
    VersionLabel,
    current_placements,
    version_labels,
)

__all__ = [
    "IntegrationRow",
    "Overview",
    "Placement",
    "VersionLabel",
    "current_placements",
    "load_overview",
    "network_rows",
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
    rows = integration_rows(session, [(int(c), int(p), cn, pn) for c, p, cn, pn in found])
    names = session.execute(_ENVIRONMENTS_AND_LABELS).all()
    environments = [name for kind, name in names if kind == "environment"]
    labels = [name for kind, name in names if kind == "label"]
    return Overview(
        rows, environments, total, page, page_size, search or None, label or None, labels
    )


def integration_rows(
    session: Session, integrations: Sequence[tuple[int, int, str, str]]
) -> list[IntegrationRow]:
    """Rows for (consumer id, provider id, consumer name, provider name), in the same order."""
    pairs = [(consumer_id, provider_id) for consumer_id, provider_id, _, _ in integrations]
    pacts = _latest_pacts(session, pairs)
    results = _latest_results(session, pairs)
    version_ids = {pact[0] for pact in pacts.values()} | {r[0] for r in results.values()}
    labels = version_labels(session, version_ids)
    placements = current_placements(session, {pid for pair in pairs for pid in pair})
    return [
        row_of(
            integration,
            pacts,
            results,
            labels,
            consumer_placements=placements.get(integration[0], {}),
            provider_placements=placements.get(integration[1], {}),
        )
        for integration in integrations
    ]


def row_of(
    integration: tuple[int, int, str, str],
    pacts: dict[tuple[int, int], Any],
    results: dict[tuple[int, int], Any],
    labels: dict[int, VersionLabel],
    **placements: dict[str, list[Placement]],
) -> IntegrationRow:
    """One integration's row from what ``_latest_pacts``, ``_latest_results`` and
    ``version_labels`` read for many at once (the index and the pacticipant page share it)."""
    consumer_id, provider_id, consumer_name, provider_name = integration
    pact = pacts.get((consumer_id, provider_id))
    provider_version_id, result = results.get((consumer_id, provider_id), (None, None))
    return IntegrationRow(
        consumer=consumer_name,
        provider=provider_name,
        consumer_version=labels.get(pact[0]) if pact else None,
        pact_published_at=pact[2] if pact else None,
        provider_version=labels.get(provider_version_id) if provider_version_id else None,
        verification=result,
        status=status_of(pact[1] if pact else None, result),
        **placements,
    )


@cache
def _network_query(of_one: bool) -> Select[*tuple[Any, ...]]:
    """Every integration with its names, or those of one pacticipant (bound: ``name``), built
    once: over fresh aliases, building it cost more than running it."""
    consumer, provider = aliased(Pacticipant), aliased(Pacticipant)
    query: Select[*tuple[Any, ...]] = (
        select(Integration.consumer_id, Integration.provider_id, consumer.name, provider.name)
        .join(consumer, consumer.id == Integration.consumer_id)
        .join(provider, provider.id == Integration.provider_id)
    )
    if of_one:
        name: BindParameter[str] = bindparam("name", type_=String())
        query = query.where((consumer.name == name) | (provider.name == name))
    return query


def network_rows(session: Session, pacticipant: str | None = None) -> list[IntegrationRow]:
    """Every integration (only those of ``pacticipant`` when given), for the network diagram."""
    query = _network_query(bool(pacticipant))
    found = session.execute(query, {"name": pacticipant} if pacticipant else {}).all()
    return integration_rows(session, [(int(c), int(p), cn, pn) for c, p, cn, pn in found])


_LP = LatestPactPublication
_LV = LatestVerification
_PAGE = (
    select(Integration.consumer_id, Integration.provider_id)
    .where(tuple_(Integration.consumer_id, Integration.provider_id).in_(_PAIRS))
    .subquery("page")
)
"""The page's integrations as rows, so each pair is looked up with its own index seek."""

_NEWEST_ORDER = (
    select(func.max(_LP.consumer_version_order))
    .where(_LP.provider_id == _PAGE.c.provider_id, _LP.consumer_id == _PAGE.c.consumer_id)
    .correlate(_PAGE)
    .scalar_subquery()
)
_LATEST_PACTS = (
    select(_LP.consumer_id, _LP.provider_id, _LP.consumer_version_id, _LP.pact_version_id)
    .add_columns(_LP.created_at)
    .select_from(_PAGE)
    .join(
        _LP,
        and_(
            _LP.provider_id == _PAGE.c.provider_id,
            _LP.consumer_id == _PAGE.c.consumer_id,
            _LP.consumer_version_order == _NEWEST_ORDER,
        ),
    )
)
"""Per pair, the newest order is a correlated MAX: one descent of
``ix_latest_pact_publications_provider_consumer_order`` each, however long the history (a GROUP
BY over the pairs would read every publication of every pair)."""

_NEWEST_RESULT = (
    select(func.max(_LV.verification_id))
    .where(_LV.provider_id == _PAGE.c.provider_id, _LV.consumer_id == _PAGE.c.consumer_id)
    .correlate(_PAGE)
    .scalar_subquery()
)
_LATEST_RESULTS = (
    select(
        Verification.consumer_id,
        Verification.provider_id,
        Verification.provider_version_id,
        Verification.id,
        Verification.number,
        Verification.pact_version_id,
        Version.number,
        Verification.success,
        Verification.pact_pending,
        Verification.execution_date,
    )
    .select_from(_PAGE)
    .join(Verification, Verification.id == _NEWEST_RESULT)
    .join(Version, Version.id == Verification.provider_version_id)
)
"""Per pair, the newest verification id is a correlated MAX through
``ix_latest_verifications_provider_consumer_verification``: one index descent per pair instead
of reading the pair's ~10,000 latest results."""


def _latest_pacts(
    session: Session, pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], tuple[int, int, datetime]]:
    """(consumer, provider) → (consumer version id, pact version id, published at)."""
    if not pairs:
        return {}
    rows = session.execute(_LATEST_PACTS, {"pairs": list(pairs)}).all()
    return {(c, p): (v, pv, at) for c, p, v, pv, at in rows}


def _latest_results(
    session: Session, pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], tuple[int, LatestResult]]:
    """(consumer, provider) → (provider version id, the newest verification of any content)."""
    if not pairs:
        return {}
    rows = session.execute(_LATEST_RESULTS, {"pairs": list(pairs)}).all()
    return {
        (row[0], row[1]): (
            row[2],
            LatestResult(row[3], row[4], row[5], row[6], row[7], bool(row[8]), row[9]),
        )
        for row in rows
    }


_ENVIRONMENTS_AND_LABELS = union_all(
    select(literal("environment").label("kind"), Environment.name.label("name")),
    select(literal("label").label("kind"), Label.name.label("name")).distinct(),
).order_by("kind", "name")
"""The index's environment columns and label filter in one round trip."""
