"""Matching rules and generators: read any spec version's JSON into one model, write V4 JSON back.

A pact carries its rules in two encodings. V2 writes a flat map from a path that names the part
(``$.body.a``, ``$.headers.Accept``, ``$.query.q``, ``$.path``) to one matcher object; V3 and V4
group them by category (``body``, ``header``, ``query``, ``path``, ``status``, ``metadata``,
``content``) with a list of matchers and a ``combine`` policy. Both become
``category -> key -> RuleList`` here, so nothing downstream cares which version wrote the pact.

Which encoding a rules object uses is decided by its keys, not by the declared spec version: the
reference implementation does the same, and real pacts disagree with their own metadata.

Path expressions of body rules are parsed in :mod:`accord.pact.paths` (re-exported here), so the
V2 keys can be split and the engine selects rules by the same tokens.
"""

from collections.abc import Mapping
from typing import Any, Final

from accord.errors import PactFormatError
from accord.pact.model import (
    Combine,
    Generator,
    Generators,
    Matcher,
    MatchingRules,
    RuleList,
    SpecVersion,
)
from accord.pact.paths import ROOT, STAR, STAR_INDEX, PathToken, parse_path_expression

__all__ = [
    "PATH_CATEGORIES",
    "ROOT",
    "STAR",
    "STAR_INDEX",
    "PathToken",
    "generators_to_json",
    "matching_rules_to_json",
    "parse_generators",
    "parse_matching_rules",
    "parse_path_expression",
]

# Categories that hold one rule list (or one generator) rather than a map of keys to them. The
# model stores their single entry under the key "".
PATH_CATEGORIES: Final = frozenset({"path", "status", "method"})
# Categories whose keys are body path expressions (the rest are literal names).
_BODY_CATEGORIES: Final = frozenset({"body", "content"})

# Aliases the reference implementation accepts, mapped to the name we store.
_KIND_ALIASES: Final[Mapping[str, str]] = {
    "datetime": "timestamp",
    "real": "decimal",
    "min-type": "type",
    "max-type": "type",
    "minmax-type": "type",
    "min": "type",
    "max": "type",
    "content-type": "contentType",
    "array-contains": "arrayContains",
    "status-code": "statusCode",
    "not-empty": "notEmpty",
    "each-key": "eachKey",
    "each-value": "eachValue",
}
_DATE_KINDS: Final = ("timestamp", "date", "time")
_SIZE_PARAMS: Final = ("min", "max")


def _check_path(expression: str, source: str, where: str) -> None:
    try:
        parse_path_expression(expression)
    except ValueError as exc:
        raise PactFormatError(
            source, where, "a path expression like $.items[*].id", f"{expression!r} ({exc})"
        ) from None


# ---------------------------------------------------------------------------------------------
# Matching rules
# ---------------------------------------------------------------------------------------------


