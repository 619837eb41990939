"""Form bodies as the objects their schemas describe.

``application/x-www-form-urlencoded``: each field is read through its property's schema, the
way a server framework reads it (``age=42`` under ``type: integer`` is ``42``; a repeated
field, or one split by its ``encoding`` style, is an array; a field whose ``encoding`` says
``contentType: application/json`` is parsed as JSON). ``multipart/form-data``: each part
named by its ``Content-Disposition`` becomes a field the same way; a part whose
``Content-Type`` contradicts the ``encoding`` the document gives for it is an error. The
objects are then judged like JSON bodies; a field the schema does not list is a warning (the
provider may ignore it), as an undocumented query parameter is.
"""

import json
from collections.abc import Mapping
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from accord.openapi.context import BodyTarget, InteractionContext
from accord.openapi.document import pointer_join
from accord.openapi.findings import Severity
from accord.openapi.values import coerce_parameter, is_json, media_type

#: How ``encoding.style`` separates the items of one array field.
_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


def form_value(
    context: InteractionContext, target: BodyTarget, schema_pointer: str, media: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The urlencoded body of ``target`` as an object, or ``None`` when it is not text."""
    if isinstance(target.value, Mapping):  # some pact writers keep form fields as an object
        fields = {str(k): _as_texts(v) for k, v in target.value.items()}
    elif isinstance(target.value, str):
        fields = {}
        for name, text in parse_qsl(target.value, keep_blank_values=True):
            fields.setdefault(name, []).append(text)
    else:
        return None
    return _object(context, target, schema_pointer, media, fields, {})


def multipart_value(
    context: InteractionContext, target: BodyTarget, schema_pointer: str, media: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The named parts of a multipart body as an object; ``None`` (after a warning) when the
    body cannot be split into parts."""
    raw = target.raw or (target.value.encode() if isinstance(target.value, str) else b"")
    header = f"Content-Type: {target.content_type or ''}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(header + raw)
    parts = list(message.iter_parts()) if message.is_multipart() else []
    if not parts:
        context.add(
            f"{target.direction}.body.not-checked",
            Severity.WARNING,
            target.pact_path,
            pointer_join(target.pointer, "schema"),
            f"a body of {target.content_type or 'no content type'}",
            target.media_key,
            "the multipart body has no parts accord can read (is the boundary of its "
            "Content-Type the one the body uses?); its fields were not compared",
        )
        return None
    fields: dict[str, list[str]] = {}
    part_types: dict[str, str] = {}
    for part in parts:
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        fields.setdefault(name, []).append(text)
        part_types[name] = _part_type(part)
    return _object(context, target, schema_pointer, media, fields, part_types)


def _part_type(part: Message) -> str:
    declared = part.get("content-type")
    return media_type(str(declared)) or "" if declared else ""


def _as_texts(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [v if isinstance(v, str) else json.dumps(v) for v in items]


def _properties(context: InteractionContext, schema_pointer: str) -> dict[str, tuple[Any, str]]:
    """The object schema's properties (through ``allOf``) with their pointers."""
    document = context.document
    found: dict[str, tuple[Any, str]] = {}
    pending = [document.resolve({"$ref": "#" + schema_pointer}, schema_pointer)]
    while pending:
        node, pointer = pending.pop()
        if not isinstance(node, Mapping):
            continue
        for name, schema in (node.get("properties") or {}).items():
            found.setdefault(name, (schema, pointer_join(pointer, "properties", name)))
        for index, branch in enumerate(node.get("allOf") or ()):
            pending.append(document.resolve(branch, pointer_join(pointer, "allOf", index)))
    return found


def _object(  # noqa: PLR0917 - private, the two form kinds share it
    context: InteractionContext,
    target: BodyTarget,
    schema_pointer: str,
    media: Mapping[str, Any],
    fields: dict[str, list[str]],
    part_types: dict[str, str],
) -> dict[str, Any]:
    properties = _properties(context, schema_pointer)
    encodings = media.get("encoding") or {}
    value: dict[str, Any] = {}
    for name, texts in fields.items():
        path = f"{target.pact_path}.{name}"
        if name not in properties:
            value[name] = texts[0] if len(texts) == 1 else texts
            if properties:
                context.add(
                    f"{target.direction}.body.unknown-field",
                    Severity.WARNING,
                    path,
                    pointer_join(schema_pointer, "properties"),
                    f"field {name!r}",
                    "properties: " + ", ".join(sorted(properties)),
                    f"form field {name!r} is not documented; the provider may ignore it",
                )
            continue
        schema, pointer = properties[name]
        found = encodings.get(name)
        encoding: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        expected_type = media_type(str(encoding.get("contentType") or "")) or ""
        sent_type = part_types.get(name, "")
        if expected_type and sent_type and not _type_allowed(sent_type, expected_type):
            context.add(
                f"{target.direction}.body.incompatible",
                Severity.ERROR,
                path,
                pointer_join(target.pointer, "encoding", name, "contentType"),
                f"part {name!r} as {sent_type}",
                f"contentType: {encoding.get('contentType')}",
                f"part {name!r} is sent as {sent_type}; the provider documents "
                f"{encoding.get('contentType')}",
            )
        value[name] = _field_value(context, schema, pointer, texts, encoding, sent_type)
    return value


def _type_allowed(sent: str, documented: str) -> bool:
    """Whether a part's media type is one of the comma-separated ``encoding.contentType``."""
    for listed in documented.split(","):
        option = listed.strip()
        if option in {sent, "*/*"} or (option.endswith("/*") and sent.startswith(option[:-1])):
            return True
    return False


def _field_value(  # noqa: PLR0917 - private, one call site
    context: InteractionContext,
    schema: Any,
    pointer: str,
    texts: list[str],
    encoding: Mapping[str, Any],
    sent_type: str,
) -> Any:
    declared = media_type(str(encoding.get("contentType") or ""))
    if any(t and t != "*/*" and is_json(t) for t in (declared, sent_type)):
        try:
            parsed: list[Any] = [json.loads(t) for t in texts]
        except ValueError:
            parsed = list(texts)
        return parsed[0] if len(parsed) == 1 else parsed
    delimiter = _DELIMITERS.get(str(encoding.get("style", "")))
    if delimiter is not None and len(texts) == 1:
        texts = texts[0].split(delimiter)
    elif encoding.get("explode") is False and len(texts) == 1:
        texts = texts[0].split(",")
    return coerce_parameter(context.document, schema, pointer, list(texts))
