"""A pact as documentation: each interaction as a titled section a reader can follow.

Pure functions from the parsed model (:mod:`accord.pact`, so every specification version reads
the same) to small view records; the templates only lay them out.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from accord.pact import (
    AnyInteraction,
    AsynchronousMessage,
    Body,
    BodyKind,
    MessageContents,
    Pact,
    SynchronousHttp,
    SynchronousMessages,
)


@dataclass(frozen=True, slots=True)
class Part:
    """One side of an exchange: a title line, headers or metadata, and a body."""

    heading: str
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    body: str | None = None


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
    return Part(heading, "", lines, body_text(message.contents))


def _parts(interaction: AnyInteraction) -> tuple[str, list[Part]]:
    if isinstance(interaction, SynchronousHttp):
        request, response = interaction.request, interaction.response
        return "HTTP", [
            Part(
                "Request",
                f"{request.method} {request.path}{_query_string(request.query)}",
                _header_lines(request.headers),
                body_text(request.body),
            ),
            Part(
                "Response",
                str(response.status),
                _header_lines(response.headers),
                body_text(response.body),
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
