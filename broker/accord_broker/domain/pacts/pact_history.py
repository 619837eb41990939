"""A pact's neighbours in time: the versions published with a tag, and the previous pact whose
content differs (what ``pb:previous-distinct`` and ``pb:diff-previous-distinct`` compare with).
"""

from accord_broker.domain.pacts.pacts import PactRef, pact_for_version, pacts_between
from accord_broker.domain.unit_of_work import Session
from accord_broker.domain.versions.tags import tags_of
from accord_broker.errors import BrokerNotFoundError


def tagged_pacts_between(session: Session, provider: str, consumer: str, tag: str) -> list[PactRef]:
    """``pb:tagged-pact-versions``: the pacts of consumer versions tagged ``tag``, newest first."""
    return [
        ref
        for ref in pacts_between(session, provider, consumer)
        if any(t.name == tag for t in tags_of(session, ref.consumer_version))
    ]


def previous_distinct_pact(session: Session, provider: str, consumer: str, number: str) -> PactRef:
    """The newest pact published before consumer version ``number`` with other content.

    404 (saying why) when ``number`` has no pact, or when every earlier pact has the same
    content: there is then nothing to compare with."""
    current = pact_for_version(session, provider, consumer, number)
    order = current.publication.consumer_version_order
    for ref in pacts_between(session, provider, consumer):
        if ref.publication.consumer_version_order >= order:
            continue
        if ref.pact_version.sha != current.pact_version.sha:
            return ref
    raise BrokerNotFoundError(
        f"No pact between {consumer} and {provider} published before version {number} "
        "has different content"
    )
