"""The catalogue's whole lists: answers that list a history because no page was asked, and how
many items each lists in the seeded shape (counted from the shape's own rules, so they follow
it when it changes). ``report.py`` bounds their cost per item instead of their time."""

from benchmarks.broker_scale.question import WholeList
from benchmarks.broker_scale.shape import (
    CONSUMERS,
    Shape,
    branch_of,
    consumer_tags,
    providers_of,
)

HOT_CONSUMER = 0
HOT_PROVIDER = 0
EMBEDDED_VERSIONS = "_embedded.versions"
EMBEDDED_PACTS = "_embedded.pacts"
PACT_LINKS = "_links.pb:pacts"
PACTS_TO_VERIFY = "_embedded.pacts"


def _on_branch(shape: Shape, branch: str) -> int:
    """Versions of any one consumer on ``branch`` (branches depend on the version only)."""
    return sum(1 for n in range(shape.consumer_versions) if branch_of(n) == branch)


def _tagged(shape: Shape, consumer: int, tag: str) -> int:
    return sum(1 for n in range(shape.consumer_versions) if tag in consumer_tags(consumer, n))


def _consumers_of_hot_provider() -> list[int]:
    return [c for c in range(CONSUMERS) if HOT_PROVIDER in providers_of(c)]


def versions(shape: Shape) -> WholeList:
    """``GET /pacticipants/C00/versions``: every version of the hot consumer."""
    return WholeList(EMBEDDED_VERSIONS, shape.consumer_versions)


def branch_versions(shape: Shape, branch: str) -> WholeList:
    """``GET /pacticipants/C00/branches/{branch}/versions``."""
    return WholeList(EMBEDDED_VERSIONS, _on_branch(shape, branch))


def pair_pact_versions(shape: Shape) -> WholeList:
    """``…/consumer/C00/versions``: one pact per version of the hot consumer."""
    return WholeList(PACT_LINKS, shape.consumer_versions)


def pair_tagged_pacts(shape: Shape, tag: str) -> WholeList:
    """``…/consumer/C00/tag/{tag}``: the pacts of the hot consumer's versions tagged ``tag``."""
    return WholeList(PACT_LINKS, _tagged(shape, HOT_CONSUMER, tag))


def pair_branch_pacts(shape: Shape, branch: str) -> WholeList:
    """``…/consumer/C00/branch/{branch}``, and ``…/branch`` and ``…/branch/versions`` (main):
    every version's."""
    return WholeList(EMBEDDED_PACTS, _on_branch(shape, branch))


def provider_pacts(shape: Shape) -> WholeList:
    """``GET /pacts/provider/P00``: every pact of every consumer of the hot provider."""
    return WholeList(PACT_LINKS, len(_consumers_of_hot_provider()) * shape.consumer_versions)


def provider_tagged_pacts(shape: Shape, tag: str) -> WholeList:
    """``GET /pacts/provider/P00/tag/{tag}``."""
    consumers = _consumers_of_hot_provider()
    return WholeList(PACT_LINKS, sum(_tagged(shape, c, tag) for c in consumers))


def provider_branch_pacts(shape: Shape, branch: str) -> WholeList:
    """``GET /pacts/provider/P00/branch[/{branch}]``: each consumer's pacts on the branch."""
    return WholeList(PACT_LINKS, len(_consumers_of_hot_provider()) * _on_branch(shape, branch))


def pacts_to_verify_of_tag(shape: Shape, tag: str) -> WholeList:
    """``POST /pacts/provider/P00/for-verification`` with ``{"tag": tag}`` (no ``latest``):
    every version tagged ``tag`` is selected, and the answer has one pact per distinct content
    among them, per consumer (the content changes every tenth version, see ``seed.py``)."""
    contents = {
        (c, n // 10)
        for c in _consumers_of_hot_provider()
        for n in range(shape.consumer_versions)
        if tag in consumer_tags(c, n)
    }
    return WholeList(PACTS_TO_VERIFY, len(contents))
