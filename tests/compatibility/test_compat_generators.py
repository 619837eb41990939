"""Compatibility suite: generators (V3/generators, V4/generators, V3/http_generators).

Each scenario describes one request or response with generators. The step code writes it as a
pact file of the feature's specification version, reads it back with ``accord.pact`` and then
prepares it the way accord really does:

* a request in provider mode (the default) goes through the verifier's ``build_request`` — the
  bytes, path, query and headers that would be sent to the provider, with the provider-state
  values the state-change call returned as the generator context;
* a request in consumer mode and a response go through ``generate_request`` /
  ``generate_response`` on the model in the mode the scenario sets (consumer by default for
  responses: a mock server generates them), with a ``mockServer`` context as a mock server
  would give it; bodies are read back from the bytes that would be sent.

The checks say what a value must look like (an integer, a date, a URN UUID...) and that it is no
longer the example it replaced.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal
from urllib.parse import parse_qs

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from accord.matching.generators import generate_request, generate_response
from accord.pact import HttpRequest, HttpResponse, parse_pact
from accord.pact.bodies import body_to_plain_json, is_json_type
from accord.pact.rules import parse_path_expression
from accord.verifier.replay import build_request
from tests.compatibility.suite import (
    FixtureBody,
    body_from_cell,
    feature,
    rules_fragment,
    table_rows,
)

scenarios(
    feature("V3/generators.feature"),
    feature("V4/generators.feature"),
    feature("V3/http_generators.feature"),
)

Mode = Literal["provider", "consumer"]
Side = Literal["request", "response"]


# --- the world of one scenario ---------------------------------------------------------------


@dataclass(slots=True)
class Configured:
    """The part a scenario configured: its pact JSON, its example body and the generator mode."""

    side: Side
    spec: str
    part: dict[str, Any]
    example_body: Any = None
    mode: Mode | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """A request or response after its generators ran, in plain Python values."""

    body: Any = None
    path: str = "/"
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, list[str]] = field(default_factory=dict)


@pytest.fixture
def spec_version(request: pytest.FixtureRequest) -> str:
    """``"V3"`` or ``"V4"``: the era folder of the running scenario's feature file.

    pytest-bdd documents each scenario test as ``"<feature file>: <scenario name>"``.
    """
    doc = getattr(request.node, "function", None).__doc__ or ""  # type: ignore[union-attr]
    found = re.search(r"/(V\d)/[^/]+\.feature: ", doc)
    if found is None:
        raise RuntimeError(f"cannot tell the specification era of scenario {doc!r}")
    return found.group(1)


# --- pact JSON of the configured part --------------------------------------------------------


def _body_json(body: FixtureBody, spec: str) -> Any:
    """The body as a pact file of ``spec`` writes it (V4 wraps it with its content type)."""
    content: Any = body.json() if body.is_json else body.text
    if spec == "V4":
        return {"content": content, "contentType": body.content_type, "encoded": False}
    return content


def _part_json(
    body: FixtureBody | None, generators: Mapping[str, Any], spec: str
) -> dict[str, Any]:
    part: dict[str, Any] = {}
    if body is not None:
        part["headers"] = {
            "Content-Type": [body.content_type] if spec == "V4" else body.content_type
        }
        part["body"] = _body_json(body, spec)
    if generators:
        part["generators"] = dict(generators)
    return part


def _pact_json(side: Side, part: dict[str, Any], spec: str) -> dict[str, Any]:
    request: dict[str, Any] = {"method": "GET", "path": "/"}
    response: dict[str, Any] = {"status": 200}
    (request if side == "request" else response).update(part)
    interaction: dict[str, Any] = {
        "description": "an interaction with generators",
        "request": request,
        "response": response,
    }
    if spec == "V4":
        interaction["type"] = "Synchronous/HTTP"
    version = "4.0" if spec == "V4" else "3.0.0"
    return {
        "consumer": {"name": "generators-consumer"},
        "provider": {"name": "generators-provider"},
        "interactions": [interaction],
        "metadata": {"pactSpecification": {"version": version}},
    }


def _configure(side: Side, datatable: Sequence[Sequence[str]], spec: str) -> Configured:
    rows = table_rows(datatable)
    assert len(rows) == 1, f"a generators table has one row, this one has {len(rows)}"
    row = rows[0]
    body = body_from_cell(row.get("body", ""))
    part = _part_json(body, rules_fragment(row.get("generators", "")), spec)
    return Configured(side, spec, part, example_body=body.json() if body and body.is_json else None)


@given(
    "a request configured with the following generators:",
    target_fixture="configured",
)
def a_request_with_generators(datatable: list[list[str]], spec_version: str) -> Configured:
    return _configure("request", datatable, spec_version)


@given(
    "a response configured with the following generators:",
    target_fixture="configured",
)
def a_response_with_generators(datatable: list[list[str]], spec_version: str) -> Configured:
    return _configure("response", datatable, spec_version)


@given(parsers.parse('the generator test mode is set as "{mode}"'))
def generator_mode(configured: Configured, mode: str) -> None:
    assert mode in ("Provider", "Consumer"), f"unknown generator test mode {mode!r}"
    configured.mode = "provider" if mode == "Provider" else "consumer"


# --- preparing the part as accord does ------------------------------------------------------


def _parsed(configured: Configured) -> HttpRequest | HttpResponse:
    """The configured part, written as a pact file and read back by accord's parser."""
    pact = parse_pact(_pact_json(configured.side, configured.part, configured.spec))
    interaction = pact.interactions[0]
    part = getattr(interaction, configured.side)
    assert isinstance(part, HttpRequest | HttpResponse)
    return part


