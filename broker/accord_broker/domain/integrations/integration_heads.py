"""Integrations with their newest pact and newest result, in one statement.

The index, the pacticipant page and the network each looked up the newest pact and the newest
result of their integrations in two statements bound by the pairs. Here one statement does
both, driven by the integrations it filters (a pacticipant's, a team's) or by the bound pairs
of a page: per integration a correlated ``MAX`` descends
``ix_latest_pact_publications_provider_consumer_order`` and
``ix_latest_verifications_provider_consumer_verification`` once each, as the bound lookups
did. A statement costs SQLAlchemy's Python (~0.1-0.2 ms) whatever SQLite spends on it, which
was less. ``heads`` reads what the index and a pacticipant's page show (versions, times, the
result); ``statuses`` only what a status needs, for the network's diagram.

The callers build each statement once (``functools.cache`` or a module constant): building
one over fresh aliases costs more than running it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.selectable import FromClause

from accord_broker.db.models import (
    Integration,
    LatestPactPublication,
    LatestVerification,
    Pacticipant,
    Verification,
    Version,
)
from accord_broker.domain.integrations.integration_status import (
    LatestResult,
    Status,
    result_status,
    status_of,
)

CONSUMER, PROVIDER = aliased(Pacticipant, name="consumer"), aliased(Pacticipant, name="provider")
"""The integration's two sides, for a filter over their names or labels."""


@dataclass(frozen=True, slots=True)
class Head:
    """One integration with its newest pact (consumer version id, content id, when) and its
    newest result of any content (with the version that made it)."""

    consumer_id: int
    provider_id: int
    consumer: str
    provider: str
    pact_version_id: int | None
    consumer_version_id: int | None
    """The newest pact's version (``None`` with no pact, as ``published_at``)."""
    published_at: datetime | None
    provider_version_id: int | None
    """The version that made the newest result (``None`` with no result)."""
    result: LatestResult | None

    @property
    def status(self) -> Status:
        return status_of(self.pact_version_id, self.result)


def _listing(*where: ColumnElement[bool]) -> Select[Any]:
    """(consumer id, provider id, names, newest pact order, newest result id) per integration
    matching ``where``: the correlated ``MAX``s run once per integration listed."""
    newest_pact = aliased(LatestPactPublication)
    newest_result = aliased(LatestVerification)
    return (
        select(
            Integration.consumer_id.label("consumer_id"),
            Integration.provider_id.label("provider_id"),
            CONSUMER.name.label("consumer_name"),
            PROVIDER.name.label("provider_name"),
            select(func.max(newest_pact.consumer_version_order))
            .where(
                newest_pact.provider_id == Integration.provider_id,
                newest_pact.consumer_id == Integration.consumer_id,
            )
            .correlate(Integration)
            .scalar_subquery()
            .label("newest_order"),
            select(func.max(newest_result.verification_id))
            .where(
                newest_result.provider_id == Integration.provider_id,
                newest_result.consumer_id == Integration.consumer_id,
            )
            .correlate(Integration)
            .scalar_subquery()
            .label("newest_result"),
        )
        .join(CONSUMER, CONSUMER.id == Integration.consumer_id)
        .join(PROVIDER, PROVIDER.id == Integration.provider_id)
        .where(*where)
    )


def heads(*where: ColumnElement[bool], ordered: bool = True) -> Select[Any]:
    """The integrations matching ``where`` (over ``Integration``, ``CONSUMER``, ``PROVIDER``)
    with their newest pact and result, by consumer then provider name (``lower``, as every
    listing of integrations orders them) when ``ordered``."""
    listed: FromClause = _listing(*where).offset(0).subquery("listed")
    # OFFSET 0 keeps PostgreSQL from merging the listing into the joins below, where each
    # correlated MAX would be evaluated twice per integration
    query = _with_newest(listed)
    if ordered:
        query = query.order_by(
            func.lower(listed.c.consumer_name), func.lower(listed.c.provider_name)
        )
    return query


def _with_newest(listed: FromClause) -> Select[Any]:
    """``listed`` (ids, names, ``newest_order``, ``newest_result``) joined to the newest pact,
    the newest result and the version that made it: the columns ``heads_of`` reads."""
    pact = aliased(LatestPactPublication)
    provider_version = aliased(Version)
    return (
        select(
            listed.c.consumer_id,
            listed.c.provider_id,
            listed.c.consumer_name,
            listed.c.provider_name,
            pact.pact_version_id,
            pact.consumer_version_id,
            pact.created_at,
            Verification.provider_version_id,
            Verification.id,
            Verification.number,
            Verification.pact_version_id,
            provider_version.number,
            Verification.success,
            Verification.pact_pending,
            Verification.execution_date,
        )
        .select_from(listed)
        .outerjoin(
            pact,
            (pact.provider_id == listed.c.provider_id)
            & (pact.consumer_id == listed.c.consumer_id)
            & (pact.consumer_version_order == listed.c.newest_order),
        )
        .outerjoin(Verification, Verification.id == listed.c.newest_result)
        .outerjoin(provider_version, provider_version.id == Verification.provider_version_id)
    )


