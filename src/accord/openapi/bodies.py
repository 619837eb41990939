"""Judging a pact body (request or response) against an operation's schema for its media type.

Two passes. ``jsonschema`` validates the pact's example (the schema decides). Then a walk over
the example beside the schema finds what validation cannot see: fields the consumer relies on
that the provider does not document or documents as optional, array sizes the consumer needs,
``readOnly`` fields a consumer sends. Pact matching rules change the verdict for responses: a
value under a ``type``-like rule stands for *any* value of its kind, so a rule-covered example
that breaks ``enum``, ``pattern`` or ``format`` does not break the pair (the provider will send
a valid value, which the consumer accepts); ``eachLike``'s ``min``/``max`` are compared with
``minItems``/``maxItems``.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from accord.matching.locations import render
from accord.matching.matchers import CompiledRules
from accord.matching.selection import RuleIndex
from accord.openapi.document import OpenApiDocument, pointer_join
from accord.openapi.findings import Severity
from accord.openapi.schemas import VALUE_KEYWORDS, Direction, SchemaChecker, Violation

#: Rule kinds that accept any value of a kind (type, format, pattern), not one value.
RELAXING_KINDS = frozenset(
    {
        "type",
        "regex",
        "integer",
        "decimal",
        "number",
        "date",
        "time",
        "timestamp",
        "datetime",
        "include",
        "semver",
        "notEmpty",
        "boolean",
        "contentType",
    }
)

#: ``add(code, severity, pact_path, pointer, expected, documented, message)``
Report = Callable[[str, Severity, str, str | None, str, str, str], None]


def show(value: Any, limit: int = 80) -> str:
    """A value as JSON, short enough for one line of a report."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def value_at(value: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            return None
    return value


@dataclass(frozen=True, slots=True)
class BodyCheck:
    """Everything one body check needs, so the functions below stay small."""

    document: OpenApiDocument
    checker: SchemaChecker
    direction: Direction
    schema_pointer: str
    pact_prefix: str
    rules: RuleIndex
    strict: bool
    report: Report


def check_body(check: BodyCheck, value: Any) -> None:
    """Validate ``value`` against the schema, then walk it for what validation misses."""
    code = f"{check.direction}.body.incompatible"
    for violation in check.checker.violations(value, check.schema_pointer, check.direction):
        if _relaxed_by_rules(check, violation):
            continue
        if violation.keyword == "additionalProperties":
            _report_forbidden_fields(check, value, violation)
            continue
        where = render(check.pact_prefix, ("$", *violation.path))
        check.report(
            code,
            Severity.ERROR,
            where,
            violation.pointer,
            show(value_at(value, violation.path)),
            f"{violation.keyword}: {show(violation.schema_value)}",
            f"{_name(violation.path)} does not match the documented schema: {violation.message}",
        )
    _walk(check, value, {"$ref": "#" + check.schema_pointer}, check.schema_pointer, ())


def _report_forbidden_fields(check: BodyCheck, value: Any, violation: Violation) -> None:
    """``additionalProperties: false``: one finding per field, naming it."""
    owner = value_at(value, violation.path)
    node, _ = check.checker.node(violation.pointer.rsplit("/", 1)[0], check.direction)
    known = set((node.get("properties") or {}) if isinstance(node, Mapping) else ())
    extra = [k for k in owner if k not in known] if isinstance(owner, dict) else []
    for key in extra or [""]:
        here = (*violation.path, key) if key else violation.path
        check.report(
            f"{check.direction}.body.incompatible",
            Severity.ERROR,
            render(check.pact_prefix, ("$", *here)),
            violation.pointer,
            f"field {key!r} = {show(owner[key])}" if key else show(owner),
            "additionalProperties: false; properties: " + (", ".join(sorted(known)) or "(none)"),
            f"{_name(here)} is not allowed by the provider's schema: {violation.message}",
        )


def _name(path: tuple[str | int, ...]) -> str:
    return "the body" if not path else "'" + render("$", ("$", *path))[2:].lstrip(".") + "'"


def _rules_at(check: BodyCheck, path: tuple[str | int, ...]) -> CompiledRules | None:
    return check.rules.select(("$", *path)) if check.rules else None


