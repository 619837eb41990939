"""What the stub sends back: an interaction's response with its generators applied.

Generators run in the mock-server (consumer) mode: random values, dates, regex-generated
strings and ``MockServerURL`` (with the stub's own address) are produced afresh for every
answer; ``ProviderState`` generators keep their example, since a stub has no provider state to
take values from. A response without generators is sent as the exact bytes of the pact.
"""

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.matching import apply_generators
from accord.pact import BodyKind, HttpResponse, response_to_json
from accord.pact.bodies import canonical_json, is_json_type, is_text_type

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


def _generated_body(body: Any, content_type: str | None) -> bytes:
    """Bytes of a generated plain pact-JSON body (a JSON value, text, or Base64 of binary)."""
    if is_json_type(content_type) or (content_type is None and not isinstance(body, str)):
        return body.encode("utf-8") if isinstance(body, str) else canonical_json(body)
    if isinstance(body, str):
        if content_type is not None and not is_text_type(content_type):
            return base64.b64decode(body)
        return body.encode("utf-8")
    return canonical_json(body)


def build_response(response: HttpResponse, *, base_url: str) -> StubResponse:
    """The response to send for ``response``, generated afresh when it has generators.

    A body without a ``Content-Type`` header gets one from the pact's body (``text/plain`` when
    the pact does not say), as the reference stub server does.
    """
    body_kind = response.body.kind
    if not response.generators:
        status = response.status
        lines = _header_lines(response.headers)
        body = response.body.raw if body_kind in _SENT_BODIES else b""
    else:
        original = response_to_json(response)
        context = {"mockServer": {"href": base_url, "url": base_url}}
        generated = apply_generators(original, mode="consumer", context=context)
        status = int(generated.get("status", response.status))
        lines = _header_lines(generated.get("headers") or {})
        if body_kind not in _SENT_BODIES:
            body = b""
        elif generated.get("body") == original.get("body"):
            body = response.body.raw
        else:
            body = _generated_body(generated.get("body"), response.body.content_type)
    built = StubResponse(status, tuple(lines), body)
    if body and not built.has_header("Content-Type"):
        content_type = response.body.content_type or "text/plain"
        built = StubResponse(status, (*built.headers, ("Content-Type", content_type)), body)
    return built
