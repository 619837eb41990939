"""A request as it arrived on the wire, in the pact-JSON shape the matching engine compares.

The engine compares pact JSON with pact JSON, so the stub turns each HTTP request into the same
shape a pact's request has: a percent-decoded path, the query as a map of value lists (a bare
``flag`` is ``None``, as pact JSON writes it), headers as lists, and the body as pact JSON carries
it (JSON content as its value, text as a string, anything else as Base64 text).
"""

import base64
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

from accord.pact.bodies import is_json_type, is_text_type

QueryMap = dict[str, list[str | None]]


def parse_query(query: str) -> QueryMap:
    """``a=1&a=2&flag`` -> ``{"a": ["1", "2"], "flag": [None]}`` (names and values decoded)."""
    params: QueryMap = {}
    for piece in query.split("&"):
        if not piece:
            continue
        name, sep, value = piece.partition("=")
        params.setdefault(unquote_plus(name), []).append(unquote_plus(value) if sep else None)
    return params


def plain_body(raw: bytes, content_type: str | None) -> Any:
    """The body bytes as pact JSON carries a body, so they compare like an expected body."""
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
            pass
    return base64.b64encode(raw).decode("ascii")


def actual_request(
    method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes
) -> dict[str, Any]:
    """``GET /a%20b?x=1`` with its headers and body as pact JSON, ready for ``match_request``."""
    split = urlsplit(target)
    table: dict[str, list[str]] = {}
    content_type: str | None = None
    for name, value in headers:
        table.setdefault(name, []).append(value)
        if content_type is None and name.lower() == "content-type":
            content_type = value
    actual: dict[str, Any] = {"method": method.upper(), "path": unquote(split.path or "/")}
    if split.query:
        actual["query"] = parse_query(split.query)
    if table:
        actual["headers"] = table
    if body:
        actual["body"] = plain_body(body, content_type)
    return actual
