"""The broker's URL shapes, link objects and timestamps, shared by the API (HAL) and the UI (HTML).

Names are percent-encoded as the Pact Broker does (``/`` → ``%2F``, space → ``%20``), so links
round-trip through the raw-path routing (clients.md trap 10).
"""

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote


@lru_cache(maxsize=8192)
def segment(value: str) -> str:
    """One URL path segment for ``value`` (every reserved character encoded, ``/`` included).

    Remembered: a matrix page of 100 rows quotes the same few names and numbers 2,000 times,
    and ``quote`` costs a microsecond each."""
    return quote(value, safe="")


def timestamp(value: datetime) -> str:
    """ISO-8601 UTC to the second with a ``+00:00`` offset, as the Pact Broker writes it.

    A value already in UTC (what the database gives) is not converted again, and the fraction
    of a second is left out by ``isoformat`` rather than by a copy without it (``replace`` cost
    twice the formatting): lists and matrix pages write hundreds of these (issue #20)."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(timespec="seconds")


def link(
    href: str, *, title: str | None = None, name: str | None = None, templated: bool = False
) -> dict[str, Any]:
    rendered: dict[str, Any] = {"href": href}
    if title is not None:
        rendered["title"] = title
    if name is not None:
        rendered["name"] = name
    if templated:
        rendered["templated"] = True
    return rendered


class Urls:
    """The broker's resource URLs under one base (``https://broker.example`` or the request's)."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    def pacticipants(self) -> str:
        return f"{self.base}/pacticipants"

    def pacticipant(self, name: str) -> str:
        return f"{self.base}/pacticipants/{segment(name)}"

    def versions(self, pacticipant: str) -> str:
        return f"{self.pacticipant(pacticipant)}/versions"

    def version(self, pacticipant: str, number: str) -> str:
        return f"{self.versions(pacticipant)}/{segment(number)}"

    def tag(self, pacticipant: str, number: str, tag: str) -> str:
        return f"{self.version(pacticipant, number)}/tags/{segment(tag)}"

    def branches(self, pacticipant: str) -> str:
        return f"{self.pacticipant(pacticipant)}/branches"

    def branch(self, pacticipant: str, branch: str) -> str:
        return f"{self.branches(pacticipant)}/{segment(branch)}"

    def branch_version(self, pacticipant: str, branch: str, number: str) -> str:
        return f"{self.branch(pacticipant, branch)}/versions/{segment(number)}"

    def provider_pacts(self, provider: str) -> str:
        return f"{self.base}/pacts/provider/{segment(provider)}"

    def pacts_between(self, provider: str, consumer: str) -> str:
        return f"{self.base}/pacts/provider/{segment(provider)}/consumer/{segment(consumer)}"

    def pact_for_version(self, provider: str, consumer: str, number: str) -> str:
        return f"{self.pacts_between(provider, consumer)}/version/{segment(number)}"

    def pact_version(
        self, provider: str, consumer: str, sha: str, metadata: str | None = None
    ) -> str:
        url = f"{self.pacts_between(provider, consumer)}/pact-version/{segment(sha)}"
        return f"{url}/metadata/{segment(metadata)}" if metadata else url

    def verification_results(
        self, provider: str, consumer: str, sha: str, metadata: str | None = None
    ) -> str:
        return f"{self.pact_version(provider, consumer, sha, metadata)}/verification-results"

    def verification(self, provider: str, consumer: str, sha: str, number: int) -> str:
        return f"{self.verification_results(provider, consumer, sha)}/{number}"

    def environment(self, uuid: str) -> str:
        return f"{self.base}/environments/{uuid}"


class AnswerUrls(Urls):
    """``Urls`` for one large answer, each pacticipant's and each pair's prefix built once.

    A matrix page of 100 rows writes some 500 links under the same two pacticipants and one
    pair of them; every other URL shape starts from these two prefixes, so remembering them
    (for the one answer: the names are few) saves rebuilding them from the base each time.
    """

    def __init__(self, base: str) -> None:
        super().__init__(base)
        self._pacticipants: dict[str, str] = {}
        self._pairs: dict[tuple[str, str], str] = {}

    def pacticipant(self, name: str) -> str:
        found = self._pacticipants.get(name)
        if found is None:
            found = self._pacticipants[name] = super().pacticipant(name)
        return found

    def pacts_between(self, provider: str, consumer: str) -> str:
        found = self._pairs.get((provider, consumer))
        if found is None:
            found = self._pairs[provider, consumer] = super().pacts_between(provider, consumer)
        return found
