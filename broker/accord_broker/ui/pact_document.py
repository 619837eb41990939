"""A pact as documentation: each interaction as a titled section a reader can follow.

Pure functions from the parsed model (:mod:`accord.pact`, so every specification version reads
the same) to small view records; the templates only lay them out.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from accord.pact import (
    AnyInteraction,
    AsynchronousMessage,
    Body,
    BodyKind,
    Generator,
    Generators,
    MatchingRules,
    MessageContents,
    Pact,
    RuleList,
    SynchronousHttp,
    SynchronousMessages,
)


@dataclass(frozen=True, slots=True)
class RuleRow:
    """A matching rule or generator beside the example value it applies to."""

    category: str
    path: str
    example: str
    matchers: str
    generator: str


@dataclass(frozen=True, slots=True)
class Part:
    """One side of an exchange: a title line, headers or metadata, a body, and the rules and
    generators that say how the example values are matched and replaced."""

    heading: str
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    body: str | None = None
    rules: list[RuleRow] = field(default_factory=list)


_PATH_TOKEN = re.compile(r"\.([^.\[]+)|\[(\d+|\*|'[^']*'|\"[^\"]*\")\]")


def _at(value: Any, path: str) -> Any:
    """The example value a rule path points at (the first element for ``[*]`` or ``*``), or
    ``_MISSING`` when the example has nothing there."""
    text = path[1:] if path.startswith("$") else ("." + path if path[:1] != "[" else path)
    for name, index in _PATH_TOKEN.findall(text):
        key: Any = name if name else index
        if key in ("*", "[*]") or (not name and index == "*"):
            if isinstance(value, list) and value:
                value = value[0]
            elif isinstance(value, dict) and value:
                value = next(iter(value.values()))
            else:
                return _MISSING
            continue
        if not name and index.isdigit():
            if not isinstance(value, list) or int(index) >= len(value):
                return _MISSING
            value = value[int(index)]
            continue
        key = key.strip("'\"") if not name else key
        if not isinstance(value, dict) or key not in value:
            return _MISSING
        value = value[key]
    return value


_MISSING = object()


def _matcher_text(rules: RuleList) -> str:
    shown = []
    for matcher in rules.matchers:
        params = ", ".join(
            f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in matcher.params.items()
        )
        shown.append(f"{matcher.kind}({params})" if params else matcher.kind)
    return f" {rules.combine} ".join(shown)


def _generator_text(generator: Generator) -> str:
    params = ", ".join(
        f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in generator.params.items()
    )
    return f"{generator.kind}({params})" if params else generator.kind


def _example(category: str, key: str, examples: Mapping[str, Any]) -> str:
    if category == "body":
        found = _at(examples.get("body"), key)
    elif category in ("path", "status"):
        found = examples.get(category, _MISSING)
    else:
        found = examples.get(category, {}).get(key, _MISSING)
    if found is _MISSING:
        return "—"
    if isinstance(found, tuple) and len(found) == 1:
        found = found[0]
    return found if isinstance(found, str) else json.dumps(found, ensure_ascii=False)


def rule_rows(
    rules: MatchingRules, generators: Generators, examples: Mapping[str, Any]
) -> list[RuleRow]:
    """One row per path with a rule or a generator, in the pact's order, example beside."""
    keys: dict[tuple[str, str], tuple[str, str]] = {}
    for category, by_key in rules.items():
        for key, rule_list in by_key.items():
            keys[(category, key)] = (_matcher_text(rule_list), "")
    for category, gens in generators.items():
        for key, generator in gens.items():
            matcher = keys.get((category, key), ("", ""))[0]
            keys[(category, key)] = (matcher, _generator_text(generator))
    return [
        RuleRow(category, key or "(whole)", _example(category, key, examples), m or "—", g or "—")
        for (category, key), (m, g) in keys.items()
    ]


@dataclass(frozen=True, slots=True)
class InteractionView:
    anchor: str
    kind: str
    description: str
    states: list[tuple[str, str | None]]
    pending: bool
    parts: list[Part]


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False)


def body_text(body: Body) -> str | None:
    """The body as a reader wants it: indented JSON, text as is, ``None`` when there is none."""
    if body.kind is BodyKind.ABSENT:
        return None
    if body.kind is BodyKind.NULL:
        return "null"
    if body.kind is BodyKind.EMPTY:
        return '""'
    if isinstance(body.value, str) and "json" not in (body.content_type or ""):
        return body.value
    return _pretty(body.value)


def _header_lines(headers: Mapping[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    return [(name, ", ".join(values)) for name, values in headers.items()]


def _query_string(query: Mapping[str, tuple[str | None, ...]]) -> str:
    pairs = [
        quote(name, safe="") + ("" if value is None else "=" + quote(value, safe=""))
        for name, values in query.items()
        for value in values
    ]
    return "?" + "&".join(pairs) if pairs else ""


def _message_part(heading: str, message: MessageContents) -> Part:
    lines = [(str(key), _pretty(value)) for key, value in message.metadata.items()]
    examples = {"body": message.contents.value, "metadata": dict(message.metadata)}
    rules = rule_rows(message.matching_rules, message.generators, examples)
    return Part(heading, "", lines, body_text(message.contents), rules)


def _parts(interaction: AnyInteraction) -> tuple[str, list[Part]]:
    if isinstance(interaction, SynchronousHttp):
        request, response = interaction.request, interaction.response
        return "HTTP", [
            Part(
                "Request",
                f"{request.method} {request.path}{_query_string(request.query)}",
                _header_lines(request.headers),
                body_text(request.body),
                rule_rows(
                    request.matching_rules,
                    request.generators,
                    {
                        "body": request.body.value,
                        "path": request.path,
                        "header": dict(request.headers),
                        "query": dict(request.query),
                    },
                ),
            ),
            Part(
                "Response",
                str(response.status),
                _header_lines(response.headers),
                body_text(response.body),
                rule_rows(
                    response.matching_rules,
                    response.generators,
                    {
                        "body": response.body.value,
                        "status": response.status,
                        "header": dict(response.headers),
                    },
                ),
            ),
        ]
    if isinstance(interaction, AsynchronousMessage):
        return "Message", [_message_part("Message", interaction.message)]
    if isinstance(interaction, SynchronousMessages):
        parts = [_message_part("Request message", interaction.request)]
        parts += [_message_part("Response message", m) for m in interaction.response]
        return "Synchronous message", parts
    return type(interaction).__name__, []  # pragma: no cover - the model has three kinds


def document_of(pact: Pact) -> list[InteractionView]:
    views = []
    for index, interaction in enumerate(pact.interactions, start=1):
        kind, parts = _parts(interaction)
        states = [
            (state.name, _pretty(dict(state.params)) if state.params else None)
            for state in interaction.provider_states
        ]
        views.append(
            InteractionView(
                f"interaction-{index}",
                kind,
                interaction.description,
                states,
                interaction.pending,
                parts,
            )
        )
    return views
