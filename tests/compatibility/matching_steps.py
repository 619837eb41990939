"""Step code shared by the matching features (V3 and V4 matching rules, V3 HTTP matching).

These features drive :mod:`accord.matching` directly: the expected request or response is
written as a pact of the feature's specification version, parsed by :mod:`accord.pact` (so the
parser reads the matcher fixtures exactly as a pact file would carry them) and handed to
``match_request``/``match_response`` with a request or response written as it was received.

pytest-bdd finds steps through fixtures in the test module's namespace, so the steps are
defined by :func:`define_matching_steps`, which each test module calls once at import time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pytest_bdd import given, parsers, then, when

from accord.matching import Mismatch, match_request, match_response
from accord.matching.mismatch import show
from accord.pact import HttpRequest, HttpResponse, SpecVersion, SynchronousHttp, parse_pact
from tests.compatibility.suite import (
    FixtureBody,
    body_from_cell,
    headers_from_cell,
    query_from_cell,
    rules_fragment,
    table_rows,
)

_PACT_VERSIONS: dict[SpecVersion, str] = {
    "V1": "1.0.0",
    "V2": "2.0.0",
    "V3": "3.0.0",
    "V4": "4.0",
}


@dataclass
class ExpectedPart:
    """What a table says an expected request or response holds, before it becomes a pact."""

    query: list[tuple[str, str]] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: FixtureBody | None = None
    rules: dict[str, Any] = field(default_factory=dict)
    status: int = 200


@dataclass
class MatchingWorld:
    """One scenario's state: the expected parts, what was received and what matching said."""

    spec: SpecVersion
    expected_request: ExpectedPart = field(default_factory=ExpectedPart)
    expected_response: ExpectedPart | None = None
    received_requests: list[dict[str, Any]] = field(default_factory=list)
    received_responses: list[dict[str, Any]] = field(default_factory=list)
    results: list[list[Mismatch]] = field(default_factory=list)
    compared: bool = False


# --- building the expected side as a pact -----------------------------------------------------


def _has_header(headers: Sequence[tuple[str, str]], name: str) -> bool:
    return any(key.lower() == name.lower() for key, _ in headers)


def _with_content_type(
    headers: Sequence[tuple[str, str]], body: FixtureBody | None
) -> list[tuple[str, str]]:
    """The headers, plus the body's content type when none is given (as a client sends it)."""
    result = list(headers)
    if body is not None and not _has_header(result, "content-type"):
        result.append(("Content-Type", body.content_type))
    return result


