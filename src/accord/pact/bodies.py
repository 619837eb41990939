"""Bodies: from the ways pact files write them to one :class:`~accord.pact.model.Body`, and back.

A body is one of four things (spec §1.6): absent (no ``body`` key: anything goes), null, empty
(``""``) or present. A present body keeps two views: ``value``, the body as pact JSON carries it
(a JSON value for JSON content, a string for text, Base64 text for binary), and ``raw``, the bytes
on the wire. Both views are kept because they are needed by different readers: the matching
engine wants the value, a verifier replaying a request wants the bytes.

V1-V3 write a body as a bare JSON value whose meaning depends on the content type (a string may
be JSON text, plain text or Base64). V4 wraps it in ``{"content", "contentType", "encoded"}``.
Writing goes back to V4 and picks the encoding that reproduces ``raw`` exactly, so that
``parse → write → parse`` gives the same body.
"""

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any, Literal

from accord.pact._json_node import JsonNode
from accord.pact.model import ABSENT_BODY, Body, BodyKind

JSON_CONTENT_TYPE = "application/json"
TEXT_CONTENT_TYPE = "text/plain"
XML_CONTENT_TYPE = "application/xml"
HTML_CONTENT_TYPE = "text/html"
BINARY_CONTENT_TYPE = "application/octet-stream"

# Members of a V4 body object; an object with any other member is a bare JSON body.
_V4_BODY_MEMBERS = frozenset({"content", "contentType", "encoded", "contentTypeHint"})
_TEXT_SUBTYPES = frozenset(
    {"x-www-form-urlencoded", "javascript", "ecmascript", "graphql", "yaml", "x-yaml"}
)
_XML_TAG_START = re.compile(r"<[A-Za-z_]")

Encoding = Literal["base64", "JSON"] | None


def media_type(content_type: str | None) -> str:
    """``type/subtype`` in lower case, without parameters (``""`` when unknown)."""
    if not content_type:
        return ""
    return content_type.split(";", 1)[0].strip().lower()


def is_json_type(content_type: str | None) -> bool:
    """JSON media types: ``application/json``, ``*/*+json`` and subtypes starting ``json``."""
    main, _, sub = media_type(content_type).partition("/")
    return bool(main) and (sub.startswith("json") or sub.endswith("+json"))


def is_xml_type(content_type: str | None) -> bool:
    main, _, sub = media_type(content_type).partition("/")
    return main in ("application", "text") and (sub == "xml" or sub.endswith("+xml"))


def is_text_type(content_type: str | None) -> bool:
    """Content whose pact JSON is readable text (everything else is binary, Base64 in JSON)."""
    main, _, sub = media_type(content_type).partition("/")
    return (
        main == "text"
        or is_json_type(content_type)
        or is_xml_type(content_type)
        or sub in _TEXT_SUBTYPES
    )


def sniff_content_type(text: str) -> str:
    """Guess the type of an untyped text body the way the reference implementation does."""
    start = text.lstrip()
    lowered = start[:15].lower()
    if lowered.startswith("<?xml"):
        return XML_CONTENT_TYPE
    if lowered.startswith(("<!doctype html", "<html")):
        return HTML_CONTENT_TYPE
    if _XML_TAG_START.match(start):
        return XML_CONTENT_TYPE
    if _parse_json_text(text) is not _NOT_JSON:
        return JSON_CONTENT_TYPE
    return TEXT_CONTENT_TYPE


