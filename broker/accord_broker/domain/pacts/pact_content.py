"""Pact content as the broker sees it: checked on the way in, given ``_id``s on the way out."""

import json
from typing import Any

from accord.errors import PactFormatError, PactRegexError
from accord.pact import interaction_id, parse_pact
from accord.pact.regex import compile_pact_regex
from accord_broker.domain.json_values import load_storable_json
from accord_broker.errors import BrokerInputError

INTERACTION_LISTS = ("interactions", "messages")


def _check_minimal(data: dict[str, Any], source: str) -> None:
    for role in ("consumer", "provider"):
        block = data.get(role)
        if (
            not isinstance(block, dict)
            or not isinstance(block.get("name"), str)
            or not block["name"]
        ):
            raise PactFormatError(source, f"{role}.name", "a non-empty string naming the " + role)
    lists = [key for key in INTERACTION_LISTS if key in data]
    if not lists:
        raise PactFormatError(source, "interactions", "an array of interactions")
    for key in lists:
        if not isinstance(data[key], list):
            raise PactFormatError(source, key, "an array", type(data[key]).__name__)
        for index, item in enumerate(data[key]):
            if not isinstance(item, dict):
                raise PactFormatError(source, f"{key}[{index}]", "an object", type(item).__name__)


_RULE_TREES = frozenset({"matchingRules", "generators"})


def _check_regexes(data: Any, source: str, path: str = "", in_rules: bool = False) -> None:
    """Refuse a matching rule or generator whose regex can never compile (e.g. ``"("``).

    Such a pact can never be verified (every value would mismatch), so it is refused at
    publication with the JSON path of the regex, as an unreadable pact is.
    """
    if isinstance(data, dict):
        regex = data.get("regex")
        if in_rules and isinstance(regex, str):
            # the verifier's own engine decides (RE2, linear time): a pattern it cannot run
            # (a syntax error, a backreference, look-around) would fail every verification
            try:
                compile_pact_regex(regex)
            except PactRegexError as exc:
                raise PactFormatError(
                    source,
                    f"{path}.regex",
                    "a regular expression that compiles",
                    f"{regex!r} ({exc.problem})",
                ) from None
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            _check_regexes(value, source, where, in_rules or key in _RULE_TREES)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            _check_regexes(item, source, f"{path}[{index}]", in_rules)


def check_pact(data: Any, *, source: str, field: str) -> dict[str, Any]:
    """``data`` if it is a pact, else a 400 saying what is wrong and where (``field``: JSON path).

    Beyond what ``accord.pact.parse_pact`` checks (every part of every interaction), a pact the
    broker stores must name its consumer and provider and have an ``interactions`` or
    ``messages`` array, since those decide where it is filed.
    """
    try:
        if not isinstance(data, dict):
            raise PactFormatError(source, "", "a JSON object (a pact)", type(data).__name__)
        _check_minimal(data, source)
        parse_pact(data, source=source)
        _check_regexes(data, source)
    except PactFormatError as exc:
        raise BrokerInputError(
            f"{field} is not a valid pact: {exc}", errors={field: [f"is not a valid pact: {exc}"]}
        ) from exc
    return data


def check_pact_at(data: Any, *, consumer: str, provider: str) -> dict[str, Any]:
    """``data`` (the body of ``PUT …/consumer/{consumer}/version/{n}``) if it is a pact between
    the pacticipants its URL names, else a 400 naming the pact's field that disagrees."""
    pact = check_pact(data, source="request body", field="body")
    for role, expected in (("consumer", consumer), ("provider", provider)):
        if pact[role]["name"] != expected:
            found = pact[role]["name"]
            message = f"{role}.name '{found}' in the pact does not match '{expected}' in the URL"
            raise BrokerInputError(message, errors={f"{role}.name": [message]})
    return pact


def parse_json_text(text: str, *, field: str) -> Any:
    """JSON ``text``, or a 400 naming ``field`` and the line/column where parsing failed (or
    the JSON path of a value, such as NaN, that the broker could not give back)."""
    try:
        return load_storable_json(text, where=field)
    except json.JSONDecodeError as exc:
        message = f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise BrokerInputError(f"{field} {message}", errors={field: [message]}) from exc
    except RecursionError as exc:
        message = "is nested too deeply to read"
        raise BrokerInputError(f"{field} {message}", errors={field: [message]}) from exc


def count_interactions(data: dict[str, Any]) -> tuple[int, int]:
    """(interactions, messages) in a pact; V4 counts message interactions as interactions."""
    interactions = data.get("interactions")
    messages = data.get("messages")
    return (
        len(interactions) if isinstance(interactions, list) else 0,
        len(messages) if isinstance(messages, list) else 0,
    )


def with_interaction_ids(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the pact whose interactions each carry ``_id`` as their first key (trap 8).

    Verifiers echo ``_id`` back as ``testResults[].interactionId``; without it V4 pacts (which
    have no ``key``) produce empty test results. The rest of the content is left as published.
    """
    served = dict(data)
    for key in INTERACTION_LISTS:
        items = data.get(key)
        if isinstance(items, list):
            served[key] = [
                {"_id": interaction_id(item), **{k: v for k, v in item.items() if k != "_id"}}
                if isinstance(item, dict)
                else item
                for item in items
            ]
    return served
