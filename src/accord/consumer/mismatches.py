"""Turn the mock server's mismatches into a failure message a person can act on.

pact-python reports "Request not found: GET /accounts/42/balanse" and stops there. The
question a developer has next is "what did the pact expect instead?", so for every unexpected
request this module names the closest interaction of the pact (by method, path and query), and
for every interaction that was never exercised it names the interaction by its description and
provider states, not only by its method and path.

Pure functions over plain data: the mismatches from ``pact.error`` and the pact's interactions as
JSON (as pact-python writes them).
"""

import difflib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pact.error import (
    BodyMismatch,
    BodyTypeMismatch,
    HeaderMismatch,
    MetadataMismatch,
    MethodMismatch,
    Mismatch,
    MissingRequest,
    PathMismatch,
    QueryMismatch,
    RequestMismatch,
    RequestNotFound,
    StatusMismatch,
)

JsonObject = Mapping[str, Any]

#: Request headers that every HTTP client adds and no pact cares about: hidden in messages.
_NOISY_HEADERS = frozenset(
    {"accept-encoding", "connection", "host", "user-agent", "content-length"}
)


#: What kind of problem the mock server reported. The request-level kinds are the matching
#: engine's (``accord.matching.Mismatch.kind``); the two others say a whole request is missing
#: (expected, never received) or unexpected (received, matching no interaction).
ProblemKind = Literal[
    "missing-request",
    "unexpected-request",
    "method",
    "path",
    "query",
    "header",
    "status",
    "body",
    "body-type",
    "metadata",
    "other",
]


@dataclass(frozen=True, slots=True)
class MockServerProblem:
    """One thing the mock server saw that differs from the pact, flat and typed.

    pact-python nests the differences of one request inside a ``RequestMismatch`` and gives each
    kind of difference its own class with its own attribute names; a test or a report that asks
    "was there a query mismatch on parameter b?" wants one shape instead. ``method`` and
    ``request_path`` name the request; ``location`` is the body JSON path, header name or query
    parameter the difference is at ("" when the kind has none); ``message`` is the mock
    server's own sentence.
    """

    kind: ProblemKind
    method: str
    request_path: str
    location: str
    expected: str
    actual: str
    message: str


def mock_server_problems(mismatches: Sequence[Mismatch]) -> list[MockServerProblem]:
    """Flatten the mock server's mismatches into one :class:`MockServerProblem` per difference."""
    problems: list[MockServerProblem] = []
    for mismatch in mismatches:
        if isinstance(mismatch, MissingRequest | RequestNotFound):
            kind: ProblemKind = (
                "missing-request" if isinstance(mismatch, MissingRequest) else "unexpected-request"
            )
            problems.append(
                MockServerProblem(kind, mismatch.method, mismatch.path, "", "", "", str(mismatch))
            )
        elif isinstance(mismatch, RequestMismatch):
            problems.extend(
                _request_problem(mismatch.method, mismatch.path, inner)
                for inner in mismatch.mismatches
            )
        else:
            problems.append(_request_problem("", "", mismatch))
    return problems


#: Each request-level pact-python mismatch class, the kind it is, and the attribute holding
#: where in the request it is (``None``: the kind has no place of its own).
_REQUEST_KINDS: tuple[tuple[type[Mismatch], ProblemKind, str | None], ...] = (
    (BodyMismatch, "body", "path"),
    (HeaderMismatch, "header", "key"),
    (QueryMismatch, "query", "parameter"),
    (MetadataMismatch, "metadata", "key"),
    (BodyTypeMismatch, "body-type", None),
    (MethodMismatch, "method", None),
    (PathMismatch, "path", None),
    (StatusMismatch, "status", None),
)


def _request_problem(method: str, path: str, mismatch: Mismatch) -> MockServerProblem:
    """One difference inside a request, read through the attributes its class names."""
    for cls, kind, location_attribute in _REQUEST_KINDS:
        if isinstance(mismatch, cls):
            location = getattr(mismatch, location_attribute) if location_attribute else ""
            return MockServerProblem(
                kind,
                method,
                path,
                str(location),
                str(getattr(mismatch, "expected", "")),
                str(getattr(mismatch, "actual", "")),
                str(getattr(mismatch, "mismatch", mismatch)),
            )
    return MockServerProblem("other", method, path, "", "", "", str(mismatch))


def describe_mismatches(
    pair: str, mismatches: Sequence[Mismatch], interactions: Sequence[JsonObject]
) -> str:
    """The whole failure message for one mock server (``pair`` is "consumer → provider")."""
    http = [i for i in interactions if "request" in i and "method" in i.get("request", {})]
    lines = [f"the mock server for {pair} did not see what the pact expects:"]
    for number, mismatch in enumerate(mismatches, start=1):
        entry = _describe_one(mismatch, http)
        lines.append(f"  ({number}) {entry[0]}")
        lines.extend(f"      {line}" for line in entry[1:])
    return "\n".join(lines)


