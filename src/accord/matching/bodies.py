"""Bodies: how pact JSON carries them, when they must be present, and comparison by content type.

A body is *absent* (no ``body`` key: anything goes), *null* or *empty* (must be empty), or
*present*. Its content type comes from the V4 body object, else the headers (or message
metadata), else a look at the content. JSON, XML, forms, multipart, text and binary bodies then
compare by their own rules (spec §3.6).
"""

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from accord.matching.content_types import family, is_textual, types_agree
from accord.matching.json_body import BodyContext, compare_json
from accord.matching.matchers import CompiledRules, evaluate, sniff_content_type
from accord.matching.mismatch import Mismatch, show
from accord.matching.query import compare_params, parse_query_string
from accord.matching.selection import ROOT_PATH, RuleIndex

BodyState = Literal["absent", "null", "empty", "present"]
_V4_BODY_KEYS: Final = frozenset({"content", "contentType", "encoded", "contentTypeHint"})


@dataclass(frozen=True, slots=True)
class BodyValue:
    """A body read from pact JSON: parsed JSON (``is_json``), text (``str``) or ``bytes``."""

    state: BodyState
    value: Any = None
    is_json: bool = False
    declared_type: str | None = None
    #: why text declared as JSON did not parse; such a body is a JSON string when a pact
    #: declares it (the reference reads it so), but an actual body like it sent no JSON at all
    parse_error: str | None = None

    def content_type(self) -> str:
        if self.declared_type:
            return self.declared_type
        if self.is_json:
            return "application/json"
        return sniff_content_type(self.value)


ABSENT: Final = BodyValue("absent")


def _read_text(text: str, content_type: str | None) -> BodyValue:
    """A string body read through its content type (spec §1.6)."""
    if text == "":
        return BodyValue("empty", declared_type=content_type)
    guessed = content_type or sniff_content_type(text)
    kind = family(guessed)
    if kind == "json":
        try:
            return BodyValue("present", json.loads(text), True, content_type)
        except ValueError as exc:
            return BodyValue("present", text, True, content_type, parse_error=str(exc))
    # multipart too: the verifier hands bodies that are not text over as Base64, and a real
    # multipart text never passes as Base64 (it starts with "--", outside the alphabet)
    if kind in ("binary", "multipart") and content_type:
        try:
            return BodyValue("present", base64.b64decode(text, validate=True), False, content_type)
        except (binascii.Error, ValueError):
            return BodyValue("present", text, False, content_type)
    return BodyValue("present", text, False, content_type)


def _read_bytes(data: bytes, content_type: str | None) -> BodyValue:
    """Bytes a verifier received that are not the UTF-8 text their type declares (pact JSON
    never holds bytes). UTF-8 bytes are read as text; others stay bytes, and where JSON was
    declared they are marked as not parsing, so they are never compared as some other text."""
    if not data:
        return BodyValue("empty", declared_type=content_type)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        error = f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}"
        return BodyValue("present", data, False, content_type, parse_error=error)
    if content_type and family(content_type) == "binary":
        return BodyValue("present", data, False, content_type)
    return _read_text(text, content_type)


def read_body(part: Mapping[str, Any], key: str, *, v4: bool, declared: str | None) -> BodyValue:
    """Read ``part[key]`` (``body`` or ``contents``) whatever version wrote it."""
    if key not in part:
        return ABSENT
    raw = part[key]
    if v4 and isinstance(raw, dict) and raw and raw.keys() <= _V4_BODY_KEYS:
        content_type = raw.get("contentType") or declared
        if "content" not in raw:
            return ABSENT
        content = raw["content"]
        if content is None:
            return BodyValue("null", declared_type=content_type)
        encoded = raw.get("encoded", False)
        if isinstance(content, str) and isinstance(encoded, str):
            if encoded.lower() == "base64":
                try:
                    data = base64.b64decode(content)
                except (binascii.Error, ValueError):
                    data = content.encode("utf-8")
                if not data:
                    return BodyValue("empty", declared_type=content_type)
                if content_type and is_textual(content_type):
                    return _read_text(data.decode("utf-8", errors="replace"), content_type)
                return BodyValue("present", data, False, content_type)
            if encoded.lower() == "json":
                return _read_text(content, content_type or "application/json")
        if isinstance(content, str):
            if content == "":
                return BodyValue("empty", declared_type=content_type)
            if family(content_type) == "json" and content.lstrip()[:1] not in ("{", "["):
                return BodyValue("present", content, True, content_type)
            return _read_text(content, content_type)
        return BodyValue("present", content, True, content_type or "application/json")
    return read_plain_body(raw, declared)


