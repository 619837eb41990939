"""A request as it arrived on the wire, as the matching engine's :class:`ActualRequest`.

The stub reads the request line and headers into the engine's typed actual value: a
percent-decoded path, the query as a map of value lists (a bare ``flag`` is ``None``, as pact
JSON writes it), headers as lists, and the body as the bytes sent; the engine reads the body by
its content type, as it does for a verifier.
"""

from collections.abc import Iterable
from urllib.parse import unquote, unquote_plus, urlsplit

from accord.matching import ActualRequest

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


def actual_request(
    method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes
) -> ActualRequest:
    """``GET /a%20b?x=1`` with its headers and body, ready for ``match_request``."""
    split = urlsplit(target)
    table: dict[str, list[str]] = {}
    for name, value in headers:
        table.setdefault(name, []).append(value)
    return ActualRequest(
        method.upper(),
        unquote(split.path or "/"),
        parse_query(split.query) if split.query else {},
        table,
        body or None,
    )