def _query_json(query: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in query:
        grouped.setdefault(name, []).append(value)
    return grouped


def _headers_json(headers: Sequence[tuple[str, str]], spec: SpecVersion) -> dict[str, Any]:
    """V4 writes each header as a list of values, earlier versions as one string."""
    grouped: dict[str, list[str]] = {}
    for name, value in headers:
        grouped.setdefault(name, []).append(value)
    if spec == "V4":
        return grouped
    return {name: ", ".join(values) for name, values in grouped.items()}


def _body_json(body: FixtureBody, spec: SpecVersion) -> Any:
    """A body as a pact of ``spec`` carries it: V4 body objects, plain values before."""
    if spec == "V4":
        if body.is_json:
            return {"content": body.json(), "contentType": body.content_type, "encoded": False}
        if body.is_text:
            return {"content": body.text, "contentType": body.content_type, "encoded": False}
        return {"content": body.base64(), "contentType": body.content_type, "encoded": "base64"}
    if body.is_json:
        return body.json()
    if body.is_text:
        return body.text
    return body.base64()


def _part_json(part: ExpectedPart, spec: SpecVersion) -> dict[str, Any]:
    written: dict[str, Any] = {}
    if part.query:
        written["query"] = _query_json(part.query)
    headers = _with_content_type(part.headers, part.body)
    if headers:
        written["headers"] = _headers_json(headers, spec)
    if part.body is not None:
        written["body"] = _body_json(part.body, spec)
    if part.rules:
        written["matchingRules"] = part.rules
    return written


def expected_pact(world: MatchingWorld) -> dict[str, Any]:
    """A one-interaction pact of the scenario's version holding the expected parts."""
    request = {"method": "GET", "path": "/", **_part_json(world.expected_request, world.spec)}
    response_part = world.expected_response or ExpectedPart()
    response = {"status": response_part.status, **_part_json(response_part, world.spec)}
    interaction: dict[str, Any] = {
        "description": "the expected interaction",
        "request": request,
        "response": response,
    }
    if world.spec == "V4":
        interaction["type"] = "Synchronous/HTTP"
    return {
        "consumer": {"name": "compatibility-consumer"},
        "provider": {"name": "compatibility-provider"},
        "interactions": [interaction],
        "metadata": {"pactSpecification": {"version": _PACT_VERSIONS[world.spec]}},
    }


def _parsed_expected(world: MatchingWorld) -> tuple[HttpRequest, HttpResponse]:
    """The expected request and response, read back through accord's pact parser (the model
    goes to the engine as it is, as the verifier and the stub pass it)."""
    pact = parse_pact(expected_pact(world), source="<compatibility scenario>")
    assert pact.spec == world.spec, f"the pact was read as {pact.spec}, not {world.spec}"
    (interaction,) = pact.interactions
    assert isinstance(interaction, SynchronousHttp), f"read as {type(interaction).__name__}"
    return interaction.request, interaction.response


# --- what was received -------------------------------------------------------------------------


def received_request(
    *,
    body: FixtureBody | None = None,
    query: Sequence[tuple[str, str]] = (),
    headers: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """A request as it arrived, in the plain shape the engine compares (bodies as their
    JSON value, text, or Base64 text for binary content named by its Content-Type)."""
    actual: dict[str, Any] = {"method": "GET", "path": "/"}
    if query:
        actual["query"] = _query_json(query)
    all_headers = _with_content_type(headers, body)
    if all_headers:
        actual["headers"] = _headers_json(all_headers, "V3")
    if body is not None:
        actual["body"] = _body_json(body, "V3")
    return actual


def _received_body(row: dict[str, str]) -> FixtureBody | None:
    """The ``body`` cell of a received row; ``EMPTY`` is a body with no bytes."""
    cell = row.get("body", "").strip()
    content_type = row.get("content type", "").strip() or None
    if cell == "EMPTY":
        return FixtureBody(b"", content_type or "text/plain")
    return body_from_cell(cell, content_type)


def _received_from_row(row: dict[str, str]) -> dict[str, Any]:
    return received_request(
        body=_received_body(row),
        query=query_from_cell(row.get("query", "")),
        headers=headers_from_cell(row.get("headers", "")),
    )


def _expected_from_row(row: dict[str, str]) -> ExpectedPart:
    content_type = row.get("content type", "").strip() or None
    status = row.get("status", "").strip()
    return ExpectedPart(
        query=query_from_cell(row.get("query", "")),
        headers=headers_from_cell(row.get("headers", "")),
        body=body_from_cell(row.get("body", ""), content_type),
        rules=rules_fragment(row.get("matching rules", "")),
        status=int(status) if status else 200,
    )


# --- what a mismatch says, in the suite's notation ----------------------------------------------


def suite_path(mismatch: Mismatch) -> str:
    """Where the reference implementation puts a mismatch: body paths from ``$`` (accord
    writes ``$.body.one``, the suite ``$.one``), headers and query parameters by name."""
    path = mismatch.path
    for prefix, kind in (("$.headers.", "header"), ("$.query.", "query")):
        if mismatch.kind == kind and path.startswith(prefix):
            return path.removeprefix(prefix)
    if mismatch.kind == "status":
        return "status"
    if path == "$.body" or path.startswith(("$.body.", "$.body[")):
        return "$" + path.removeprefix("$.body")
    return path


_PATH_STEP = re.compile(r"\.([^.\[]+)|\[(\d+|\*)\]|\['((?:[^'\\]|\\.)*)'\]")


def path_steps(path: str) -> tuple[str, ...] | None:
    """A body path's steps as text: ``$.a[0]`` → ``("a", "0")``; ``None`` if not a body path.

    The reference writes a key made of digits as an index (``$[100]`` for the key ``"100"``),
    accord as a key (``$.100``); read as steps, both say the same place.
    """
    if not path.startswith("$"):
        return None
    steps: list[str] = []
    position = 1
    while position < len(path):
        step = _PATH_STEP.match(path, position)
        if step is None:
            return None
        steps.append(next(group for group in step.groups() if group is not None))
        position = step.end()
    return tuple(steps)


def same_place(suite: str, accord: str) -> bool:
    """``accord`` (already in the suite's notation, see :func:`suite_path`) names ``suite``."""
    if suite == accord:
        return True
    steps = path_steps(suite)
    return steps is not None and steps == path_steps(accord)


@dataclass(frozen=True, slots=True)
class ReferenceFacts:
    """What a reference mismatch text states: the value it was given (when the text opens
    with it, ``Expected 'dog' to include 'a'``) and every other value it names."""

    actual: tuple[Any, ...]  # empty, or the one value the text opens with
    values: tuple[Any, ...]


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_OPENERS = ("Type mismatch: ", "Expected ")
_WORDS = {"true": True, "false": False, "null": None}


def _read_value(text: str, at: int) -> tuple[Any, int] | None:
    """The value written at ``text[at:]`` (a quoted string, JSON array or object, number, or
    — only where the text opens with a value — ``true``/``false``/``null``) and its end."""
    char = text[at]
    if char == "'":
        close = text.find("'", at + 1)
        # the suite's eachKey/eachValue texts leave the last quote open: ``'[a-z]+``
        close = len(text) if close < 0 else close
        return text[at + 1 : close], close + 1
    if char in "[{":
        try:
            value, end = json.JSONDecoder().raw_decode(text, at)
        except ValueError:
            return None
        return value, end
    number = _NUMBER.match(text, at)
    if number and (at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "._")):
        literal = number.group()
        return (float(literal) if "." in literal else int(literal)), number.end()
    return None


def reference_facts(text: str) -> ReferenceFacts:
    """Read the values out of one of the suite's reference mismatch texts."""
    body = text
    opens_with_value = True
    for opener in _OPENERS:
        body = body.removeprefix(opener)
    if body == text:
        opens_with_value = text[:1] in "'[{" or bool(_NUMBER.match(text))
    actual: list[Any] = []
    values: list[Any] = []
    position = 0
    if opens_with_value:
        word = next((w for w in _WORDS if re.match(rf"{w}\b", body)), None)
        if word is not None:
            actual.append(_WORDS[word])
            position = len(word)
        elif (read := _read_value(body, 0)) is not None:
            actual.append(read[0])
            position = read[1]
    while position < len(body):
        read = _read_value(body, position)
        if read is None:
            position += 1
            continue
        values.append(read[0])
        position = read[1]
    return ReferenceFacts(tuple(actual), tuple(values))


def _same_value(fact: Any, value: Any) -> bool:
    """Equal as JSON values (``True`` is not ``1``); binary contents, which the reference
    prints as a list of bytes, equal the list of their byte values."""
    if isinstance(value, bytes):
        return isinstance(fact, list) and list(value) == fact
    if isinstance(fact, bool) or isinstance(value, bool):
        return fact is value
    if isinstance(fact, (int, float)) and isinstance(value, (int, float)):
        return fact == value
    return type(fact) is type(value) and fact == value


def _says(text: str, fact: Any) -> bool:
    """``text`` states ``fact``: a string literally or (the suite quotes some header values
    as regular expressions) as a pattern, a number as a whole number, JSON as JSON."""
    if isinstance(fact, str):
        if fact in text:
            return True
        try:
            return re.search(fact, text) is not None
        except re.error:
            return False
    if isinstance(fact, (int, float)) and not isinstance(fact, bool):
        return re.search(rf"(?<![\w.]){re.escape(str(fact))}(?![\w]|\.\d)", text) is not None
    return any(json.dumps(fact, separators=sep) in text for sep in ((", ", ": "), (",", ":")))


def carries_facts(mismatch: Mismatch, facts: ReferenceFacts) -> bool:
    """``mismatch`` states what the reference text states: the value the text opens with is
    the mismatch's actual value, and each other value is its expected or actual value or is
    named in its message."""
    if any(not _same_value(fact, mismatch.actual) for fact in facts.actual):
        return False
    return all(
        _same_value(fact, mismatch.expected)
        or _same_value(fact, mismatch.actual)
        or _says(mismatch.message, fact)
        for fact in facts.values
    )


def describe(mismatches: Sequence[Sequence[Mismatch]]) -> str:
    lines = [
        f"{suite_path(m)!r} ({m.kind}): {m.message} "
        f"[expected {show(m.expected)}, actual {show(m.actual)}]"
        for found in mismatches
        for m in found
    ]
    return "\n".join(lines) or "(no mismatches)"


def find_mismatch(world: MatchingWorld, path: str, reference_text: str) -> Mismatch:
    """The mismatch at ``path`` that states the reference text's facts, or a failure.

    accord words its messages its own way (``docs/compatibility.md``); what must agree is
    where the mismatch is and the values it is about. A message that contains the reference
    text word for word agrees too.
    """
    assert world.compared, "nothing was compared yet"
    reference_text = reference_text.replace('\\"', '"')
    facts = reference_facts(reference_text)
    for found in world.results:
        for mismatch in found:
            if not same_place(path, suite_path(mismatch)):
                continue
            if reference_text in mismatch.message or carries_facts(mismatch, facts):
                return mismatch
    raise AssertionError(
        f"no mismatch at {path!r} saying {reference_text!r} ({facts}); "
        f"matching found:\n{describe(world.results)}"
    )


# --- the steps ----------------------------------------------------------------------------------


def define_matching_steps(spec: SpecVersion) -> None:
    """Define the shared steps in the calling test module (pytest-bdd finds steps there).

    ``spec`` is the version the module's features are written for; the expected parts are
    written as a pact of that version.
    """
    caller = 2  # the steps belong to the module that called this function

    @given(
        parsers.parse("an expected request configured with the following:"),
        target_fixture="matching_world",
        stacklevel=caller,
    )
    def _expected_request(datatable: list[list[str]]) -> MatchingWorld:
        (row,) = table_rows(datatable)
        return MatchingWorld(spec, expected_request=_expected_from_row(row))

    @given(
        parsers.re(r'an expected request with an? "(?P<name>[^"]+)" header of "(?P<value>[^"]*)"'),
        target_fixture="matching_world",
        stacklevel=caller,
    )
    def _expected_header(name: str, value: str) -> MatchingWorld:
        return MatchingWorld(spec, expected_request=ExpectedPart(headers=[(name, value)]))

    @given(
        parsers.parse("an expected response configured with the following:"),
        target_fixture="matching_world",
        stacklevel=caller,
    )
    def _expected_response(datatable: list[list[str]]) -> MatchingWorld:
        (row,) = table_rows(datatable)
        return MatchingWorld(spec, expected_response=_expected_from_row(row))

    @given(parsers.parse("a request is received with the following:"), stacklevel=caller)
    def _received_one(matching_world: MatchingWorld, datatable: list[list[str]]) -> None:
        (row,) = table_rows(datatable)
        matching_world.received_requests.append(_received_from_row(row))

    @given(parsers.parse("the following requests are received:"), stacklevel=caller)
    def _received_many(matching_world: MatchingWorld, datatable: list[list[str]]) -> None:
        for row in table_rows(datatable):
            matching_world.received_requests.append(_received_from_row(row))

    @given(
        parsers.re(
            r'a request is received with an? "(?P<name>[^"]+)" header of "(?P<value>[^"]*)"'
        ),
        stacklevel=caller,
    )
    def _received_header(matching_world: MatchingWorld, name: str, value: str) -> None:
        matching_world.received_requests.append(received_request(headers=[(name, value)]))

    @given(
        parsers.parse("a status {status:d} response is received"),
        stacklevel=caller,
    )
    def _received_status(matching_world: MatchingWorld, status: int) -> None:
        matching_world.received_responses.append({"status": status})

    @when("the request is compared to the expected one", stacklevel=caller)
    def _compare_request(matching_world: MatchingWorld) -> None:
        _compare_requests(matching_world, matching_world.received_requests[:1])

    @when("the requests are compared to the expected one", stacklevel=caller)
    def _compare_requests_step(matching_world: MatchingWorld) -> None:
        _compare_requests(matching_world, matching_world.received_requests)

    @when("the response is compared to the expected one", stacklevel=caller)
    def _compare_response(matching_world: MatchingWorld) -> None:
        assert matching_world.received_responses, "no response was received"
        _, expected = _parsed_expected(matching_world)
        for actual in matching_world.received_responses[:1]:
            matching_world.results.append(
                match_response(expected, actual, spec=matching_world.spec)
            )
        matching_world.compared = True

    @then("the comparison should be OK", stacklevel=caller)
    @then("the response comparison should be OK", stacklevel=caller)
    def _all_ok(matching_world: MatchingWorld) -> None:
        assert matching_world.compared, "nothing was compared yet"
        assert all(not found for found in matching_world.results), describe(matching_world.results)

    @then(
        parsers.re(
            r"the mismatches will contain a mismatch with error "
            r'"(?P<path>[^"]*)" -> "(?P<text>.*)"$'
        ),
        stacklevel=caller,
    )
    def _contains(matching_world: MatchingWorld, path: str, text: str) -> None:
        find_mismatch(matching_world, path, text)

    @then(
        parsers.re(
            r"the response mismatches will contain a "
            r'"(?P<kind>[^"]+)" mismatch with error "(?P<text>.*)"$'
        ),
        stacklevel=caller,
    )
    def _response_contains(matching_world: MatchingWorld, kind: str, text: str) -> None:
        find_mismatch(matching_world, kind, text)

    @then("the comparison should NOT be OK", stacklevel=caller)
    @then("the response comparison should NOT be OK", stacklevel=caller)
    def _not_ok(matching_world: MatchingWorld) -> None:
        # stronger than the reference's "some comparison failed": when a feature lists
        # several received requests under NOT OK, each one is a negative case
        assert matching_world.compared, "nothing was compared yet"
        assert matching_world.results, "nothing was compared"
        passed = [i for i, found in enumerate(matching_world.results, 1) if not found]
        assert not passed, f"received request(s) {passed} matched, but none should have"


def _compare_requests(world: MatchingWorld, received: Sequence[dict[str, Any]]) -> None:
    assert received, "no request was received"
    expected, _ = _parsed_expected(world)
    for actual in received:
        world.results.append(match_request(expected, actual, spec=world.spec))
    world.compared = True