def _describe(value: object) -> str:
    """A short, JSON-flavoured description of what was found, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _child(path: str, key: str) -> str:
    """The JSON path of ``key`` below ``path``, bracketed when the key is not a plain name."""
    if key and all(c.isalnum() or c in "_-" for c in key):
        return f"{path}.{key}"
    escaped = key.replace("'", "\\'")
    return f"{path}['{escaped}']"


def _as_size(value: object, source: str, where: str) -> int:
    """``min``/``max`` may be written as numbers or (V3 README) as numeric strings."""
    if isinstance(value, bool):
        raise PactFormatError(source, where, "a non-negative integer", _describe(value))
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise PactFormatError(source, where, "a non-negative integer", _describe(value))


def _parse_matcher(raw: object, source: str, where: str) -> Matcher:
    if not isinstance(raw, dict):
        raise PactFormatError(
            source, where, 'a matcher object like {"match": "type"}', _describe(raw)
        )
    params: dict[str, Any] = {
        k: v for k, v in raw.items() if k not in ("match", "pact:matcher:type")
    }
    kind_raw = raw.get("match", raw.get("pact:matcher:type"))
    if kind_raw is None:
        # Legacy objects name their kind by their only parameter.
        if "regex" in raw:
            kind_raw = "regex"
        elif "min" in raw or "max" in raw:
            kind_raw = "type"
        else:
            date_key = next(
                (k for k in ("timestamp", "datetime", "date", "time") if k in raw), None
            )
            if date_key is None:
                raise PactFormatError(
                    source, where, 'a matcher object with a "match" attribute', _describe(raw)
                )
            kind_raw = date_key
    if not isinstance(kind_raw, str) or not kind_raw:
        raise PactFormatError(source, f"{where}.match", "a matcher name", _describe(kind_raw))
    kind = _KIND_ALIASES.get(kind_raw, kind_raw)
    for size in _SIZE_PARAMS:
        if size in params:
            params[size] = _as_size(params[size], source, f"{where}.{size}")
    if kind == "regex":
        regex = params.get("regex")
        if not isinstance(regex, str):
            raise PactFormatError(
                source, f"{where}.regex", "a regular expression string", _describe(regex)
            )
    elif kind in _DATE_KINDS:
        # V3 writers put the pattern under the kind's own name; V4 uses "format".
        for legacy in ("timestamp", "datetime", "date", "time"):
            if "format" not in params and isinstance(params.get(legacy), str):
                params["format"] = params.pop(legacy)
        fmt = params.get("format")
        if fmt is not None and not isinstance(fmt, str):
            raise PactFormatError(
                source, f"{where}.format", "a date/time format string", _describe(fmt)
            )
    elif kind in ("eachKey", "eachValue"):
        rules = params.get("rules", [])
        if not isinstance(rules, list):
            raise PactFormatError(
                source, f"{where}.rules", "an array of matchers", _describe(rules)
            )
        params["rules"] = [
            _matcher_to_json(_parse_matcher(r, source, f"{where}.rules[{i}]"))
            for i, r in enumerate(rules)
        ]
    elif kind == "arrayContains":
        params["variants"] = _parse_variants(
            params.get("variants", []), source, f"{where}.variants"
        )
    return Matcher(kind, params)


def _parse_variants(raw: object, source: str, where: str) -> list[dict[str, Any]]:
    """``arrayContains`` variants: normalise their nested rules (relative body paths) in place."""
    if not isinstance(raw, list):
        raise PactFormatError(source, where, "an array of variants", _describe(raw))
    variants: list[dict[str, Any]] = []
    for i, variant in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(variant, dict):
            raise PactFormatError(
                source, at, "a variant object with index and rules", _describe(variant)
            )
        index = variant.get("index", i)
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise PactFormatError(source, f"{at}.index", "a non-negative integer", _describe(index))
        rules = variant.get("rules", {})
        if not isinstance(rules, dict):
            raise PactFormatError(
                source, f"{at}.rules", "an object of path -> rules", _describe(rules)
            )
        parsed = {
            key: _rule_list_to_json(_parse_rule_list(value, source, _child(f"{at}.rules", key)))
            for key, value in rules.items()
        }
        for key in rules:
            _check_path(key, source, _child(f"{at}.rules", key))
        out: dict[str, Any] = dict(variant)
        out["index"] = index
        out["rules"] = parsed
        if "generators" in variant:
            gens = variant["generators"]
            if not isinstance(gens, dict):
                raise PactFormatError(source, f"{at}.generators", "an object", _describe(gens))
            out["generators"] = {
                k: _generator_to_json(_parse_generator(g, source, _child(f"{at}.generators", k)))
                for k, g in gens.items()
            }
        variants.append(out)
    return variants


def _parse_combine(raw: object, source: str, where: str) -> Combine:
    if raw is None:
        return "AND"
    if isinstance(raw, str):
        upper = raw.strip().upper()
        if upper == "AND":
            return "AND"
        if upper == "OR":
            return "OR"
    raise PactFormatError(source, where, '"AND" or "OR"', _describe(raw))


def _parse_rule_list(raw: object, source: str, where: str) -> RuleList:
    if not isinstance(raw, dict):
        raise PactFormatError(source, where, 'an object like {"matchers": [...]}', _describe(raw))
    if "matchers" not in raw:
        # A bare matcher object where a list was expected (V2 values, lenient writers).
        return RuleList((_parse_matcher(raw, source, where),))
    matchers = raw["matchers"]
    if not isinstance(matchers, list):
        raise PactFormatError(
            source, f"{where}.matchers", "an array of matchers", _describe(matchers)
        )
    parsed = tuple(
        _parse_matcher(m, source, f"{where}.matchers[{i}]") for i, m in enumerate(matchers)
    )
    return RuleList(parsed, _parse_combine(raw.get("combine"), source, f"{where}.combine"))


def _v2_parameter_name(tokens: tuple[PathToken, ...]) -> str | None:
    """The header or query name in the tokens after ``$.header(s)``/``$.query``, or ``None``.

    Clients index the value list (pact-js writes ``$.header['se-token'][0]``,
    ``$.query.ids[1]``); the reference keeps the first name and drops indices, so one rule
    then governs the parameter's values, and so do we.
    """
    if not tokens or not isinstance(tokens[0], str) or tokens[0] in (STAR, STAR_INDEX):
        return None
    if any(not isinstance(t, int) and t != STAR_INDEX for t in tokens[1:]):
        return None
    return tokens[0]


def _v2_location(key: str, source: str, where: str) -> tuple[str, str]:
    """Translate a V2 key (``$.body.a``, ``$.headers.X``, ``$.query.q``, ``$.path``) to
    (category, key)."""
    try:
        tokens = parse_path_expression(key)
    except ValueError as exc:
        raise PactFormatError(
            source, where, "a V2 rule path like $.body.id", f"{key!r} ({exc})"
        ) from None
    part = tokens[1] if len(tokens) > 1 else None
    if part == "body":
        text = key.strip()
        if text.startswith("$.body") and text[6:7] in ("", ".", "["):
            return "body", "$" + text[6:]
        return "body", "$" + "".join(
            f"[{t}]"
            if isinstance(t, int)
            else "[*]"
            if t == STAR_INDEX
            else ".*"
            if t == STAR
            else "['" + t + "']"
            for t in tokens[2:]
        )
    if part in ("headers", "header", "query"):
        name = _v2_parameter_name(tokens[2:])
        if name is not None:
            return ("query" if part == "query" else "header"), name
    if part in PATH_CATEGORIES and len(tokens) == 2:
        return str(part), ""
    raise PactFormatError(
        source,
        where,
        "a V2 rule path below $.body, $.headers.<name>, $.query.<name> or $.path",
        repr(key),
    )


def parse_matching_rules(
    raw: object, *, spec: SpecVersion, source: str = "<memory>", path: str = "matchingRules"
) -> MatchingRules:
    """Read the ``matchingRules`` of one request, response or message, in any encoding.

    ``spec`` is the pact's declared version; the encoding itself is recognised from the keys (a
    first key starting with ``$`` means V2's flat form), so a V3 pact written with V2 rules, or
    the reverse, still reads correctly. ``None`` or ``{}`` mean "no rules".
    """
    del spec  # the keys decide; kept in the signature so callers state what they read
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PactFormatError(source, path, "an object of matching rules", _describe(raw))
    if not raw:
        return {}
    # pacts repeat the same rules in interaction after interaction (a generated pact, the
    # same response shape for many requests): equal JSON reads to equal rules, so each
    # distinct rules object is read once per process and the parts that carry it share it,
    # as they share any immutable value (the model never changes its rules; they are typed
    # ``Mapping``). Sharing also lets the matching engine find their compiled form by
    # identity (``accord.matching.compiled.model_part_rules``).
    key = repr(raw)
    parsed = _PARSED_RULES.get(key)
    if parsed is None:
        first = next(iter(raw))
        if isinstance(first, str) and first.startswith("$"):
            parsed = _parse_v2_rules(raw, source, path)
        else:
            parsed = _parse_category_rules(raw, source, path)
        if len(_PARSED_RULES) >= _PARSED_RULES_LIMIT:
            _PARSED_RULES.clear()
        _PARSED_RULES[key] = parsed
    return parsed


#: ``repr`` of a matchingRules JSON object -> its rules (see :func:`parse_matching_rules`)
_PARSED_RULES: dict[str, MatchingRules] = {}
_PARSED_RULES_LIMIT = 4096


def _parse_v2_rules(raw: dict[str, Any], source: str, path: str) -> MatchingRules:
    out: dict[str, dict[str, RuleList]] = {}
    for key, value in raw.items():
        where = _child(path, key)
        category, name = _v2_location(key, source, where)
        rules = _parse_rule_list(value, source, where)
        existing = out.setdefault(category, {}).get(name)
        if existing is not None:  # two V2 spellings of one place (e.g. $.header.X, $.headers.X)
            rules = RuleList(existing.matchers + rules.matchers, existing.combine)
        out[category][name] = rules
    return out


def _parse_category_rules(raw: dict[str, Any], source: str, path: str) -> MatchingRules:
    out: dict[str, dict[str, RuleList]] = {}
    for category_raw, value in raw.items():
        where = _child(path, category_raw)
        category = "header" if category_raw == "headers" else category_raw
        if (
            category in PATH_CATEGORIES
            and isinstance(value, dict)
            and ("matchers" in value or "match" in value or not value)
        ):
            if value:
                out.setdefault(category, {})[""] = _parse_rule_list(value, source, where)
            continue
        if not isinstance(value, dict):
            raise PactFormatError(source, where, "an object of name -> rules", _describe(value))
        entries = out.setdefault(category, {})
        for key, rule_json in value.items():
            at = _child(where, key)
            if category in _BODY_CATEGORIES:
                _check_path(key, source, at)
            rules = _parse_rule_list(rule_json, source, at)
            existing = entries.get(key)
            if existing is not None:
                rules = RuleList(existing.matchers + rules.matchers, existing.combine)
            entries[key] = rules
        if not entries:
            del out[category]
    return out


def _matcher_to_json(matcher: Matcher) -> dict[str, Any]:
    return {"match": matcher.kind, **matcher.params}


def _rule_list_to_json(rules: RuleList) -> dict[str, Any]:
    return {"matchers": [_matcher_to_json(m) for m in rules.matchers], "combine": rules.combine}


def matching_rules_to_json(rules: MatchingRules) -> dict[str, Any]:
    """Write rules in the V3/V4 category encoding (what V4 pacts carry)."""
    out: dict[str, Any] = {}
    for category, entries in rules.items():
        if not entries:
            continue
        if category in PATH_CATEGORIES and set(entries) == {""}:
            out[category] = _rule_list_to_json(entries[""])
        else:
            out[category] = {key: _rule_list_to_json(r) for key, r in entries.items()}
    return out


# ---------------------------------------------------------------------------------------------
# Generators
# ---------------------------------------------------------------------------------------------


def _parse_generator(raw: object, source: str, where: str) -> Generator:
    if not isinstance(raw, dict):
        raise PactFormatError(
            source, where, 'a generator object like {"type": "Uuid"}', _describe(raw)
        )
    kind = raw.get("type")
    if not isinstance(kind, str) or not kind:
        raise PactFormatError(source, f"{where}.type", "a generator type name", _describe(kind))
    return Generator(kind, {k: v for k, v in raw.items() if k != "type"})


def parse_generators(
    raw: object, *, source: str = "<memory>", path: str = "generators"
) -> Generators:
    """Read the ``generators`` of one request, response or message (V3/V4 category form).

    ``path``, ``status`` and ``method`` hold one generator; the model keeps it under key ``""``.
    """
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise PactFormatError(source, path, "an object of generators", _describe(raw))
    out: dict[str, dict[str, Generator]] = {}
    for category_raw, value in raw.items():
        where = _child(path, category_raw)
        category = "header" if category_raw == "headers" else category_raw
        if not isinstance(value, dict):
            raise PactFormatError(source, where, "an object", _describe(value))
        if category in PATH_CATEGORIES and "type" in value:
            out.setdefault(category, {})[""] = _parse_generator(value, source, where)
            continue
        entries = {
            key: _parse_generator(gen, source, _child(where, key)) for key, gen in value.items()
        }
        if category in _BODY_CATEGORIES:
            for key in entries:
                _check_path(key, source, _child(where, key))
        if entries:
            out.setdefault(category, {}).update(entries)
    return out


def _generator_to_json(generator: Generator) -> dict[str, Any]:
    return {"type": generator.kind, **generator.params}


def generators_to_json(generators: Generators) -> dict[str, Any]:
    """Write generators in the V3/V4 category form."""
    out: dict[str, Any] = {}
    for category, entries in generators.items():
        if not entries:
            continue
        if category in PATH_CATEGORIES and set(entries) == {""}:
            out[category] = _generator_to_json(entries[""])
        else:
            out[category] = {key: _generator_to_json(g) for key, g in entries.items()}
    return out