def read_plain_body(raw: Any, declared: str | None) -> BodyValue:
    """A body as a V3 pact carries it (``None``, text, a JSON value) or as bytes received,
    read through the content type ``declared`` for it."""
    if raw is None:
        return BodyValue("null", declared_type=declared)
    if isinstance(raw, bytes | bytearray):
        return _read_bytes(bytes(raw), declared)
    if isinstance(raw, str):
        return _read_text(raw, declared)
    return BodyValue("present", raw, True, declared or "application/json")


def _json_value(body: BodyValue) -> tuple[bool, Any]:
    if body.is_json:
        return True, body.value
    text = body.value.decode("utf-8", "replace") if isinstance(body.value, bytes) else body.value
    try:
        return True, json.loads(text)
    except (TypeError, ValueError):
        return False, text


def _as_text(body: BodyValue) -> str:
    if isinstance(body.value, bytes):
        return body.value.decode("utf-8", errors="replace")
    if body.is_json:
        return body.value if isinstance(body.value, str) else json.dumps(body.value)
    return str(body.value)


def _as_bytes(body: BodyValue) -> bytes:
    if isinstance(body.value, bytes):
        return body.value
    return _as_text(body).encode("utf-8")


@dataclass(frozen=True, slots=True)
class BodyRules:
    """A part's body rules, prepared for JSON-style and XML-style paths."""

    json: RuleIndex
    xml: RuleIndex


def compare_body(
    expected: BodyValue,
    actual: BodyValue,
    rules: BodyRules,
    report: Callable[[Mismatch], None],
    *,
    strict_keys: bool,
    content_type_rule: CompiledRules | None = None,
) -> None:
    """Compare two bodies (presence, content type, then content)."""
    if expected.state == "absent":
        return
    if expected.state in ("null", "empty"):
        if actual.state != "present" or (actual.is_json and actual.value is None):
            return
        report(
            Mismatch(
                "body",
                "$.body",
                None,
                actual.value,
                f"Expected an empty body but got {show(actual.value)}",
            )
        )
        return
    if actual.state == "empty" and _judged_by_root_rule(rules):
        # an empty body is still content: a rule on the whole body (notEmpty, regex,
        # contentType) judges it, as the reference does, rather than the presence check
        actual = BodyValue("present", "", False, actual.declared_type)
    if actual.state != "present":
        state = {"absent": "missing", "null": "null", "empty": "empty"}[actual.state]
        report(
            Mismatch(
                "body",
                "$.body",
                expected.value,
                None,
                f"Expected a body {show(expected.value)} but it was {state}",
            )
        )
        return
    expected_type = expected.content_type()
    actual_type = actual.content_type()
    if (
        expected.declared_type
        and actual.declared_type
        and not types_agree(expected.declared_type, actual.declared_type)
        and not (
            content_type_rule is not None
            and not evaluate(content_type_rule, expected_type, actual_type, "", text=True)
        )
    ):
        report(
            Mismatch(
                "body-type",
                "$.body",
                expected.declared_type,
                actual.declared_type,
                f"Expected a body of type '{expected.declared_type}' "
                f"but got '{actual.declared_type}'",
            )
        )
        return
    kind = "json" if expected.is_json else family(expected_type)
    ctx = BodyContext(rules.json, strict_keys)
    if kind == "json":
        if actual.parse_error is not None:
            report(_unparsable_json(expected, actual))
            return
        parsed, value = _json_value(actual)
        if not parsed:
            report(
                Mismatch(
                    "body",
                    "$.body",
                    expected.value,
                    value,
                    f"Expected a JSON body but got text that is not JSON: {show(value)}",
                )
            )
            return
        compare_json(ctx, expected.value, value)
    elif kind == "xml":
        # ElementTree and pyexpat load with the first XML body: JSON-only pacts never need them
        from accord.matching.xml_body import compare_xml, parse_xml

        ctx = BodyContext(rules.xml, strict_keys)
        try:
            expected_doc = parse_xml(_as_text(expected))
        except ValueError as exc:
            report(
                Mismatch(
                    "body",
                    "$.body",
                    expected.value,
                    None,
                    f"The expected XML body is not valid XML: {exc}",
                )
            )
            return
        try:
            actual_doc = parse_xml(_as_text(actual))
        except ValueError as exc:
            report(
                Mismatch(
                    "body",
                    "$.body",
                    expected.value,
                    actual.value,
                    f"Expected an XML body but it could not be parsed: {exc}",
                )
            )
            return
        compare_xml(ctx, expected_doc, actual_doc)
    elif kind == "form":
        expected_form = parse_query_string(_as_text(expected))
        actual_form = parse_query_string(_as_text(actual))
        names = set(expected_form) | set(actual_form)
        form_rules = {
            name: rule for name in names if (rule := rules.json.select(("$", name))) is not None
        }
        compare_params(
            expected_form,
            actual_form,
            form_rules,
            report,
            kind="body",
            prefix="$.body",
            noun="form field",
        )
    elif kind == "multipart":
        from accord.matching.multipart import compare_multipart

        compare_multipart(
            _as_bytes(expected),
            expected_type=expected_type,
            actual=_as_bytes(actual),
            actual_type=actual_type,
            rules=rules.json,
            report=report,
        )
    elif kind == "binary":
        _compare_opaque(ctx, expected, actual, text=False)
    else:
        _compare_opaque(ctx, expected, actual, text=True)
    for mismatch in ctx.mismatches:
        report(mismatch)


