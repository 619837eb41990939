"""The index page's data: one row per integration, loaded with a fixed number of queries.

The Pact Broker's index is the page its users call slow (pact_broker#518: statement timeouts
on big databases), because it works integration by integration. Here every step is one
set-based query over a page of integrations, read from the cache tables (latest pact per
consumer version, latest verification per pact/provider version) through their indexes:
integrations, their count, latest pacts, latest verifications, branches and tags of the
versions shown, current deployments and releases, environments. Nine queries for a page of
one integration or of a hundred.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    BranchVersion,
    DeployedVersion,
    Environment,
    Integration,
    LatestPactPublication,
    LatestVerification,
    Pacticipant,
    ReleasedVersion,
    Tag,
    Verification,
    Version,
)
from accord_broker.domain.integration_status import LatestResult, Status, status_of

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class VersionLabel:
    """A version as the index shows it: its number with its branches and tags."""

    number: str
    branches: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Placement:
    """A version currently deployed to (or released and supported in) an environment."""

    environment: str
    version: str
    released: bool = False
    application_instance: str | None = None


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

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _search_filter(
    consumer: type[Pacticipant], provider: type[Pacticipant], search: str | None
) -> ColumnElement[bool] | None:
    if not search:
        return None
    pattern = "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern += "%"
    return or_(
        func.lower(consumer.name).like(pattern, escape="\\"),
        func.lower(provider.name).like(pattern, escape="\\"),
    )


def load_overview(
    session: Session,
    *,
    search: str | None = None,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Overview:
    """One page of the index, integrations ordered by consumer then provider name."""
    page = max(1, page)
    page_size = min(max(1, page_size), MAX_PAGE_SIZE)
    consumer, provider = aliased(Pacticipant), aliased(Pacticipant)
    query = (
        select(Integration.consumer_id, Integration.provider_id, consumer.name, provider.name)
        .join(consumer, consumer.id == Integration.consumer_id)
        .join(provider, provider.id == Integration.provider_id)
    )
    count_query = (
        select(func.count())
        .select_from(Integration)
        .join(consumer, consumer.id == Integration.consumer_id)
        .join(provider, provider.id == Integration.provider_id)
    )
    matches = _search_filter(consumer, provider, search)
    if matches is not None:
        query, count_query = query.where(matches), count_query.where(matches)
    found = session.execute(
        query.order_by(func.lower(consumer.name), func.lower(provider.name))
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    total = int(session.execute(count_query).scalar_one())
    rows = integration_rows(session, [(int(c), int(p), cn, pn) for c, p, cn, pn in found])
    environments = list(
        session.execute(select(Environment.name).order_by(Environment.name)).scalars()
    )
    return Overview(rows, environments, total, page, page_size, search or None)


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
    rows = []
    for consumer_id, provider_id, consumer_name, provider_name in integrations:
        pact = pacts.get((consumer_id, provider_id))
        provider_version_id, result = results.get((consumer_id, provider_id), (None, None))
        rows.append(
            IntegrationRow(
                consumer=consumer_name,
                provider=provider_name,
                consumer_version=labels.get(pact[0]) if pact else None,
                pact_published_at=pact[2] if pact else None,
                provider_version=labels.get(provider_version_id) if provider_version_id else None,
                verification=result,
                status=status_of(pact[1] if pact else None, result),
                consumer_placements=placements.get(consumer_id, {}),
                provider_placements=placements.get(provider_id, {}),
            )
        )
    return rows


def _pairs_table(pairs: Sequence[tuple[int, int]]) -> Any:
    """The page's integrations as rows, so each pair is looked up with its own index seek."""
    return (
        select(Integration.consumer_id, Integration.provider_id)
        .where(tuple_(Integration.consumer_id, Integration.provider_id).in_(pairs))
        .subquery("page")
    )


