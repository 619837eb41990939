"""Pact lists: what the list resources show of each pact, read in one statement.

A list entry needs the two names, the consumer version number and when the pact was
published, never the pact's content: :class:`PactListing` carries only those, selected as
columns, so a list of thousands of pacts costs one index range and no content reads.

"Latest" lists (each consumer's newest pact, optionally of versions tagged ``tag``, and the
newest pact of every integration) start from ``integrations`` (one row per pair) and find each
pair's newest publication with an ordered ``LIMIT 1`` down an index (the
``latest_pact_publications`` order index, or the ``tags`` order index with a primary-key probe
of ``latest_pact_publications``), so their cost follows the number of pairs, not the history.

Lists unbounded by nature (every pact of a pair or provider, every pact tagged ``dev``) are not
paged — the Pact Broker does not page them, and clients read them whole — they are streamed
cheaply instead: one statement down the pair's or provider's index, only the listed columns.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session, aliased

from accord_broker.db.models import (
    Integration,
    LatestPactPublication,
    Pacticipant,
    Tag,
    Version,
)
from accord_broker.domain.pacticipants.pacticipants import get_pacticipant, get_pacticipants

__all__ = [
    "PactListing",
    "latest_pacts_for_provider",
    "latest_pacts_of_every_integration",
    "listing_columns",
    "listings",
    "pact_listings_between",
    "pacts_for_provider",
]


@dataclass(frozen=True, slots=True)
class PactListing:
    """One current pact as a list shows it (link, title and creation time; no content)."""

    consumer_name: str
    provider_name: str
    consumer_version_number: str
    published_at: datetime

    @property
    def title(self) -> str:
        return (
            f"Pact between {self.consumer_name} ({self.consumer_version_number}) "
            f"and {self.provider_name}"
        )


Listed = Select[str, str, str, datetime]
_consumer = aliased(Pacticipant, name="listed_consumer")
_provider = aliased(Pacticipant, name="listed_provider")


def listing_columns() -> Listed:
    """The current pacts as listing columns; callers add the ``where`` and the order (the
    consumer and provider are the aliases :data:`LISTED_CONSUMER` and :data:`LISTED_PROVIDER`)."""
    return (
        # the publication time is the current revision's, copied into latest_pact_publications
        # when it is written: reading it there spares a probe of pact_publications per pact
        # (and PostgreSQL's temptation to hash-join all of them for a long list)
        select(_consumer.name, _provider.name, Version.number, LatestPactPublication.created_at)
        .select_from(LatestPactPublication)
        .join(Version, Version.id == LatestPactPublication.consumer_version_id)
        .join(_consumer, _consumer.id == LatestPactPublication.consumer_id)
        .join(_provider, _provider.id == LatestPactPublication.provider_id)
    )


LISTED_CONSUMER = _consumer
LISTED_PROVIDER = _provider


def listings(session: Session, query: Listed) -> list[PactListing]:
    return [
        PactListing(consumer, provider, number, published)
        for consumer, provider, number, published in session.execute(query).all()
    ]


def _by_consumer(found: list[PactListing]) -> list[PactListing]:
    """Sorted by consumer name, case-insensitively (stable: the query's order within one)."""
    return sorted(found, key=lambda listing: listing.consumer_name.lower())


def _newest_of_integration(provider_id: Any, tag: str | None) -> Any:
    """The consumer version id of the integration's newest current pact (of versions tagged
    ``tag``): correlated with ``integrations``, one ordered index walk that stops at the first
    match."""
    newest = aliased(LatestPactPublication)
    if tag is None:
        return (
            select(newest.consumer_version_id)
            .where(newest.provider_id == provider_id, newest.consumer_id == Integration.consumer_id)
            .order_by(newest.consumer_version_order.desc())
            .limit(1)
            .correlate(Integration)
            .scalar_subquery()
        )
    tagged = aliased(Tag)
    return (
        select(tagged.version_id)
        .join(
            newest,
            and_(
                newest.consumer_version_id == tagged.version_id, newest.provider_id == provider_id
            ),
        )
        .where(tagged.pacticipant_id == Integration.consumer_id, tagged.name == tag)
        .order_by(tagged.version_order.desc())
        .limit(1)
        .correlate(Integration)
        .scalar_subquery()
    )


def latest_pacts_for_provider(
    session: Session, provider: Pacticipant, *, tag: str | None = None
) -> list[PactListing]:
    """The newest pact of each consumer of ``provider`` (optionally of versions tagged ``tag``)."""
    heads = select(_newest_of_integration(provider.id, tag)).where(
        Integration.provider_id == provider.id
    )
    query = listing_columns().where(
        LatestPactPublication.provider_id == provider.id,
        LatestPactPublication.consumer_version_id.in_(heads),
    )
    return _by_consumer(listings(session, query))


@cache
def _every_integration() -> Listed:
    """The newest pact of every pair, built once (building and keying it cost more than
    running it: issue #20)."""
    heads = select(
        Integration.provider_id.label("provider_id"),
        _newest_of_integration(Integration.provider_id, None).label("version_id"),
    ).subquery()
    return listing_columns().join(
        heads,
        and_(
            heads.c.provider_id == LatestPactPublication.provider_id,
            heads.c.version_id == LatestPactPublication.consumer_version_id,
        ),
    )


def latest_pacts_of_every_integration(session: Session) -> list[PactListing]:
    """The newest pact of every (consumer, provider) pair, sorted by consumer then provider."""
    found = listings(session, _every_integration())
    return sorted(
        found, key=lambda listing: (listing.consumer_name.lower(), listing.provider_name.lower())
    )


def pact_listings_between(
    session: Session, provider: str, consumer: str, *, tag: str | None = None
) -> list[PactListing]:
    """Every current pact between the two (of consumer versions tagged ``tag``), newest first."""
    prov, cons = get_pacticipants(session, (provider, "provider"), (consumer, "consumer"))
    query = listing_columns().where(
        LatestPactPublication.provider_id == prov.id, LatestPactPublication.consumer_id == cons.id
    )
    if tag is not None:
        query = query.join(
            Tag, and_(Tag.version_id == LatestPactPublication.consumer_version_id, Tag.name == tag)
        )
    return listings(session, query.order_by(LatestPactPublication.consumer_version_order.desc()))


def _all_pacts_for_provider(
    session: Session, provider: Pacticipant, tag: str | None
) -> list[PactListing]:
    query = listing_columns().where(LatestPactPublication.provider_id == provider.id)
    if tag is not None:
        query = query.join(
            Tag, and_(Tag.version_id == LatestPactPublication.consumer_version_id, Tag.name == tag)
        )
    ordered = query.order_by(LatestPactPublication.consumer_version_order.desc())
    return _by_consumer(listings(session, ordered))


def pacts_for_provider(
    session: Session, provider: str, *, latest: bool, tag: str | None = None
) -> Sequence[PactListing]:
    """The provider's current pacts, or with ``latest`` only each consumer's newest (of versions
    tagged ``tag``, if given); a 404 for an unknown provider."""
    found = get_pacticipant(session, provider, "provider")
    if latest:
        return latest_pacts_for_provider(session, found, tag=tag)
    return _all_pacts_for_provider(session, found, tag)