def page_of_heads(*where: ColumnElement[bool], limit: Any, offset: Any) -> Select[Any]:
    """One page of the integrations matching ``where`` (over ``Integration``, ``CONSUMER``,
    ``PROVIDER``), by consumer then provider name as ``heads`` orders them, from ``offset``,
    at most ``limit``, with their newest pact and result as ``heads`` gives them and how many
    match in all (``count(*) OVER ()`` as the last column, counted before the page is cut).

    The index made three statements of this: the page, its count, then the page's heads bound
    by its pairs; each cost SQLAlchemy's per-statement Python and the bound pairs an expanded
    ``IN`` list (issue #20). The page is cut before the newest pact and result are looked up,
    so only the page's integrations descend the indexes."""
    page = (
        select(
            Integration.consumer_id.label("consumer_id"),
            Integration.provider_id.label("provider_id"),
            CONSUMER.name.label("consumer_name"),
            PROVIDER.name.label("provider_name"),
            func.count().over().label("total"),
        )
        .join(CONSUMER, CONSUMER.id == Integration.consumer_id)
        .join(PROVIDER, PROVIDER.id == Integration.provider_id)
        .where(*where)
        .order_by(func.lower(CONSUMER.name), func.lower(PROVIDER.name))
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )
    newest_pact = aliased(LatestPactPublication)
    newest_result = aliased(LatestVerification)
    listed = (
        select(
            *page.c,
            select(func.max(newest_pact.consumer_version_order))
            .where(
                newest_pact.provider_id == page.c.provider_id,
                newest_pact.consumer_id == page.c.consumer_id,
            )
            .correlate(page)
            .scalar_subquery()
            .label("newest_order"),
            select(func.max(newest_result.verification_id))
            .where(
                newest_result.provider_id == page.c.provider_id,
                newest_result.consumer_id == page.c.consumer_id,
            )
            .correlate(page)
            .scalar_subquery()
            .label("newest_result"),
        )
        .offset(0)  # as in ``heads``: each correlated MAX evaluated once per integration
        .subquery("listed")
    )
    return (
        _with_newest(listed)
        .add_columns(listed.c.total)
        .order_by(func.lower(listed.c.consumer_name), func.lower(listed.c.provider_name))
    )


def statuses(*where: ColumnElement[bool]) -> Select[Any]:
    """(consumer id, provider id, newest pact's content id, newest result's content id, its
    success, its pending flag) per integration matching ``where``, unordered: what a status
    needs and nothing more (no version is looked up, nor a timestamp read: for the network's
    hundred integrations that was two thirds of SQLite's work)."""
    listed: FromClause = _listing(*where).offset(0).subquery("listed")
    pact = aliased(LatestPactPublication)
    return (
        select(
            listed.c.consumer_id,
            listed.c.provider_id,
            pact.pact_version_id,
            Verification.pact_version_id,
            Verification.success,
            Verification.pact_pending,
        )
        .select_from(listed)
        .outerjoin(
            pact,
            (pact.provider_id == listed.c.provider_id)
            & (pact.consumer_id == listed.c.consumer_id)
            & (pact.consumer_version_order == listed.c.newest_order),
        )
        .outerjoin(Verification, Verification.id == listed.c.newest_result)
    )


def statuses_of(rows: Iterable[Any]) -> dict[tuple[int, int], Status]:
    """The ``statuses`` statement's rows as each pair's status."""
    return {
        (int(c), int(p)): result_status(pact, verified, bool(success), bool(pending))
        for c, p, pact, verified, success, pending in rows
    }


def heads_of(rows: Iterable[Any]) -> list[Head]:
    """The statement's rows as ``Head`` s, in their order."""
    found = []
    for row in rows:
        result = None
        if row[8] is not None:
            result = LatestResult(row[8], row[9], row[10], row[11], row[12], bool(row[13]), row[14])
        pact = row[4] is not None
        found.append(
            Head(
                int(row[0]),
                int(row[1]),
                row[2],
                row[3],
                row[4],
                row[5] if pact else None,
                row[6] if pact else None,
                row[7] if result else None,
                result,
            )
        )
    return found
