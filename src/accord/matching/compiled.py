"""A part's ``matchingRules`` parsed and compiled once, then reused across calls.

Verifiers and benchmarks match the same expected part many times; re-reading its rules each
time would dominate the cost. Compiled rules are cached by the identity of the rules object and
re-validated by value, so a caller that edits the dict in place still gets fresh rules.
"""

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from accord.matching.bodies import BodyRules
from accord.matching.headers import compile_named_rules
from accord.matching.matchers import CompiledRules, compile_rules
from accord.matching.selection import RuleIndex
from accord.pact.model import MatchingRules, RuleList, SpecVersion
from accord.pact.rules import parse_matching_rules


@dataclass(frozen=True, slots=True)
class PartRules:
    """The compiled rules of one part (request, response or message), by category."""

    body: BodyRules
    headers: Mapping[str, CompiledRules] = field(default_factory=dict)
    query: Mapping[str, CompiledRules] = field(default_factory=dict)
    metadata: Mapping[str, CompiledRules] = field(default_factory=dict)
    path: CompiledRules | None = None
    status: CompiledRules | None = None
    method: CompiledRules | None = None


def _single(rules: MatchingRules, category: str) -> CompiledRules | None:
    entries = rules.get(category, {})
    rule_list: RuleList | None = entries.get("") or next(iter(entries.values()), None)
    return compile_rules(rule_list) if rule_list is not None else None


def compile_part_rules(rules: MatchingRules) -> PartRules:
    body_entries = {**rules.get("content", {}), **rules.get("body", {})}
    return PartRules(
        body=BodyRules(json=RuleIndex(body_entries), xml=RuleIndex(body_entries, xml=True)),
        headers=compile_named_rules(rules.get("header", {}), fold_case=True),
        query=compile_named_rules(rules.get("query", {}), fold_case=False),
        metadata=compile_named_rules(rules.get("metadata", {}), fold_case=False),
        path=_single(rules, "path"),
        status=_single(rules, "status"),
        method=_single(rules, "method"),
    )


_EMPTY = compile_part_rules({})
_BY_IDENTITY: dict[int, tuple[object, object, PartRules]] = {}
_BY_VALUE: dict[str, PartRules] = {}
_CACHE_LIMIT = 512


def part_rules(raw: Any, spec: SpecVersion, where: str) -> PartRules:
    """The compiled rules of a part's ``matchingRules`` JSON (``None`` → no rules).

    The same dict object is recognised by identity (then checked by value, in case it was
    edited in place); an equal dict built afresh, as a verifier does per interaction, by its
    canonical JSON text.
    """
    if not raw:
        return _EMPTY
    entry = _BY_IDENTITY.get(id(raw))
    if entry is not None and entry[0] is raw and entry[1] == raw:
        return entry[2]
    try:
        key: str | None = json.dumps(raw, sort_keys=True)
    except (TypeError, ValueError):
        key = None
    compiled = _BY_VALUE.get(key) if key is not None else None
    if compiled is None:
        compiled = compile_part_rules(parse_matching_rules(raw, spec=spec, source=where))
        if key is not None:
            if len(_BY_VALUE) >= _CACHE_LIMIT:
                _BY_VALUE.clear()
            _BY_VALUE[key] = compiled
    if len(_BY_IDENTITY) >= _CACHE_LIMIT:
        _BY_IDENTITY.clear()
    _BY_IDENTITY[id(raw)] = (raw, copy.deepcopy(raw), compiled)
    return compiled


_MODEL_RULES: dict[int, tuple[MatchingRules, PartRules]] = {}
_MODEL_BY_VALUE: dict[str, PartRules] = {}


def model_part_rules(rules: MatchingRules) -> PartRules:
    """The compiled rules of a model part (``HttpRequest.matching_rules``, ...).

    The model is frozen, so its rules object is recognised by identity alone (the entry holds
    the object, so its id cannot be reused while cached): a verifier replaying an interaction
    again, or a stub answering many requests, compiles its rules once. Distinct interactions
    of one pact usually carry equal rules: those are recognised by their ``repr`` (the parsed
    rules are plain dicts of frozen dataclasses holding JSON values, so equal text means equal
    rules, in the same order), which costs a tenth of compiling them again.
    """
    if not rules:
        return _EMPTY
    entry = _MODEL_RULES.get(id(rules))
    if entry is not None and entry[0] is rules:
        return entry[1]
    key = repr(rules)
    compiled = _MODEL_BY_VALUE.get(key)
    if compiled is None:
        compiled = compile_part_rules(rules)
        if len(_MODEL_BY_VALUE) >= _CACHE_LIMIT:
            _MODEL_BY_VALUE.clear()
        _MODEL_BY_VALUE[key] = compiled
    if len(_MODEL_RULES) >= _CACHE_LIMIT:
        _MODEL_RULES.clear()
    _MODEL_RULES[id(rules)] = (rules, compiled)
    return compiled
