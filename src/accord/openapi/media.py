"""Judging a body by its media type: JSON, forms, multipart, XML, plain text, or not at all.

Each form is turned into the value its schema describes and then judged like a JSON body
(:func:`~accord.openapi.bodies.check_body`: ``jsonschema`` first, then the walk for fields
relied on but undocumented): ``a=1&b=x`` becomes ``{"a": 1, "b": "x"}`` read through the
schema's types and the media type's ``encoding``; a multipart body becomes its named parts;
an XML document becomes an object following the schema's ``xml`` objects (root name,
attributes, wrapped arrays); a text body is a string. What cannot be decided from a pact (an
XML prefix, a binary payload, matching rules on XML paths) is said in a warning rather than
passed in silence.
"""

from collections.abc import Mapping
from typing import Any

from accord.matching.selection import RuleIndex
from accord.openapi.bodies import BodyCheck, check_body
from accord.openapi.context import BodyTarget, InteractionContext
from accord.openapi.document import pointer_join
from accord.openapi.findings import Severity
from accord.openapi.forms import form_value, multipart_value
from accord.openapi.values import coerce_text, is_json, media_type, schema_types
from accord.openapi.xml_bodies import xml_value

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


def body_form(media: str) -> str:
    """``json``, ``form``, ``multipart``, ``xml``, ``text`` or ``other`` for a media type."""
    if is_json(media):
        return "json"
    if media == FORM:
        return "form"
    if media.startswith("multipart/"):
        return "multipart"
    if media in {"application/xml", "text/xml"} or media.endswith("+xml"):
        return "xml"
    if media.startswith("text/"):
        return "text"
    return "other"


def check_media_body(context: InteractionContext, target: BodyTarget) -> None:
    """Judge ``target.value`` against the schema of its media type, by the body's form."""
    media, pointer = context.document.resolve(target.media, target.pointer)
    if not isinstance(media, Mapping) or "schema" not in media:
        return
    wanted = media_type(target.content_type)
    form = body_form(wanted if wanted and "*" not in wanted else target.media_key.lower())
    schema_pointer = pointer_join(pointer, "schema")
    value: Any = target.value
    rules = target.rules.get("body", {})
    if form == "json":
        if isinstance(value, str) and not (value.startswith(("{", "[")) or value == ""):
            return  # a text body under a JSON media type is left to the matching engine
    elif form == "form":
        value = form_value(context, target, schema_pointer, media)
    elif form == "multipart":
        value = multipart_value(context, target, schema_pointer, media)
    elif form == "xml":
        value = xml_value(context, target, schema_pointer)
        if value is not None and rules:
            _not_checked(
                context,
                target,
                pointer,
                "matching rules on an XML body",
                "the pact's matching rules on this XML body were not applied (their paths do "
                "not map onto the schema's properties); the example was judged",
            )
            rules = {}
    elif form == "text":
        value = _text_value(context, target, schema_pointer)
    else:
        _not_checked(
            context,
            target,
            pointer,
            f"a {wanted or target.media_key} body",
            f"the {wanted or target.media_key} body was not compared with the schema: accord "
            "compares JSON, form, multipart, XML and text bodies",
        )
        return
    if value is None:
        return
    check_body(
        BodyCheck(
            document=context.document,
            checker=context.checker,
            direction=target.direction,
            schema_pointer=schema_pointer,
            pact_prefix=target.pact_path,
            rules=RuleIndex(rules),
            strict=context.options.strict,
            report=context.add,
        ),
        value,
    )


def _text_value(context: InteractionContext, target: BodyTarget, schema_pointer: str) -> Any:
    """A text body as its schema's scalar (``"42"`` under ``type: integer``), or ``None``
    after a warning when the schema describes a structure text cannot be judged against."""
    document = context.document
    node, _ = document.resolve({"$ref": "#" + schema_pointer}, schema_pointer)
    types = schema_types(document, node, schema_pointer)
    if types & {"object", "array"}:
        _not_checked(
            context,
            target,
            schema_pointer,
            "a text body",
            f"the text body was not compared with the {'/'.join(sorted(types))} schema of "
            f"{target.media_key}",
        )
        return None
    value = target.value if isinstance(target.value, str) else str(target.value)
    return coerce_text(value, types) if types - {"string"} else value


def _not_checked(
    context: InteractionContext, target: BodyTarget, pointer: str, what: str, message: str
) -> None:
    context.add(
        f"{target.direction}.body.not-checked",
        Severity.WARNING,
        target.pact_path,
        pointer,
        what,
        target.media_key,
        message,
    )
