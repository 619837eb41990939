"""What a consumer version's pact changed since the previous distinct one, as meaning, not text.

The UI's "changes since the previous version" page reads this: the two pacts are parsed and
compared with :func:`accord.pact.diff.diff_pacts`, the one implementation ``accord pact diff``
also prints (interactions added or removed; provider states and their params; request method,
path, query, headers and body; response status, headers and body; message contents and
metadata; both sides of V4 synchronous messages; matching rules tightened or loosened and
generators on every part), so a reviewer sees what the provider is now asked for instead of a
JSON line diff. The previous pact is the one
``pb:diff-previous-distinct`` compares with (:func:`previous_distinct_pact`).
"""

from dataclasses import dataclass, field

from accord.errors import PactFormatError
from accord.pact import parse_pact
from accord.pact.diff import PactChange, diff_pacts
from accord_broker.domain.pacts.pact_history import pact_and_previous_distinct
from accord_broker.domain.pacts.pacts import PactRef
from accord_broker.domain.unit_of_work import Session


@dataclass(frozen=True, slots=True)
class PactChanges:
    """The pact of one consumer version, the one before it, and what changed between them.

    ``older`` is ``None`` when no earlier pact has other content (nothing to compare with);
    ``problem`` says why no comparison was made when one of the pacts cannot be read or is
    larger than the broker's diff limit."""

    newer: PactRef
    older: PactRef | None
    changes: list[PactChange] = field(default_factory=list)
    problem: str | None = None

    @property
    def asking_more(self) -> int:
        """How many changes a provider that satisfied the older pact could now fail."""
        return sum(1 for change in self.changes if change.asks_more)


def changes_since_previous(
    session: Session, provider: str, consumer: str, number: str, *, max_bytes: int
) -> PactChanges:
    """The semantic changes from the previous distinct pact to consumer version ``number``'s.

    Raises :class:`BrokerNotFoundError` when ``number`` has no pact between the two. Pacts
    larger than ``max_bytes`` (``ACCORD_BROKER_DIFF_MAX_BYTES``) are not compared, as for the
    text diffs, so one page view cannot cost unbounded CPU."""
    newer, older = pact_and_previous_distinct(session, provider, consumer, number)
    if older is None:
        return PactChanges(newer=newer, older=None)
    too_large = max(len(older.pact_version.content), len(newer.pact_version.content))
    if too_large > max_bytes:
        problem = (
            f"the pacts are larger than the broker's diff limit ({max_bytes} bytes); compare "
            "them locally with `accord pact diff`, or raise ACCORD_BROKER_DIFF_MAX_BYTES"
        )
        return PactChanges(newer=newer, older=older, problem=problem)
    try:
        before = parse_pact(
            older.content(), source=f"{consumer} version {older.consumer_version.number}"
        )
        after = parse_pact(newer.content(), source=f"{consumer} version {number}")
    except PactFormatError as exc:
        return PactChanges(newer=newer, older=older, problem=str(exc))
    return PactChanges(newer=newer, older=older, changes=diff_pacts(before, after))
