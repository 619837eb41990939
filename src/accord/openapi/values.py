"""Turning the text of paths, queries and headers into the values their schemas describe, and
choosing the media type of a body.

A pact carries every parameter as text; an OpenAPI schema says ``type: integer`` or
``type: array``. The text is read as the schema's type (``"42"`` → ``42``), the way a server
framework would, before ``jsonschema`` judges it; text that cannot be read stays text, so the
schema reports it.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from accord.openapi.document import OpenApiDocument

JSON_MEDIA_SUFFIX = "+json"


def schema_types(document: OpenApiDocument, schema: Any, pointer: str) -> set[str]:
    """The JSON types a schema allows, looking through ``$ref`` and combinators."""
    node, where = document.resolve(schema, pointer)
    if not isinstance(node, Mapping):
        return set()
    declared = node.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(t) for t in declared}
    types: set[str] = set()
    for combinator in ("allOf", "oneOf", "anyOf"):
        for index, branch in enumerate(node.get(combinator) or ()):
            types |= schema_types(document, branch, f"{where}/{combinator}/{index}")
    return types


def coerce_text(text: str | None, types: set[str]) -> Any:
    """``text`` read as the first of ``types`` it can be; unchanged when none fits."""
    if text is None:
        return "" if "string" in types or not types else None
    for kind in ("integer", "number", "boolean", "null"):
        if kind not in types:
            continue
        if kind == "integer":
            try:
                return int(text)
            except ValueError:
                continue
        if kind == "number":
            try:
                return float(text) if not text.strip().lstrip("-").isdigit() else int(text)
            except ValueError:
                continue
        if kind == "boolean" and text in {"true", "false"}:
            return text == "true"
        if kind == "null" and text in {"", "null"}:
            return None
    return text


def coerce_parameter(
    document: OpenApiDocument, schema: Any, pointer: str, values: Sequence[str | None]
) -> Any:
    """A parameter's values (one per occurrence) as its schema's value: arrays take every
    occurrence (or a comma-separated one), scalars the first."""
    types = schema_types(document, schema, pointer)
    if "array" in types:
        node, where = document.resolve(schema, pointer)
        items = node.get("items", {}) if isinstance(node, Mapping) else {}
        item_types = schema_types(document, items, f"{where}/items")
        texts: list[str | None] = []
        for value in values:
            texts.extend(value.split(",") if value is not None and len(values) == 1 else [value])
        return [coerce_text(t, item_types) for t in texts]
    return coerce_text(values[0] if values else None, types)


def media_type(header: str | None) -> str | None:
    """``application/json; charset=utf-8`` → ``application/json`` (lower case)."""
    if not header:
        return None
    return header.split(";", 1)[0].strip().lower() or None


def choose_media_type(wanted: str | None, documented: Iterable[str]) -> str | None:
    """The documented content key that serves ``wanted``: exact, then ``type/*``, then
    ``*/*``; without ``wanted``, a JSON one first."""
    keys = list(documented)
    if wanted is None:
        for key in keys:
            if is_json(key):
                return key
        return keys[0] if keys else None
    normalised = {media_type(k) or k: k for k in keys}
    if wanted in normalised:
        return normalised[wanted]
    family = wanted.split("/", 1)[0] + "/*"
    if family in normalised:
        return normalised[family]
    if "*/*" in normalised:
        return normalised["*/*"]
    if wanted.endswith("/*") or wanted == "*/*":
        prefix = wanted[:-1] if wanted != "*/*" else ""
        for key, original in normalised.items():
            if key.startswith(prefix):
                return original
    return None


def is_json(media: str | None) -> bool:
    if media is None:
        return False
    media = media_type(media) or media
    return media == "application/json" or media.endswith(JSON_MEDIA_SUFFIX) or media == "*/*"