def describe_unexercised(pair: str, kind: str, descriptions: Iterable[str], how: str) -> str:
    """Message for interactions the test declared but never exercised."""
    lines = [f"the test declared {kind} interactions for {pair} but never exercised them:"]
    lines.extend(f"  - {description!r}" for description in descriptions)
    lines.append(how)
    return "\n".join(lines)


def _describe_one(mismatch: Mismatch, interactions: Sequence[JsonObject]) -> list[str]:
    if isinstance(mismatch, RequestNotFound):
        lines = [f"unexpected request {mismatch.method} {mismatch.path}"]
        lines.extend(_request_details(mismatch.request))
        closest = closest_interaction(mismatch.method, mismatch.path, interactions)
        if closest is None:
            lines.append("the pact has no HTTP interaction at all")
        else:
            lines.append("closest expected interaction:")
            lines.extend(f"  {line}" for line in _interaction_summary(closest))
        return lines
    if isinstance(mismatch, MissingRequest):
        match = _find_interaction(mismatch.method, mismatch.path, interactions)
        name = f"{match['description']!r}" if match else f"{mismatch.method} {mismatch.path}"
        lines = [f"interaction {name} was never exercised"]
        if match is not None:
            lines.extend(_interaction_summary(match)[1:])
        else:
            lines.append(f"expected {mismatch.method} {mismatch.path}")
        return lines
    if isinstance(mismatch, RequestMismatch):
        match = _find_interaction(mismatch.method, mismatch.path, interactions)
        name = f" (interaction {match['description']!r})" if match else ""
        lines = [f"request {mismatch.method} {mismatch.path} differs from the pact{name}:"]
        lines.extend(f"  - {_describe_detail(inner)}" for inner in mismatch.mismatches)
        return lines
    return [str(mismatch)]


def _describe_detail(mismatch: Mismatch) -> str:
    """One difference inside a request, with the place it is at (pact-python drops the path)."""
    if isinstance(mismatch, BodyMismatch):
        return f"body {mismatch.path}: {mismatch.mismatch}"
    if isinstance(mismatch, HeaderMismatch):
        return f"header {mismatch.key}: {mismatch.mismatch}"
    if isinstance(mismatch, QueryMismatch):
        return f"query parameter {mismatch.parameter}: {mismatch.mismatch}"
    return str(mismatch)


def closest_interaction(
    method: str, path: str, interactions: Sequence[JsonObject]
) -> JsonObject | None:
    """The interaction whose request looks most like ``method path`` (``None`` if none)."""
    best: tuple[float, int] | None = None
    for index, interaction in enumerate(interactions):
        request = interaction.get("request", {})
        score = difflib.SequenceMatcher(None, path, str(request.get("path", ""))).ratio()
        if str(request.get("method", "")).upper() == method.upper():
            score += 1.0
        if best is None or score > best[0]:
            best = (score, index)
    return None if best is None else interactions[best[1]]


def _find_interaction(
    method: str, path: str, interactions: Sequence[JsonObject]
) -> JsonObject | None:
    for interaction in interactions:
        request = interaction.get("request", {})
        if request.get("path") == path and str(request.get("method", "")).upper() == method:
            return interaction
    return None


def _interaction_summary(interaction: JsonObject) -> list[str]:
    request = interaction.get("request", {})
    lines = [f"{interaction.get('description')!r}"]
    for state in interaction.get("providerStates", []):
        params = state.get("params")
        suffix = f" {json.dumps(params, sort_keys=True)}" if params else ""
        lines.append(f"given {state.get('name')!r}{suffix}")
    query = request.get("query")
    target = f"{request.get('method')} {request.get('path')}"
    if query:
        target += f" query={json.dumps(query, sort_keys=True)}"
    lines.append(f"expects {target}")
    for name, value in sorted((request.get("headers") or {}).items()):
        lines.append(f"  header {name}: {_flatten(value)}")
    body = request.get("body")
    if body is not None:
        content = body.get("content") if isinstance(body, Mapping) else body
        lines.append(f"  body {json.dumps(content, sort_keys=True)}")
    return lines


def _request_details(request: JsonObject) -> list[str]:
    lines = []
    query = request.get("query")
    if query:
        lines.append(f"query {json.dumps(query, sort_keys=True)}")
    for name, value in sorted((request.get("headers") or {}).items()):
        if name.lower() not in _NOISY_HEADERS:
            lines.append(f"header {name}: {_flatten(value)}")
    body = request.get("body")
    if body:
        lines.append(f"body {body if isinstance(body, str) else json.dumps(body)}")
    return lines


def _flatten(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