def _relaxed_by_rules(check: BodyCheck, violation: Violation) -> bool:
    """True when a response rule makes the example's violation irrelevant (see module doc)."""
    if check.direction != "response":
        return False
    rules = _rules_at(check, violation.path)
    if rules is None:
        return False
    kinds = {c.kind for c in rules.checks}
    if violation.keyword in VALUE_KEYWORDS:
        return bool(kinds & RELAXING_KINDS)
    if violation.keyword in {"minItems", "maxItems"}:
        low = max((c.min for c in rules.checks if c.min is not None), default=None)
        high = min((c.max for c in rules.checks if c.max is not None), default=None)
        if low is None and high is None:
            return False
        node, _ = check.checker.node(violation.pointer.rsplit("/", 1)[0], "response")
        schema_low = int(node.get("minItems", 0))
        schema_high = node.get("maxItems")
        consumer_high = high if high is not None else float("inf")
        provider_high = schema_high if schema_high is not None else float("inf")
        return max(low or 0, schema_low) <= min(consumer_high, provider_high)
    return False


def _walk(
    check: BodyCheck, value: Any, schema: Any, pointer: str, path: tuple[str | int, ...]
) -> None:
    node, pointer = check.document.resolve(schema, pointer)
    if not isinstance(node, Mapping):
        return
    _note_unconstrained(check, node, pointer, path, value)
    if isinstance(value, dict):
        _walk_object(check, value, node, pointer, path)
    elif isinstance(value, list):
        items = node.get("items")
        if isinstance(items, Mapping):
            for index, item in enumerate(value):
                _walk(check, item, items, pointer_join(pointer, "items"), (*path, index))
        _check_array_size(check, node, pointer, path)


def _note_unconstrained(
    check: BodyCheck, node: Mapping[str, Any], pointer: str, path: tuple[str | int, ...], value: Any
) -> None:
    """Requests: a rule lets the consumer send any value where the provider accepts only some."""
    if check.direction != "request" or isinstance(value, dict | list):
        return
    rules = _rules_at(check, path)
    if rules is None or not ({c.kind for c in rules.checks} & RELAXING_KINDS):
        return
    constraints = sorted(k for k in ("enum", "pattern", "format", "const") if k in node)
    if constraints:
        check.report(
            "request.body.matcher-broader-than-schema",
            Severity.WARNING,
            render(check.pact_prefix, ("$", *path)),
            pointer_join(pointer, constraints[0]),
            f"any value like {show(value)} ({', '.join(sorted({c.kind for c in rules.checks}))})",
            ", ".join(f"{k}: {show(node[k])}" for k in constraints),
            f"{_name(path)}: the pact's matching rule lets the consumer send values the "
            f"provider's {constraints[0]} refuses; only the example was checked",
        )


def _object_shape(
    check: BodyCheck, node: Mapping[str, Any], pointer: str, value: Any
) -> tuple[dict[str, tuple[Any, str]], set[str], list[tuple[Any, str]]]:
    """Properties (schema, pointer), required names and ``additionalProperties`` of an object
    schema, merged through ``allOf`` and the ``oneOf``/``anyOf`` branches ``value`` fits."""
    properties: dict[str, tuple[Any, str]] = {}
    required: set[str] = set()
    additional: list[tuple[Any, str]] = []
    for name, schema in (node.get("properties") or {}).items():
        properties[name] = (schema, pointer_join(pointer, "properties", name))
    required.update(node.get("required") or ())
    if "additionalProperties" in node:
        additional.append(
            (node["additionalProperties"], pointer_join(pointer, "additionalProperties"))
        )
    for branch, branch_pointer in _branches(check, node, pointer, value):
        resolved, where = check.document.resolve(branch, branch_pointer)
        if not isinstance(resolved, Mapping):
            continue
        more, more_required, more_additional = _object_shape(check, resolved, where, value)
        for name, entry in more.items():
            properties.setdefault(name, entry)
        required |= more_required
        additional.extend(more_additional)
    return properties, required, additional


def _branches(
    check: BodyCheck, node: Mapping[str, Any], pointer: str, value: Any
) -> list[tuple[Any, str]]:
    chosen = [
        (branch, pointer_join(pointer, "allOf", i))
        for i, branch in enumerate(node.get("allOf") or ())
    ]
    for combinator in ("oneOf", "anyOf"):
        options = [
            (branch, pointer_join(pointer, combinator, i))
            for i, branch in enumerate(node.get(combinator) or ())
        ]
        fitting = [
            (b, w)
            for b, w in options
            if check.checker.is_valid(value, check.document.resolve(b, w)[1], check.direction)
        ]
        chosen.extend(fitting or _by_discriminator(node, options, value) or options)
    return chosen


def _by_discriminator(
    node: Mapping[str, Any], options: list[tuple[Any, str]], value: Any
) -> list[tuple[Any, str]]:
    """The branch a ``discriminator`` names for ``value`` (mapping, or the schema's name)."""
    discriminator = node.get("discriminator")
    if not isinstance(discriminator, Mapping) or not isinstance(value, dict):
        return []
    tag = value.get(discriminator.get("propertyName", ""))
    if not isinstance(tag, str):
        return []
    target = (discriminator.get("mapping") or {}).get(tag, f"#/components/schemas/{tag}")
    return [(b, w) for b, w in options if isinstance(b, Mapping) and b.get("$ref") == target]


