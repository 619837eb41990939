"""Requests, responses and messages read into one form the comparisons work on.

A part reaches the engine in one of two shapes: the typed pact model (``HttpRequest``,
``HttpResponse``, ``MessageContents``) with a typed actual value (``ActualRequest``, ...), which
is what accord itself passes, or pact JSON, the convenience kept for tests, the official
specification cases and users holding JSON. Both are read here into a :class:`RequestView`,
:class:`ResponseView` or :class:`MessageView` (headers as a table, the body as a
:class:`~accord.matching.bodies.BodyValue`), so the comparison code has one input and cannot
drift between the two.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.matching.actual import ActualMessage, ActualRequest, ActualResponse
from accord.matching.bodies import BodyValue, read_body
from accord.matching.body_sources import model_body, produced_contents, received_body
from accord.matching.headers import HeaderTable, first_value, header_table
from accord.pact.model import HttpRequest, HttpResponse, MessageContents

JsonPart = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class RequestView:
    """``method``/``path`` are ``None`` when an expected JSON part leaves them out (anything
    goes); ``query`` is kept as given, because V1 compares query strings as text."""

    method: str | None
    path: Any
    query: object
    headers: HeaderTable
    body: BodyValue


@dataclass(frozen=True, slots=True)
class ResponseView:
    """``status`` is ``None`` when an expected JSON part leaves it out (anything goes)."""

    status: Any
    headers: HeaderTable
    body: BodyValue


@dataclass(frozen=True, slots=True)
class MessageView:
    """A message as the engine compares it: its body and its metadata."""

    body: BodyValue
    metadata: Mapping[str, Any]


def _content_type(headers: HeaderTable) -> str | None:
    return first_value(headers, "content-type")


def _header_content_type(headers: Mapping[str, Any]) -> str | None:
    """The first ``Content-Type`` header exactly as it came (the body is read by it)."""
    for name, value in headers.items():
        if name.lower() == "content-type":
            if isinstance(value, str):
                return value
            return str(value[0]) if value else None
    return None


def metadata_content_type(metadata: Mapping[str, Any]) -> str | None:
    """The content type a message's metadata declares, under any of its usual spellings."""
    for key in ("contentType", "content-type", "Content-Type"):
        value = metadata.get(key)
        if isinstance(value, str) and value:
            return value
    return None


# --- the typed model and typed actual values -------------------------------------------------


def expected_request(request: HttpRequest) -> RequestView:
    headers = header_table(request.headers)
    return RequestView(
        request.method,
        request.path,
        request.query,
        headers,
        model_body(request.body, _content_type(headers)),
    )


def expected_response(response: HttpResponse) -> ResponseView:
    headers = header_table(response.headers)
    return ResponseView(response.status, headers, model_body(response.body, _content_type(headers)))


def expected_message(message: MessageContents, *, v4: bool) -> MessageView:
    """A V4 message's contents carry their own content type, which wins over the metadata."""
    declared = metadata_content_type(message.metadata)
    if v4 and message.contents.content_type:
        declared = message.contents.content_type
    return MessageView(model_body(message.contents, declared), message.metadata)


def actual_request(request: ActualRequest) -> RequestView:
    headers = header_table(request.headers)
    body = (
        received_body(request.body, _header_content_type(request.headers), _content_type(headers))
        if request.body
        else BodyValue("absent")
    )
    return RequestView(request.method, request.path, request.query, headers, body)


def actual_response(response: ActualResponse) -> ResponseView:
    headers = header_table(response.headers)
    body = (
        received_body(response.body, _header_content_type(response.headers), _content_type(headers))
        if response.body
        else BodyValue("absent")
    )
    return ResponseView(response.status, headers, body)


def actual_message(message: ActualMessage) -> MessageView:
    declared = metadata_content_type(message.metadata) or message.content_type
    return MessageView(produced_contents(message, declared), message.metadata)


# --- pact JSON (the convenience at the edge) -------------------------------------------------


def json_request(part: JsonPart, *, v4: bool, expected: bool) -> RequestView:
    """An actual request without a method reads as method ``""``; an expected one as ``None``."""
    headers = header_table(part.get("headers"))
    if "method" in part:
        method: str | None = str(part["method"])
    else:
        method = None if expected else ""
    return RequestView(
        method,
        part.get("path"),
        part.get("query"),
        headers,
        read_body(part, "body", v4=v4, declared=_content_type(headers)),
    )


def json_response(part: JsonPart, *, v4: bool) -> ResponseView:
    headers = header_table(part.get("headers"))
    return ResponseView(
        part.get("status"),
        headers,
        read_body(part, "body", v4=v4, declared=_content_type(headers)),
    )


def json_metadata(part: JsonPart) -> Mapping[str, Any]:
    value = part.get("metadata", part.get("metaData"))
    return value if isinstance(value, Mapping) else {}


def json_message(part: JsonPart, key: str, *, v4: bool) -> MessageView:
    """``key`` is ``contents`` (V3/V4 messages) or ``body`` (how some callers write it)."""
    metadata = json_metadata(part)
    declared = metadata_content_type(metadata)
    return MessageView(read_body(part, key, v4=v4, declared=declared), metadata)