def _sniff_bytes(raw: bytes) -> str:
    try:
        return sniff_content_type(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return BINARY_CONTENT_TYPE


_NOT_JSON = object()


def _parse_json_text(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _utf8(text: str) -> bytes:
    # surrogatepass: JSON may carry lone surrogates (``"\ud800"``); they must not crash a parse
    return text.encode("utf-8", "surrogatepass")


def canonical_json(value: Any) -> bytes:
    """The bytes a JSON value is sent as: compact, UTF-8, keys in the order written."""
    return _utf8(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


def _json_body(node: JsonNode, content_type: str) -> Body:
    try:
        raw = canonical_json(node.value)
    except (TypeError, ValueError) as exc:
        raise node.error("a JSON value") from exc
    return Body(BodyKind.PRESENT, node.value, raw, content_type)


def _body_from_text(text: str, content_type: str | None) -> Body:
    """A V1-V3 string body, read through its content type (spec §1.6)."""
    ctype = content_type or sniff_content_type(text)
    if is_json_type(ctype):
        parsed = _parse_json_text(text)
        if parsed is _NOT_JSON:
            return Body(BodyKind.PRESENT, text, canonical_json(text), ctype)
        return Body(BodyKind.PRESENT, parsed, _utf8(text), ctype)
    if not is_text_type(ctype):
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            pass
        else:
            return Body(BodyKind.PRESENT, base64.b64encode(raw).decode("ascii"), raw, ctype)
    return Body(BodyKind.PRESENT, text, _utf8(text), ctype)


def _body_from_bytes(raw: bytes, content_type: str | None) -> Body:
    """A body given as bytes (V4 ``encoded: "base64"``): the value follows the content type."""
    ctype = content_type or _sniff_bytes(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and is_json_type(ctype):
        parsed = _parse_json_text(text)
        if parsed is not _NOT_JSON:
            return Body(BodyKind.PRESENT, parsed, raw, ctype)
    if text is not None and is_text_type(ctype):
        return Body(BodyKind.PRESENT, text, raw, ctype)
    return Body(BodyKind.PRESENT, base64.b64encode(raw).decode("ascii"), raw, ctype)


def read_legacy_body(node: JsonNode | None, content_type: str | None) -> Body:
    """A V1-V3 ``body`` (or V3 message ``contents``); ``node`` is ``None`` when the key is absent.

    ``content_type`` is the declared one (``Content-Type`` header or message metadata).
    """
    if node is None:
        return ABSENT_BODY
    value = node.value
    if value is None:
        return Body(BodyKind.NULL)
    if isinstance(value, str):
        if not value:
            return Body(BodyKind.EMPTY, "", b"", content_type)
        return _body_from_text(value, content_type)
    return _json_body(node, content_type or JSON_CONTENT_TYPE)


def _encoding(node: JsonNode | None) -> Encoding:
    if node is None or node.value is False:
        return None
    if isinstance(node.value, str):
        if node.value.lower() == "base64":
            return "base64"
        if node.value.lower() == "json":
            return "JSON"
    raise node.error('false, "base64" or "JSON"')


def read_v4_body(node: JsonNode | None, content_type: str | None) -> Body:
    """A V4 body object ``{"content", "contentType", "encoded"}`` (or a bare value, read as V3).

    The V4 cases and real pacts also write ``"body": null``, ``{"content": null}`` and bare JSON
    values; all are accepted (spec §1.4, trap 16).
    """
    if node is None:
        return ABSENT_BODY
    value = node.value
    if value is None:
        return Body(BodyKind.NULL)
    if not isinstance(value, Mapping) or not set(value) <= _V4_BODY_MEMBERS:
        return read_legacy_body(node, content_type)
    declared = node.optional("contentType")
    ctype = declared.string("a content type such as application/json") if declared else None
    ctype = ctype or content_type
    encoding = _encoding(node.optional("encoded"))
    if "content" not in value:
        return ABSENT_BODY
    content = node.member("content")
    if content.value is None:
        return Body(BodyKind.NULL)
    if content.value == "":
        return Body(BodyKind.EMPTY, "", b"", ctype)
    if encoding == "base64":
        text = content.string('Base64 text (the body says "encoded": "base64")')
        try:
            raw = base64.b64decode(text, validate=False)
        except (binascii.Error, ValueError) as exc:
            raise content.error("valid Base64 text") from exc
        return _body_from_bytes(raw, ctype)
    if encoding == "JSON":
        text = content.string('JSON text (the body says "encoded": "JSON")')
        parsed = _parse_json_text(text)
        if parsed is _NOT_JSON:
            raise content.error('valid JSON text (the body says "encoded": "JSON")')
        return Body(BodyKind.PRESENT, parsed, _utf8(text), ctype or JSON_CONTENT_TYPE)
    if isinstance(content.value, str):
        if ctype is None:
            return _body_from_text(content.value, None)
        if is_json_type(ctype):
            return Body(BodyKind.PRESENT, content.value, canonical_json(content.value), ctype)
        return Body(BodyKind.PRESENT, content.value, _utf8(content.value), ctype)
    return _json_body(content, ctype or JSON_CONTENT_TYPE)


def _v4_content(body: Body) -> tuple[Any, Encoding]:
    """The ``content`` and ``encoded`` that make a V4 reader rebuild exactly this body."""
    value, raw = body.value, body.raw
    if is_json_type(body.content_type):
        if canonical_json(value) == raw:
            return value, None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and _parse_json_text(text) == value:
            return text, "JSON"
    elif isinstance(value, str):
        if _utf8(value) == raw:
            return value, None
    elif canonical_json(value) == raw:
        return value, None
    return base64.b64encode(raw).decode("ascii"), "base64"


def body_to_v4_json(body: Body) -> dict[str, Any] | None:
    """A V4 body object for a body that is not absent (``None`` for a null body)."""
    if body.kind is BodyKind.NULL:
        return None
    if body.kind is BodyKind.EMPTY:
        content: Any = ""
        encoding: Encoding = None
    else:
        content, encoding = _v4_content(body)
    written: dict[str, Any] = {"content": content}
    if body.content_type is not None:
        written["contentType"] = body.content_type
    written["encoded"] = encoding if encoding is not None else False
    return written


def body_to_plain_json(body: Body) -> Any:
    """The body as a V3 pact carries it: what the matching engine takes as ``expected``.

    JSON content is its JSON value (a JSON string body is given as its JSON text, so it is not
    mistaken for another JSON document), text is the string, binary is Base64 text; ``""`` for an
    empty body and ``None`` for a null one.
    """
    if body.kind is BodyKind.NULL:
        return None
    if body.kind is BodyKind.EMPTY:
        return ""
    if isinstance(body.value, str) and is_json_type(body.content_type):
        try:
            return body.raw.decode("utf-8")
        except UnicodeDecodeError:
            return body.value
    return body.value
