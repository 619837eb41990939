"""Apply a part's generators before it is sent (spec §4).

The verifier (``mode="provider"``) generates request values, with ``ProviderState`` values taken
from the state-change results; the mock server side (``mode="consumer"``) generates responses and
messages, with ``MockServerURL`` from the mock server's address. Everything else runs in both.
A generator that cannot produce a value leaves the example in place; an ``on_skip`` callback
hears why, so a verifier can say that the example was sent instead (a missing provider-state
value otherwise surfaces only as a puzzling mismatch).
"""

import copy
import random
from collections.abc import Callable, Mapping
from typing import Any, Literal

from accord.matching.generated_values import GenerationError, generate
from accord.pact.model import Generator
from accord.pact.rules import STAR, STAR_INDEX, PathToken, parse_generators, parse_path_expression

Mode = Literal["provider", "consumer"]
_MODE_ONLY = {"ProviderState": "provider", "MockServerURL": "consumer"}
_V4_BODY_KEYS = frozenset({"content", "contentType", "encoded", "contentTypeHint"})
_SINGLE_VALUE_CATEGORIES = frozenset({"path", "method", "status"})


class _WrongModeError(GenerationError):
    """A generator meant for the other side: skipping it is expected, not worth reporting."""


def apply_generators(
    part: dict[str, Any],
    *,
    mode: Mode,
    context: Mapping[str, Any] | None = None,
    rng: random.Random | None = None,
    on_skip: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Return a copy of ``part`` (a pact-JSON request, response or message) with its
    ``generators`` applied. ``part`` itself is never changed.

    ``on_skip`` is called once per generator that could not produce a value, with a sentence
    saying where, which generator and why (see :func:`describe_skip`). Generators of the other
    mode (``ProviderState`` for a consumer, ``MockServerURL`` for a provider) are skipped
    silently: that is their design, not a problem.
    """
    result = copy.deepcopy(part)
    generators = parse_generators(part.get("generators"), path="generators")
    if not generators:
        return result
    values = context or {}
    chooser = rng or random.Random()

    def make(generator: Generator, example: Any, *, text: bool) -> Any:
        required = _MODE_ONLY.get(generator.kind)
        if required is not None and required != mode:
            raise _WrongModeError(f"{generator.kind} only runs in {required} mode")
        return generate(generator, example, context=values, text=text, rng=chooser)

    for category, entries in generators.items():
        for key, generator in entries.items():
            try:
                _apply_one(result, category, key, generator, make)
            except _WrongModeError:
                continue
            except GenerationError as exc:
                if on_skip is not None:
                    on_skip(describe_skip(category, key, generator, exc))
    return result


def describe_skip(category: str, key: str, generator: Generator, reason: Exception) -> str:
    """One sentence on a generator that produced nothing, e.g. ``body $.id: the ProviderState
    generator could not produce a value (no provider-state value named 'id'), so the example
    value was kept``."""
    where = category if category in _SINGLE_VALUE_CATEGORIES or not key else f"{category} {key}"
    return (
        f"{where}: the {generator.kind} generator could not produce a value ({reason}), "
        "so the example value was kept"
    )


def _apply_one(
    part: dict[str, Any], category: str, key: str, generator: Generator, make: Any
) -> None:
    if category in ("path", "method"):
        if category in part:
            part[category] = make(generator, part[category], text=True)
    elif category == "status":
        new = make(generator, part.get("status", 200), text=False)
        part["status"] = int(new) if isinstance(new, str) and new.isdigit() else new
    elif category == "header":
        _apply_header(part, key, generator, make)
    elif category == "query":
        _apply_query(part, key, generator, make)
    elif category == "metadata":
        name = "metaData" if "metaData" in part and "metadata" not in part else "metadata"
        metadata = part.setdefault(name, {})
        if isinstance(metadata, dict):
            metadata[key] = make(generator, metadata.get(key), text=False)
    elif category in ("body", "content"):
        _apply_body(part, key, generator, make)


def _apply_header(part: dict[str, Any], name: str, generator: Generator, make: Any) -> None:
    headers = part.setdefault("headers", {})
    if not isinstance(headers, dict):
        return
    existing = next((k for k in headers if str(k).lower() == name.lower()), None)
    old = headers.get(existing) if existing is not None else None
    example = old[0] if isinstance(old, list) and old else old
    value = make(generator, example, text=True)
    headers[existing or name] = [value] if isinstance(old, list) else value


def _apply_query(part: dict[str, Any], name: str, generator: Generator, make: Any) -> None:
    query = part.get("query")
    if isinstance(query, str) or (query is None and "query" in part):
        return  # V2 query strings carry no generators
    if query is None:
        query = part["query"] = {}
    if not isinstance(query, dict):
        return
    old = query.get(name)
    if isinstance(old, list) and old:
        query[name] = [make(generator, v, text=True) for v in old]
    else:
        value = make(generator, old, text=True)
        query[name] = [value] if isinstance(old, list) or old is None else value


def _apply_body(part: dict[str, Any], path: str, generator: Generator, make: Any) -> None:
    holder_key = "contents" if "contents" in part else "body"
    if holder_key not in part:
        return
    holder: dict[str, Any] = part
    slot = holder_key
    body = part[holder_key]
    if isinstance(body, dict) and body and body.keys() <= _V4_BODY_KEYS and "content" in body:
        holder, slot = body, "content"
    try:
        tokens = parse_path_expression(path)
    except ValueError:
        return
    _replace(holder, slot, tokens[1:], generator, make)


def _replace(
    container: Any, slot: Any, tokens: tuple[PathToken, ...], generator: Generator, make: Any
) -> None:
    value = container[slot]
    if not tokens:
        container[slot] = make(generator, value, text=False)
        return
    token, rest = tokens[0], tokens[1:]
    if isinstance(value, dict):
        if token == STAR:
            keys: list[Any] = list(value)
        elif isinstance(token, str) and token != STAR_INDEX and token in value:
            keys = [token]
        else:
            keys = []
    elif isinstance(value, list):
        if token in (STAR, STAR_INDEX):
            keys = list(range(len(value)))
        elif isinstance(token, int) and token < len(value):
            keys = [token]
        elif isinstance(token, str) and token.isdigit() and int(token) < len(value):
            keys = [int(token)]
        else:
            keys = []
    else:
        keys = []
    # one element that cannot be generated does not stop the others; the first reason is
    # passed on so the caller can report the generator once
    failure: GenerationError | None = None
    for key in keys:
        try:
            _replace(value, key, rest, generator, make)
        except GenerationError as exc:
            failure = failure or exc
    if failure is not None:
        raise failure