def _as_verifier_sends(request: HttpRequest, state_values: Mapping[str, Any]) -> Prepared:
    """The request the verifier would send, after a state change returned ``state_values``."""
    sent = build_request(request, context=state_values, custom_headers={})
    body = json.loads(sent.body) if sent.body else None
    return Prepared(
        body=body,
        path=sent.path,
        headers=sent.headers,
        query=parse_qs(sent.query, keep_blank_values=True),
    )


def _as_model_sends(part: HttpRequest | HttpResponse) -> Prepared:
    """A part generated on the model, as a mock server would send it (bodies from the bytes
    to send, multi-valued headers joined for reading)."""
    body = (
        json.loads(part.body.raw)
        if part.body.raw and is_json_type(part.body.content_type)
        else None
    )
    return Prepared(
        body=body if body is not None else body_to_plain_json(part.body),
        path=part.path if isinstance(part, HttpRequest) else "/",
        status=part.status if isinstance(part, HttpResponse) else 200,
        headers={name: ", ".join(values) for name, values in part.headers.items()},
        query=(
            {name: [str(v) for v in values] for name, values in part.query.items()}
            if isinstance(part, HttpRequest)
            else {}
        ),
    )


def _prepare(configured: Configured, context: Mapping[str, Any]) -> Prepared:
    part = _parsed(configured)
    default: Mode = "provider" if configured.side == "request" else "consumer"
    mode = configured.mode or default
    if isinstance(part, HttpRequest) and mode == "provider":
        state = context.get("providerState", {})
        return _as_verifier_sends(part, state if isinstance(state, Mapping) else {})
    if isinstance(part, HttpRequest):
        return _as_model_sends(generate_request(part, mode=mode, context=context))
    return _as_model_sends(generate_response(part, mode=mode, context=context))


def _context(name: str, datatable: list[list[str]]) -> dict[str, Any]:
    """A one-cell table of JSON, under the context key the scenario names."""
    assert name in ("providerState", "mockServer"), f"unknown generator context {name!r}"
    value = json.loads(datatable[0][0])
    assert isinstance(value, dict), f"a {name} context is a JSON object, not {value!r}"
    return {name: value}


@when("the request is prepared for use", target_fixture="prepared")
def the_request_is_prepared(configured: Configured) -> Prepared:
    return _prepare(configured, {})


@when(
    parsers.parse('the request is prepared for use with a "{name}" context:'),
    target_fixture="prepared",
)
def the_request_is_prepared_with_context(
    configured: Configured, name: str, datatable: list[list[str]]
) -> Prepared:
    return _prepare(configured, _context(name, datatable))


@when("the response is prepared for use", target_fixture="prepared")
def the_response_is_prepared(configured: Configured) -> Prepared:
    return _prepare(configured, {})


# --- what the generated values look like ----------------------------------------------------


def _body_value(body: Any, path: str) -> Any:
    value = body
    for token in parse_path_expression(path)[1:]:
        in_object = isinstance(value, dict) and isinstance(token, str) and token in value
        in_array = isinstance(value, list) and isinstance(token, int) and token < len(value)
        if not (in_object or in_array):
            raise AssertionError(f"the prepared body has no value at {path}: {body!r}")
        value = value[token]
    return value


