"""What the stub sends back: an interaction's response with its generators applied.

Generators run in the mock-server (consumer) mode: random values, dates, regex-generated
strings and ``MockServerURL`` (with the stub's own address) are produced afresh for every
answer; ``ProviderState`` generators keep their example, since a stub has no provider state to
take values from. A response without generators is sent as the exact bytes of the pact; one
with generators goes through ``accord.matching.generators.generate_response`` on the model
(no pact JSON written or read).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.pact import BodyKind, HttpResponse

_SENT_BODIES = (BodyKind.PRESENT, BodyKind.EMPTY)


@dataclass(frozen=True, slots=True)
class StubResponse:
    """Status, header lines (a repeated header is several lines) and body bytes."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def has_header(self, name: str) -> bool:
        lowered = name.lower()
        return any(key.lower() == lowered for key, _ in self.headers)


def _header_lines(headers: Mapping[str, Any]) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for name, values in headers.items():
        for value in [values] if isinstance(values, str) else values:
            lines.append((str(name), str(value)))
    return lines


def build_response(response: HttpResponse, *, base_url: str) -> StubResponse:
    """The response to send for ``response``, generated afresh when it has generators.

    A body without a ``Content-Type`` header gets one from the pact's body (``text/plain`` when
    the pact does not say), as the reference stub server does.
    """
    if response.generators:
        from accord.matching.generators import generate_response

        base = {"href": base_url, "url": base_url}
        response = generate_response(response, mode="consumer", context={"mockServer": base})
    status = response.status
    lines = _header_lines(response.headers)
    body = response.body.raw if response.body.kind in _SENT_BODIES else b""
    built = StubResponse(status, tuple(lines), body)
    if body and not built.has_header("Content-Type"):
        content_type = response.body.content_type or "text/plain"
        built = StubResponse(status, (*built.headers, ("Content-Type", content_type)), body)
    return built