def _latest_pacts(
    session: Session, pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], tuple[int, int, datetime]]:
    """(consumer, provider) → (consumer version id, pact version id, published at).

    The newest order is a correlated MAX per pair: one descent of
    ``ix_latest_pact_publications_provider_consumer_order`` each, however long the history (a
    GROUP BY over the pairs would read every publication of every pair)."""
    if not pairs:
        return {}
    lp = LatestPactPublication
    page = _pairs_table(pairs)
    top = (
        select(func.max(lp.consumer_version_order))
        .where(lp.provider_id == page.c.provider_id, lp.consumer_id == page.c.consumer_id)
        .correlate(page)
        .scalar_subquery()
    )
    rows = session.execute(
        select(lp.consumer_id, lp.provider_id, lp.consumer_version_id, lp.pact_version_id)
        .add_columns(lp.created_at)
        .select_from(page)
        .join(
            lp,
            and_(
                lp.provider_id == page.c.provider_id,
                lp.consumer_id == page.c.consumer_id,
                lp.consumer_version_order == top,
            ),
        )
    ).all()
    return {(c, p): (v, pv, at) for c, p, v, pv, at in rows}


def _latest_results(
    session: Session, pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], tuple[int, LatestResult]]:
    """(consumer, provider) → (provider version id, the newest verification of any content).

    The newest verification id is a correlated MAX per pair through
    ``ix_latest_verifications_provider_consumer_verification``: one index descent per pair
    instead of reading the pair's ~10,000 latest results."""
    if not pairs:
        return {}
    lv = LatestVerification
    page = _pairs_table(pairs)
    newest = (
        select(func.max(lv.verification_id))
        .where(lv.provider_id == page.c.provider_id, lv.consumer_id == page.c.consumer_id)
        .correlate(page)
        .scalar_subquery()
    )
    rows = session.execute(
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
        .select_from(page)
        .join(Verification, Verification.id == newest)
        .join(Version, Version.id == Verification.provider_version_id)
    ).all()
    return {
        (row[0], row[1]): (
            row[2],
            LatestResult(row[3], row[4], row[5], row[6], row[7], bool(row[8]), row[9]),
        )
        for row in rows
    }


def version_labels(session: Session, version_ids: Iterable[int]) -> dict[int, VersionLabel]:
    ids = sorted(set(version_ids))
    if not ids:
        return {}
    numbers = dict(
        session.execute(select(Version.id, Version.number).where(Version.id.in_(ids))).all()
    )
    branches: dict[int, list[str]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    for version_id, name in session.execute(
        select(BranchVersion.version_id, BranchVersion.branch_name)
        .where(BranchVersion.version_id.in_(ids))
        .order_by(BranchVersion.id)
    ):
        branches[version_id].append(name)
    for version_id, name in session.execute(
        select(Tag.version_id, Tag.name).where(Tag.version_id.in_(ids)).order_by(Tag.id)
    ):
        tags[version_id].append(name)
    return {
        vid: VersionLabel(numbers[vid], tuple(branches[vid]), tuple(tags[vid]))
        for vid in ids
        if vid in numbers
    }


def current_placements(
    session: Session, pacticipant_ids: Iterable[int]
) -> dict[int, dict[str, list[Placement]]]:
    """pacticipant id → environment name → what runs (or is supported) there now."""
    ids = sorted(set(pacticipant_ids))
    found: dict[int, dict[str, list[Placement]]] = defaultdict(lambda: defaultdict(list))
    if not ids:
        return {}
    deployed = session.execute(
        select(
            DeployedVersion.pacticipant_id,
            Environment.name,
            Version.number,
            DeployedVersion.application_instance,
        )
        .join(Environment, Environment.id == DeployedVersion.environment_id)
        .join(Version, Version.id == DeployedVersion.version_id)
        .where(DeployedVersion.pacticipant_id.in_(ids), DeployedVersion.undeployed_at.is_(None))
        .order_by(DeployedVersion.created_at)
    ).all()
    for pacticipant_id, environment, number, instance in deployed:
        found[pacticipant_id][environment].append(Placement(environment, number, False, instance))
    released = session.execute(
        select(ReleasedVersion.pacticipant_id, Environment.name, Version.number)
        .join(Environment, Environment.id == ReleasedVersion.environment_id)
        .join(Version, Version.id == ReleasedVersion.version_id)
        .where(ReleasedVersion.pacticipant_id.in_(ids), ReleasedVersion.support_ended_at.is_(None))
        .order_by(ReleasedVersion.created_at)
    ).all()
    for pacticipant_id, environment, number in released:
        found[pacticipant_id][environment].append(Placement(environment, number, True))
    return {pid: dict(envs) for pid, envs in found.items()}