def _as_text(value: Any) -> str:
    """A JSON value as the suite compares it: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def _is_integer(value: Any) -> bool:
    return not isinstance(value, bool) and re.fullmatch(r"-?\d+", _as_text(value)) is not None


def _is_decimal(value: Any) -> bool:
    return not isinstance(value, bool) and re.fullmatch(r"-?\d+\.\d+", _as_text(value)) is not None


def _is_iso(reader: Any, value: Any) -> bool:
    try:
        reader(value)
    except (TypeError, ValueError):
        return False
    return True


def _uuid_text(value: Any) -> str | None:
    """The canonical lower-case hyphenated form of a UUID string, or ``None``."""
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


_KINDS: Mapping[str, Any] = {
    "integer": _is_integer,
    "decimal number": _is_decimal,
    "hexadecimal number": lambda v: (
        isinstance(v, str) and re.fullmatch(r"[0-9a-fA-F]+", v) is not None
    ),
    "random string": lambda v: isinstance(v, str) and v != "",
    "string from the regex": lambda v: (
        isinstance(v, str) and re.fullmatch(r"\d{1,8}", v) is not None
    ),
    "date": lambda v: isinstance(v, str) and _is_iso(date.fromisoformat, v) and len(v) == 10,
    "time": lambda v: isinstance(v, str) and _is_iso(time.fromisoformat, v),
    "date-time": lambda v: isinstance(v, str) and "T" in v and _is_iso(datetime.fromisoformat, v),
    "UUID": lambda v: _uuid_text(v) is not None,
    "simple UUID": lambda v: _uuid_text(v) is not None and v == uuid.UUID(v).hex,
    "lower-case-hyphenated UUID": lambda v: _uuid_text(v) == v,
    "upper-case-hyphenated UUID": lambda v: (
        _uuid_text(v) is not None and v == str(uuid.UUID(v)).upper()
    ),
    "URN UUID": lambda v: (
        isinstance(v, str)
        and v.startswith("urn:uuid:")
        and _uuid_text(v.removeprefix("urn:uuid:")) == v.removeprefix("urn:uuid:")
    ),
    "boolean": lambda v: isinstance(v, bool),
}


@then(
    parsers.re(
        r'the body value for "(?P<path>[^"]+)" will have been replaced with an? "(?P<kind>[^"]+)"'
    )
)
def body_value_is_a(prepared: Prepared, configured: Configured, path: str, kind: str) -> None:
    assert kind in _KINDS, f"the suite names a kind of value this step does not know: {kind!r}"
    value = _body_value(prepared.body, path)
    assert value != _body_value(configured.example_body, path), (
        f"{path} still holds the example value {value!r}"
    )
    assert _KINDS[kind](value), f"{path} should be a {kind}, but is {value!r}"


@then(
    parsers.re(
        r'the body value for "(?P<path>[^"]+)" will have been replaced with "(?P<text>[^"]*)"'
    )
)
def body_value_is(prepared: Prepared, path: str, text: str) -> None:
    value = _body_value(prepared.body, path)
    assert _as_text(value) == text, f"{path} should be {text!r}, but is {value!r}"


def _part_value(prepared: Prepared, name: str) -> str:
    """``path``, ``status``, ``header[X]`` or ``queryParameter[x]`` of the prepared part."""
    if name == "path":
        return prepared.path
    if name == "status":
        return str(prepared.status)
    found = re.fullmatch(r"(header|queryParameter)\[(.+)\]", name)
    assert found is not None, f"the suite names a part this step does not know: {name!r}"
    kind, key = found.groups()
    if kind == "header":
        values = [v for k, v in prepared.headers.items() if k.lower() == key.lower()]
        assert values, f"the prepared part has no header {key!r}: {dict(prepared.headers)}"
        return values[0]
    query_values = prepared.query.get(key)
    assert query_values, f"the prepared request has no query parameter {key!r}"
    return query_values[0]


@then(parsers.parse('the request "{name}" will be set as "{text}"'))
def request_part_is(prepared: Prepared, name: str, text: str) -> None:
    assert _part_value(prepared, name) == text


@then(parsers.parse('the {side} "{name}" will match "{pattern}"'))
def part_matches(prepared: Prepared, side: str, name: str, pattern: str) -> None:
    value = _part_value(prepared, name)
    assert re.fullmatch(pattern, value), f"the {side} {name} {value!r} does not match {pattern}"


@then(parsers.parse('the response "{name}" will not be "{text}"'))
def response_part_is_not(prepared: Prepared, name: str, text: str) -> None:
    assert _part_value(prepared, name) != text