def _walk_object(
    check: BodyCheck,
    value: dict[str, Any],
    node: Mapping[str, Any],
    pointer: str,
    path: tuple[str | int, ...],
) -> None:
    properties, required, additional = _object_shape(check, node, pointer, value)
    free_form = not properties and not additional
    for key, child in value.items():
        here = (*path, key)
        where = render(check.pact_prefix, ("$", *here))
        if key in properties:
            schema, schema_pointer = properties[key]
            _note_property(check, key in required, schema, schema_pointer, here, where, child)
            _walk(check, child, schema, schema_pointer, here)
            continue
        schemas = [(s, p) for s, p in additional if isinstance(s, Mapping)]
        if schemas:
            _walk(check, child, schemas[0][0], schemas[0][1], here)
            continue
        if free_form or any(s is False for s, _ in additional) or check.direction == "request":
            continue  # free-form object, or jsonschema already reported the forbidden field
        check.report(
            "response.body.unknown-field" if check.strict else "response.body.undocumented-field",
            Severity.ERROR if check.strict else Severity.WARNING,
            where,
            pointer_join(pointer, "properties"),
            f"field {key!r} = {show(child)}",
            "properties: " + (", ".join(sorted(properties)) or "(none)"),
            f"{_name(here)} is used by the consumer but not documented by the provider"
            + ("" if check.strict else " (an error with --strict)"),
        )


def _note_property(  # noqa: PLR0917 - private, two call sites
    check: BodyCheck,
    is_required: bool,
    schema: Any,
    pointer: str,
    path: tuple[str | int, ...],
    where: str,
    value: Any,
) -> None:
    resolved, resolved_pointer = check.document.resolve(schema, pointer)
    flags = resolved if isinstance(resolved, Mapping) else {}
    if check.direction == "response" and not is_required:
        check.report(
            "response.body.optional-field",
            Severity.WARNING,
            where,
            pointer,
            f"field {path[-1]!r} always present",
            "optional (not in 'required')",
            f"{_name(path)} is relied on by the consumer but the provider documents it as "
            "optional: a response without it would break the consumer",
        )
    if check.direction == "request" and flags.get("readOnly"):
        check.report(
            "request.body.read-only-field",
            Severity.WARNING,
            where,
            pointer_join(resolved_pointer, "readOnly"),
            f"sends {path[-1]!r} = {show(value)}",
            "readOnly: true",
            f"{_name(path)} is read-only in the provider's document; providers ignore or "
            "refuse it in requests",
        )


def _check_array_size(
    check: BodyCheck, node: Mapping[str, Any], pointer: str, path: tuple[str | int, ...]
) -> None:
    """Responses: ``eachLike`` with ``min``/``max`` against ``minItems``/``maxItems``."""
    if check.direction != "response":
        return
    rules = _rules_at(check, path)
    if rules is None or rules.cascaded:
        return
    low = max((c.min for c in rules.checks if c.min is not None), default=None)
    high = min((c.max for c in rules.checks if c.max is not None), default=None)
    schema_low = int(node.get("minItems", 0))
    schema_high = node.get("maxItems")
    where = render(check.pact_prefix, ("$", *path))
    documented = (
        f"minItems: {schema_low}, maxItems: {schema_high if schema_high is not None else '∞'}"
    )
    if low is not None and schema_high is not None and schema_high < low:
        check.report(
            "response.body.incompatible",
            Severity.ERROR,
            where,
            pointer_join(pointer, "maxItems"),
            f"at least {low} items",
            documented,
            f"{_name(path)}: the consumer needs at least {low} items; the provider sends at most "
            f"{schema_high}",
        )
    elif low is not None and schema_low < low:
        check.report(
            "response.body.array-size",
            Severity.WARNING,
            where,
            pointer_join(pointer, "minItems") if "minItems" in node else pointer,
            f"at least {low} items",
            documented,
            f"{_name(path)}: the consumer needs at least {low} items; the provider may send "
            f"{schema_low}",
        )
    if high is not None and (schema_high is None or schema_high > high):
        check.report(
            "response.body.array-size",
            Severity.WARNING,
            where,
            pointer_join(pointer, "maxItems") if "maxItems" in node else pointer,
            f"at most {high} items",
            documented,
            f"{_name(path)}: the consumer accepts at most {high} items; the provider may send more",
        )
