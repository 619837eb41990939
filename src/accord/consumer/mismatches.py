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
from typing import Any

from pact.error import (
    BodyMismatch,
    HeaderMismatch,
    Mismatch,
    MissingRequest,
    QueryMismatch,
    RequestMismatch,
    RequestNotFound,
)

JsonObject = Mapping[str, Any]

#: Request headers that every HTTP client adds and no pact cares about: hidden in messages.
_NOISY_HEADERS = frozenset(
    {"accept-encoding", "connection", "host", "user-agent", "content-length"}
)


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
