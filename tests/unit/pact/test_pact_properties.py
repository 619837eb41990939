"""Property tests: no input makes parsing raise anything but PactFormatError.

Three sources of input: arbitrary JSON; pact-shaped JSON with arbitrary values in every slot;
and real pacts with one part replaced or removed. Whatever parses must also survive a round
trip through V4 JSON.
"""

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import PactFormatError
from accord.pact import Pact, pact_to_json, parse_pact

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pacts"
REAL_PACTS = [
    json.loads(p.read_text("utf-8-sig"))
    for p in sorted(FIXTURES.rglob("*.json"))
    if p.name != "package.json"
]

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(
        ["", "$", "$.body", "4.0", "base64", "JSON", "application/json", "text/plain"]
    )
)
# member names of pacts, so that generated objects often look like the real thing
PACT_KEYS = [
    "body", "content", "contentType", "encoded", "matchingRules", "generators", "match",
    "matchers", "combine", "type", "name", "params", "query", "headers", "status", "path",
    "method", "$.body", "$.a", "contents", "metadata", "metaData", "request", "response",
]  # fmt: skip
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8) | st.sampled_from(PACT_KEYS), children, max_size=4)
    ),
    max_leaves=20,
)


def _parse_or_reject(document: object) -> Pact | None:
    try:
        return parse_pact(document, source="generated.json")
    except PactFormatError as error:
        assert error.source == "generated.json"
        assert str(error).startswith("generated.json")
        return None


def _round_trips(pact: Pact) -> None:
    again = parse_pact(json.loads(json.dumps(pact_to_json(pact))), source=pact.source)
    assert replace(again, spec=pact.spec, metadata=pact.metadata) == pact


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_arbitrary_json_parses_or_raises_pact_format_error(document: object) -> None:
    _parse_or_reject(document)


def _interaction(kind: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    part = st.fixed_dictionaries(
        {},
        optional={
            "method": kind,
            "path": kind,
            "query": kind,
            "headers": kind,
            "status": kind,
            "body": kind,
            "matchingRules": kind,
            "generators": kind,
            "contents": kind,
            "metadata": kind,
        },
    )
    return st.fixed_dictionaries(
        {"description": st.text(max_size=5) | kind},
        optional={
            "type": st.sampled_from(
                ["Synchronous/HTTP", "Asynchronous/Messages", "Synchronous/Messages"]
            )
            | kind,
            "request": part | kind,
            "response": part | st.lists(part, max_size=2) | kind,
            "providerStates": st.lists(
                st.fixed_dictionaries({"name": st.text(max_size=5)}, optional={"params": kind}),
                max_size=2,
            )
            | kind,
            "providerState": kind,
            "contents": kind,
            "metadata": kind,
            "key": kind,
            "pending": kind,
            "comments": kind,
            "_id": kind,
        },
    )


PACT_SHAPED = st.fixed_dictionaries(
    {
        "consumer": st.just({"name": "c"}),
        "provider": st.just({"name": "p"}),
        "metadata": st.fixed_dictionaries(
            {
                "pactSpecification": st.fixed_dictionaries(
                    {"version": st.sampled_from(["1.0.0", "1.1.0", "2.0.0", "3.0.0", "4.0"])}
                )
            }
        ),
    },
    optional={
        "interactions": st.lists(_interaction(JSON), max_size=3),
        "messages": st.lists(_interaction(JSON), max_size=2),
    },
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(PACT_SHAPED)
def test_pact_shaped_json_with_arbitrary_parts_parses_or_raises_pact_format_error(
    document: dict[str, Any],
) -> None:
    pact = _parse_or_reject(document)
    if pact is not None:
        _round_trips(pact)


def _locations(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_locations(child, (*path, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_locations(child, (*path, index)))
    return found


@st.composite
def mutated_real_pacts(draw: st.DrawFn) -> Any:
    document = copy.deepcopy(draw(st.sampled_from(REAL_PACTS)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        locations = _locations(document)
        where = draw(st.sampled_from(locations))
        if not where:
            return draw(JSON)
        parent = document
        for step in where[:-1]:
            parent = parent[step]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[where[-1]]
        else:
            parent[where[-1]] = draw(JSON)
    return document


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_real_pacts())
def test_mutated_real_pacts_parse_or_raise_pact_format_error(document: Any) -> None:
    pact = _parse_or_reject(document)
    if pact is not None:
        _round_trips(pact)
