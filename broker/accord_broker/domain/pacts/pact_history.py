"""A pact's neighbours in time: the versions published with a tag, and the previous pact whose
content differs (what ``pb:previous-distinct`` and ``pb:diff-previous-distinct`` compare with).
"""

from accord_broker.domain.pacts.pact_lists import PactListing, pact_listings_between
from accord_broker.domain.pacts.pacts import (
    PactRef,
    newest_pact_with_other_content_before,
    pact_for_version,
)
from accord_broker.domain.unit_of_work import Session
from accord_broker.errors import BrokerNotFoundError


def tagged_pacts_between(
    session: Session, provider: str, consumer: str, tag: str
) -> list[PactListing]:
    """``pb:tagged-pact-versions``: the pacts of consumer versions tagged ``tag``, newest first
    (one statement: the pair's pacts joined with the tag, not the tags read per version)."""
    return pact_listings_between(session, provider, consumer, tag=tag)


def previous_distinct_pact(session: Session, provider: str, consumer: str, number: str) -> PactRef:
    """The newest pact published before consumer version ``number`` with other content.

    404 (saying why) when ``number`` has no pact, or when every earlier pact has the same
    content: there is then nothing to compare with."""
    _current, found = pact_and_previous_distinct(session, provider, consumer, number)
    if found is None:
        raise BrokerNotFoundError(
            f"No pact between {consumer} and {provider} published before version {number} "
            "has different content"
        )
    return found


def pact_and_previous_distinct(
    session: Session, provider: str, consumer: str, number: str
) -> tuple[PactRef, PactRef | None]:
    """Consumer version ``number``'s pact (a 404 if it has none) and the newest pact published
    before it with other content, if any: what a diff with the previous distinct pact compares,
    the pact found once (issue #20: found twice, it cost two statements more)."""
    current = pact_for_version(session, provider, consumer, number)
    return current, newest_pact_with_other_content_before(session, current)
