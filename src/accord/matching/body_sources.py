"""Where a body comes from before it is compared: the pact model, bytes received, a message made.

Each source becomes one :class:`~accord.matching.bodies.BodyValue`, read through the content
type declared for it, so that an expected body from a pact and an actual body from the wire
meet in the same form (a JSON value, text or bytes) without being written out as pact JSON and
read back.
"""

import base64
import json
from typing import Final

from accord.matching.actual import ActualMessage
from accord.matching.bodies import ABSENT, BodyValue, read_plain_body
from accord.pact.bodies import body_to_plain_json, is_json_type, is_text_type, media_type
from accord.pact.model import Body, BodyKind

# Kafka messages serialised through a Confluent schema registry carry a zero "magic" byte and
# a 4-byte schema id before the JSON payload; pacts hold only the payload (the Pact JVM
# verifier and the compatibility suite read this content type so).
_SCHEMA_REGISTRY_JSON: Final = "application/vnd.schemaregistry.v1+json"
_SCHEMA_REGISTRY_HEADER: Final = 5


def without_wire_header(raw: bytes, content_type: str | None) -> bytes:
    """The payload of a schema-registry framed message; any other body as it is."""
    if (
        media_type(content_type) == _SCHEMA_REGISTRY_JSON
        and len(raw) >= _SCHEMA_REGISTRY_HEADER
        and raw[0] == 0
    ):
        return raw[_SCHEMA_REGISTRY_HEADER:]
    return raw


def model_body(body: Body, declared: str | None) -> BodyValue:
    """An expected body from the pact model. ``declared`` is the content type the part
    declares (its ``Content-Type`` header, its message metadata)."""
    if body.kind is BodyKind.ABSENT:
        return ABSENT
    if body.kind is BodyKind.NULL:
        return BodyValue("null", declared_type=declared)
    if body.kind is BodyKind.EMPTY:
        return BodyValue("empty", declared_type=declared)
    return read_plain_body(body_to_plain_json(body), declared)


def received_body(raw: bytes, content_type: str | None, declared: str | None) -> BodyValue:
    """Bytes a provider or consumer sent, read by their content type.

    JSON content (or untyped bytes that parse as JSON) is its JSON value, text is text, and
    anything else stays bytes. A schema-registry JSON body loses its 5-byte wire header first.
    Bytes declared as text or JSON that are not UTF-8 stay bytes, marked as not being the text
    they claim, so they are never compared (or shown) as some other text.
    """
    raw = without_wire_header(raw, content_type)
    if is_json_type(content_type) or not content_type:
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError):
            pass
        else:
            # a JSON string body is read from its JSON text, as a pact carries it
            plain = raw.decode("utf-8") if isinstance(value, str) else value
            return read_plain_body(plain, declared)
    if not content_type or is_text_type(content_type):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            if content_type:
                return read_plain_body(raw, declared)
        else:
            return read_plain_body(text, declared)
    return read_plain_body(base64.b64encode(raw).decode("ascii"), declared)


def produced_contents(message: ActualMessage, declared: str | None) -> BodyValue:
    """The contents of a produced message: bytes as received, text declared as JSON as its
    bytes, anything else (text, a JSON value, ``None``) as it was made."""
    contents, content_type = message.contents, message.content_type
    if isinstance(contents, bytes | bytearray):
        return received_body(bytes(contents), content_type, declared) if contents else ABSENT
    if isinstance(contents, str) and is_json_type(content_type):
        return received_body(contents.encode("utf-8"), content_type, declared)
    return read_plain_body(contents, declared)
