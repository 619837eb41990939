"""Query strings and headers: every version's spelling normalised to ordered lists of values.

V1 and V2 write a query as one string (``"a=1&b=2"``) and a header as one string; V3 writes the
query as ``name -> [values]``; V4 writes both as ``name -> [values]`` but the V4 cases still use
plain strings. The model keeps ``name -> tuple of values`` for both, so the matching engine and
the verifier never re-split anything.
"""

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_plus

from accord.pact._json_node import JsonNode

Query = Mapping[str, tuple[str | None, ...]]
Headers = Mapping[str, tuple[str, ...]]

# Headers whose value is a comma-separated list by definition (spec §3.4). Others (Date,
# Set-Cookie, User-Agent, ...) may contain commas that are part of one value.
COMMA_SEPARATED_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "accept-language",
        "access-control-allow-headers",
        "access-control-allow-methods",
        "access-control-expose-headers",
        "access-control-request-headers",
        "allow",
        "cache-control",
        "if-match",
        "if-none-match",
        "vary",
    }
)


def parse_query_string(text: str) -> dict[str, tuple[str | None, ...]]:
    """``"a=1&b=x%20y&a=2&flag"`` → ``{"a": ("1", "2"), "b": ("x y",), "flag": (None,)}``.

    Empty segments are skipped (a trailing ``&`` means nothing), each segment splits at its
    first ``=``, and names and values are percent-decoded with ``+`` as a space.
    """
    query: dict[str, tuple[str | None, ...]] = {}
    for segment in text.split("&"):
        if not segment:
            continue
        name, equals, value = segment.partition("=")
        decoded = unquote_plus(value) if equals else None
        key = unquote_plus(name)
        query[key] = (*query.get(key, ()), decoded)
    return query


def read_query(node: JsonNode | None) -> dict[str, tuple[str | None, ...]]:
    """A ``query``: a V1/V2 query string or a V3/V4 map of name to a value or list of values."""
    if node is None:
        return {}
    if isinstance(node.value, str):
        return parse_query_string(node.value)
    expected = 'a query string ("a=1&b=2") or an object of name to list of values'
    query: dict[str, tuple[str | None, ...]] = {}
    for name, values in node.members(expected):
        if values.value is None or isinstance(values.value, str):
            query[name] = (values.value,)
            continue
        items: list[str | None] = []
        for item in values.elements("a string or an array of strings"):
            items.append(None if item.value is None else item.string("a string or null"))
        query[name] = tuple(items)
    return query


def split_header_value(name: str, value: str) -> tuple[str, ...]:
    """Split a header written as one string where the header is a list by definition."""
    if name.lower() in COMMA_SEPARATED_HEADERS:
        return tuple(part.strip() for part in value.split(","))
    return (value,)


def read_headers(node: JsonNode | None) -> dict[str, tuple[str, ...]]:
    """``headers``: name → a string (split where §3.4 says) or a list of strings (kept as is)."""
    if node is None:
        return {}
    headers: dict[str, tuple[str, ...]] = {}
    for name, value in node.members("an object of header name to value"):
        if isinstance(value.value, str):
            headers[name] = split_header_value(name, value.value)
        else:
            expected = "a header value: a string or an array of strings"
            headers[name] = tuple(item.string(expected) for item in value.elements(expected))
    return headers


def header_value(headers: Headers, name: str) -> str | None:
    """The first value of a header, looked up case-insensitively (``None`` when absent)."""
    wanted = name.lower()
    for key, values in headers.items():
        if key.lower() == wanted and values:
            return values[0]
    return None


def query_to_json(query: Query) -> dict[str, Any]:
    return {name: list(values) for name, values in query.items()}


def headers_to_json(headers: Headers) -> dict[str, Any]:
    return {name: list(values) for name, values in headers.items()}