def _unparsable_json(expected: BodyValue, actual: BodyValue) -> Mismatch:
    """An actual body declared as JSON that does not parse: never compared as text, since a
    client reading it as JSON would fail (the reference fails to parse it too)."""
    return Mismatch(
        "body",
        "$.body",
        expected.value,
        actual.value,
        f"Expected a JSON body, but the body sent as '{actual.declared_type}' is not valid "
        f"JSON ({actual.parse_error}): {show(actual.value)}",
    )


def _judged_by_root_rule(rules: BodyRules) -> bool:
    rule = rules.json.select(ROOT_PATH) if rules.json else None
    return rule is not None and not rule.exact


def _compare_opaque(
    ctx: BodyContext, expected: BodyValue, actual: BodyValue, *, text: bool
) -> None:
    """Text and binary bodies: the rules at ``$`` (regex, contentType, ...) or equality."""
    rule = ctx.rules.select(ROOT_PATH) if ctx.rules else None
    exact = rule is None or rule.exact
    if text and exact and isinstance(actual.value, bytes) and actual.parse_error:
        # bytes that are not UTF-8 never equal a text: say so with the bytes, not a lossy
        # decoding that would show characters the provider never sent
        e_value: Any = _as_text(expected)
        ctx.report(
            ROOT_PATH,
            e_value,
            actual.value,
            f"Expected the body to equal {show(e_value)} but got "
            f"{len(actual.value)} bytes that are not UTF-8 text ({actual.parse_error})",
        )
        return
    if text:
        e_value = _as_text(expected)
        a_value: Any = _as_text(actual)
    else:
        e_value, a_value = _as_bytes(expected), _as_bytes(actual)
    if rule is not None and not rule.exact:
        for message in evaluate(rule, e_value, a_value, "the body", text=True):
            ctx.report(ROOT_PATH, e_value, a_value, message)
    elif e_value != a_value:
        ctx.report(
            ROOT_PATH,
            e_value,
            a_value,
            f"Expected the body to equal {show(e_value)} but got {show(a_value)}",
        )
