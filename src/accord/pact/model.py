"""The internal model of a pact: one shape for every specification version.

Parsing (``accord.pact.parse``) turns V1, V1.1, V2, V3 and V4 JSON into these frozen dataclasses;
writing (``accord.pact.write``) turns them back into V4 JSON. Everything downstream (the matching
engine's callers, the verifier, the consumer plugin) sees only this model, so a V2 pact and a V4
pact of the same contract look the same here.

Matching rules and generators are normalised to *categories* (``body``, ``header``, ``query``,
``path``, ``status``, ``metadata``, ``content``) keyed by a path expression (body, content,
metadata) or a name (header, query). V2's ``$.body.a`` becomes category ``body`` key ``$.a``;
V2's ``$.headers.X`` becomes category ``header`` key ``X``.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

SpecVersion = Literal["V1", "V1.1", "V2", "V3", "V4"]
Combine = Literal["AND", "OR"]


@dataclass(frozen=True, slots=True)
class Matcher:
    """One matcher of the specification, e.g. ``Matcher("regex", {"regex": "\\d+"})``.

    ``kind`` is the V3/V4 ``match`` value (``type``, ``regex``, ``integer``, ``min``/``max`` are
    folded into ``type`` with ``min``/``max`` params, ...). ``params`` holds every other key of the
    matcher's JSON object as it appeared (``regex``, ``min``, ``max``, ``format``, ``value``,
    ``variants``, ``rules``, ...).
    """

    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleList:
    """The matchers that apply at one path, and how their verdicts combine."""

    matchers: tuple[Matcher, ...]
    combine: Combine = "AND"


# category -> path expression or name -> rules
MatchingRules = Mapping[str, Mapping[str, RuleList]]


@dataclass(frozen=True, slots=True)
class Generator:
    """One generator, e.g. ``Generator("ProviderState", {"expression": "${id}"})``."""

    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)


# category -> path expression or name -> generator
Generators = Mapping[str, Mapping[str, Generator]]


class BodyKind(Enum):
    """Whether a body was given, and how: the specification tells these four apart."""

    ABSENT = "absent"  # no ``body`` key: anything is accepted
    NULL = "null"  # ``"body": null``
    EMPTY = "empty"  # ``"body": ""``
    PRESENT = "present"


@dataclass(frozen=True, slots=True)
class Body:
    """A body as the pact describes it.

    ``value`` is the body as pact JSON carries it: the parsed JSON value for JSON content, a
    string for text (and form/XML) content, and for binary content the Base64 text that V4 writes
    with ``encoded: "base64"``. ``raw`` is the exact bytes to put on the wire.
    """

    kind: BodyKind = BodyKind.ABSENT
    value: Any = None
    raw: bytes = b""
    content_type: str | None = None


ABSENT_BODY = Body()


@dataclass(frozen=True, slots=True)
class ProviderState:
    """A provider state with its parameters (V1/V2 ``providerState`` has none)."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """The request of an HTTP interaction, as the consumer sends it."""

    method: str = "GET"
    path: str = "/"
    # name -> values in order; a value is None for a bare ``?flag``
    query: Mapping[str, tuple[str | None, ...]] = field(default_factory=dict)
    # name (as written in the pact) -> values, split on commas where the spec says so
    headers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    body: Body = ABSENT_BODY
    matching_rules: MatchingRules = field(default_factory=dict)
    generators: Generators = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """The response of an HTTP interaction, as the provider must answer it."""

    status: int = 200
    headers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    body: Body = ABSENT_BODY
    matching_rules: MatchingRules = field(default_factory=dict)
    generators: Generators = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MessageContents:
    """The contents of a message and its metadata (V3 message, V4 async or sync message part)."""

    contents: Body = ABSENT_BODY
    metadata: Mapping[str, Any] = field(default_factory=dict)
    matching_rules: MatchingRules = field(default_factory=dict)
    generators: Generators = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Interaction:
    """What every kind of interaction has."""

    description: str
    provider_states: tuple[ProviderState, ...] = ()
    key: str | None = None
    pending: bool = False
    comments: Mapping[str, Any] = field(default_factory=dict)
    # the ``_id`` a broker injects into the pacts it serves (used in verification results)
    broker_id: str | None = None
    # V4 members accord does not interpret (``pluginConfiguration``, ``interactionMarkup``,
    # ``transport``), kept as written so that writing the pact back loses nothing.
    # Keyword-only so the positional order of every subclass stays as it was.
    extensions: Mapping[str, Any] = field(default_factory=dict, kw_only=True)


@dataclass(frozen=True, slots=True)
class SynchronousHttp(Interaction):
    """V1-V3 ``interactions[]`` and V4 ``Synchronous/HTTP``."""

    request: HttpRequest = field(default_factory=HttpRequest)
    response: HttpResponse = field(default_factory=HttpResponse)


@dataclass(frozen=True, slots=True)
class AsynchronousMessage(Interaction):
    """V3 ``messages[]`` and V4 ``Asynchronous/Messages``."""

    message: MessageContents = field(default_factory=MessageContents)


@dataclass(frozen=True, slots=True)
class SynchronousMessages(Interaction):
    """V4 ``Synchronous/Messages``: one request message, one or more response messages."""

    request: MessageContents = field(default_factory=MessageContents)
    response: tuple[MessageContents, ...] = ()


AnyInteraction = SynchronousHttp | AsynchronousMessage | SynchronousMessages


@dataclass(frozen=True, slots=True)
class Pact:
    """One consumer's contract with one provider: its interactions, in the pact's order."""

    consumer: str
    provider: str
    spec: SpecVersion
    interactions: tuple[AnyInteraction, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    # where it was read from, for error messages and reports
    source: str = "<memory>"
