"""Turn a pact's request into bytes on the wire (and the provider's answer into text for a diff).

The model already carries the exact body bytes (``Body.raw``), so a request is built without
touching JSON: a request with generators first goes through
``accord.matching.generators.generate_request`` (provider mode, with the provider-state values
as context), which returns the model with the generated values and re-encoded body bytes; a
generator that could not produce a value is told to ``on_skip`` so the verdict can say the
example was sent.
"""

import base64
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from accord.matching.body_sources import without_wire_header
from accord.pact import HttpRequest
from accord.pact.bodies import is_json_type, is_text_type
from accord.verifier.transport import ReplayRequest

_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = "/:@!$'()*,;-._~"


def encode_query(query: Mapping[str, Any]) -> str:
    """``{"a": ["1", "2"], "flag": [None]}`` -> ``a=1&a=2&flag`` (values percent-encoded)."""
    parts: list[str] = []
    for name, given in query.items():
        values = (given,) if isinstance(given, str | None) else given
        encoded_name = quote(name, safe=_QUERY_SAFE)
        for value in values:
            if value is None:
                parts.append(encoded_name)
            else:
                parts.append(f"{encoded_name}={quote(str(value), safe=_QUERY_SAFE)}")
    return "&".join(parts)


def _join_header(values: Any) -> str:
    if isinstance(values, str):
        return values
    return ", ".join(str(value) for value in values)


def _headers(headers: Mapping[str, Any], custom: Mapping[str, str]) -> dict[str, str]:
    built = {name: _join_header(values) for name, values in headers.items()}
    if custom:
        lowered = {name.lower() for name in custom}
        built = {name: value for name, value in built.items() if name.lower() not in lowered}
        built.update(custom)
    return built


def _with_content_type(headers: dict[str, str], content_type: str | None) -> dict[str, str]:
    if content_type and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = content_type
    return headers


def build_request(
    request: HttpRequest,
    *,
    context: Mapping[str, Any],
    custom_headers: Mapping[str, str],
    on_skip: Callable[[str], None] | None = None,
) -> ReplayRequest:
    """The request to send for ``request``, with generators applied when it has any.

    ``on_skip`` hears one sentence per generator that kept its example value (a provider-state
    value the state handler did not return, an unreadable ``baseDate``, a bad regex...)."""
    if request.generators:
        # the generator engine (random, uuid, dates, regex generation) loads with the first
        # request that has generators: most pacts' requests have none
        from accord.matching.generators import generate_request

        request = generate_request(request, mode="provider", context=context, on_skip=on_skip)
    body = request.body.raw if request.body.kind.value in ("present", "empty") else None
    return ReplayRequest(
        method=request.method.upper(),
        path=quote(request.path, safe=_PATH_SAFE),
        query=encode_query(request.query) if request.query else "",
        headers=_with_content_type(
            _headers(request.headers, custom_headers),
            request.body.content_type if body else None,
        ),
        body=body or None,
        state_values=context,
    )


def body_to_plain(raw: bytes, content_type: str | None) -> Any:
    """Bytes the provider returned, as a plain pact body, for the body diff of a report (the
    matching engine reads the bytes themselves, see ``accord.matching.ActualResponse``).

    JSON content becomes its JSON value (a JSON string stays JSON text), text a string, and
    anything else Base64 text. Untyped bodies are JSON when they parse as JSON, else text.
    A schema-registry JSON body (``application/vnd.schemaregistry.v1+json``) loses its
    5-byte wire header first. Bytes declared as text or JSON that are not UTF-8 stay ``bytes``.
    """
    raw = without_wire_header(raw, content_type)
    if is_json_type(content_type) or not content_type:
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError):
            pass
        else:
            return raw.decode("utf-8") if isinstance(value, str) else value
    if not content_type or is_text_type(content_type):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            if content_type:
                return raw
    return base64.b64encode(raw).decode("ascii")
