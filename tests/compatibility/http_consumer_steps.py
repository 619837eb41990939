"""Step code shared by the HTTP consumer features (V1-V4 ``http_consumer.feature``, ``v4.feature``).

These features drive accord's consumer side for real: each interaction of a table becomes an
interaction of an :class:`accord.consumer.contract.ConsumerPact` (pact-python's DSL, the Rust
mock server), the scenario's requests go over the loopback to that mock server, and the checks
read what accord exposes: the mock server's flattened problems
(:attr:`~accord.consumer.contract.MockServer.problems`), its verdict when the block ends
(:class:`~accord.errors.ConsumerContractError`), and the pact file that
:meth:`~accord.consumer.contract.MockServer.write_pact` writes only for a passing test, read
back with :func:`accord.pact.load_pact`.

pytest-bdd finds steps through fixtures in the test module's namespace, so the steps are defined
by :func:`define_http_consumer_steps`, which each test module calls once with its
specification version.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

import pytest
import urllib3
from pytest_bdd import given, parsers, then, when

from accord.consumer.contract import ConsumerPact, MockServer
from accord.consumer.mismatches import MockServerProblem
from accord.errors import ConsumerContractError
from accord.pact import Pact, SynchronousHttp, load_pact
from accord.pact.model import Body
from tests.compatibility.suite import (
    FixtureBody,
    HttpRow,
    body_from_cell,
    changes_from_table,
    headers_from_cell,
    http_rows,
    query_from_cell,
    table_rows,
)

SpecVersion = Literal["V1", "V2", "V3", "V4"]
CONSUMER, PROVIDER = "http-consumer", "http-provider"
_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4}
#: The suite names the kinds of mismatch after the reference implementation; accord after its
#: matching engine (``accord.matching.Mismatch.kind``). Only this one differs.
_SUITE_KINDS = {"body-content-type": "body-type"}
_PACT_VERSIONS = {"V1": "1.0.0", "V2": "2.0.0", "V3": "3.0.0", "V4": "4.0"}


@dataclass(frozen=True, slots=True)
class Reply:
    """What the mock server answered to one request."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class MockServerWorld:
    """One scenario's mock server, what it answered, and how its test ended."""

    spec: SpecVersion
    interactions: dict[int, HttpRow]
    pact: ConsumerPact
    server: MockServer
    directory: Path
    replies: list[Reply] = field(default_factory=list)
    done: bool = False
    failure: ConsumerContractError | None = None
    pact_file: Path | None = None

    def finish(self) -> None:
        """End the test: leave the mock server's block, keeping its verdict."""
        if self.done:
            return
        self.done = True
        try:
            self.server.__exit__(None, None, None)
        except ConsumerContractError as error:
            self.failure = error

    def written(self) -> Pact:
        """The pact file the passing test wrote, read by accord's own parser."""
        assert self.pact_file is not None, "no pact file was written: was the test OK?"
        return load_pact(self.pact_file)


@dataclass
class DefinitionWorld:
    """A pact being defined without a mock server (V3/V4 scenarios about the file's content)."""

    pact: ConsumerPact
    directory: Path
    http: Any = None
    pact_file: Path | None = None

    def document(self) -> dict[str, Any]:
        assert self.pact_file is not None, "the pact file was not generated"
        loaded: dict[str, Any] = json.loads(self.pact_file.read_text(encoding="utf-8"))
        return loaded


# --- defining interactions and sending requests ------------------------------------------------


def define_interaction(pact: ConsumerPact, row: HttpRow) -> None:
    """Declare one table row as an HTTP interaction of ``pact`` through pact-python's DSL."""
    interaction = pact.upon_receiving(row.description).with_request(row.method, row.path)
    for name, value in row.query:
        interaction.with_query_parameter(name, value)
    for name, value in row.headers:
        interaction.with_header(name, value, "Request")
    _with_body(interaction, row.body, "Request")
    if row.request_rules:
        interaction.with_matching_rules(dict(row.request_rules), "Request")
    interaction.will_respond_with(row.status)
    for name, value in row.response_headers:
        interaction.with_header(name, value, "Response")
    _with_body(interaction, row.response_body, "Response")
    if row.response_rules:
        interaction.with_matching_rules(dict(row.response_rules), "Response")


def _with_body(interaction: Any, body: FixtureBody | None, part: str) -> None:
    if body is None:
        return
    if body.is_text:
        interaction.with_body(body.text, body.content_type, part)
    else:
        interaction.with_binary_body(body.raw, body.content_type, part)


def changed_row(row: HttpRow, changes: dict[str, str]) -> HttpRow:
    """``row`` with the columns of a ``with the following changes`` table replaced."""
    updated = row
    for column, cell in changes.items():
        if column == "method":
            updated = replace(updated, method=cell)
        elif column == "path":
            updated = replace(updated, path=cell)
        elif column == "query":
            updated = replace(updated, query=tuple(query_from_cell(cell)))
        elif column in {"headers", "raw headers"}:
            updated = replace(updated, headers=tuple(headers_from_cell(cell)))
        elif column == "body":
            updated = replace(updated, body=_changed_body(row.body, cell))
        else:
            raise ValueError(f"the HTTP consumer steps do not know the change column {column!r}")
    return updated


def _changed_body(original: FixtureBody | None, cell: str) -> FixtureBody | None:
    """A new body; plain text keeps the request's content type (a form stays a form)."""
    body = body_from_cell(cell)
    plain = not cell.startswith(("JSON:", "XML:", "file:"))
    if body is not None and plain and original is not None:
        return FixtureBody(body.raw, original.content_type)
    return body


def send(base_url: str, row: HttpRow) -> Reply:
    """Send ``row`` as a request; headers go out line by line, repeated names included."""
    headers = urllib3.HTTPHeaderDict()
    for name, value in row.headers:
        headers.add(name, value)
    body = None
    if row.body is not None:
        body = row.body.raw
        if "content-type" not in {name.lower() for name in headers}:
            headers.add("Content-Type", row.body.content_type)
    url = base_url + row.path + (f"?{urlencode(row.query)}" if row.query else "")
    response = urllib3.request(
        row.method, url, body=body, headers=headers, retries=False, timeout=10
    )
    return Reply(response.status, dict(response.headers), response.data)


# --- reading the pact file ---------------------------------------------------------------------


def nth_http(pact: Pact, ordinal: str) -> SynchronousHttp:
    interaction = pact.interactions[_ORDINALS[ordinal]]
    assert isinstance(interaction, SynchronousHttp), f"{interaction!r} is not an HTTP interaction"
    return interaction


def header_values(headers: Any, name: str) -> list[str]:
    """All values of a header, by case-insensitive name, as comma-separated lists are split."""
    values: list[str] = []
    for key, found in headers.items():
        if key.lower() == name.lower():
            for value in found if isinstance(found, (list, tuple)) else [found]:
                values.extend(part.strip() for part in str(value).split(","))
    return values


def body_document(body: Body) -> Any:
    """A JSON body of the pact file as a value (whatever way the version wrote it)."""
    if isinstance(body.value, (dict, list)):
        return body.value
    return json.loads(body.raw or str(body.value))


# --- mismatches --------------------------------------------------------------------------------


def problems_of_kind(world: MockServerWorld, suite_kind: str) -> list[MockServerProblem]:
    kind = _SUITE_KINDS.get(suite_kind, suite_kind)
    return [problem for problem in world.server.problems if problem.kind == kind]


def says(problem: MockServerProblem, error: str) -> bool:
    """Whether the mock server's sentence is the suite's, or the suite's with context around it.

    The Rust core pact-python ships is newer than the suite's texts: it adds where a mismatch
    is (``Mismatch with header 'X-Test': … for value at index 0``, ``MIME part '1': …``) around
    the same sentence. The facts (kind, place, values) are checked by the steps separately.
    """
    return problem.message == error or error in problem.message


def describe(problems: Sequence[MockServerProblem]) -> str:
    return "\n".join(f"  {problem}" for problem in problems) or "  (none)"


# --- the steps ---------------------------------------------------------------------------------


def define_http_consumer_steps(spec: SpecVersion) -> None:
    """Define the steps in the calling test module; its features are of version ``spec``."""
    caller = 2  # the steps belong to the module that called this function

    @given(
        "the following HTTP interactions have been defined:",
        target_fixture="interactions",
        stacklevel=caller,
    )
    def _interactions(datatable: list[list[str]]) -> dict[int, HttpRow]:
        return http_rows(datatable)

    def start(
        rows: Sequence[HttpRow], directory: Path, request: pytest.FixtureRequest
    ) -> MockServerWorld:
        pact = ConsumerPact(CONSUMER, PROVIDER, specification=spec)
        for row in rows:
            define_interaction(pact, row)
        server = pact.serve()
        server.__enter__()
        world = MockServerWorld(spec, {row.number: row for row in rows}, pact, server, directory)
        request.addfinalizer(world.finish)
        return world

    @when(
        parsers.re(r"the mock server is started with interactions? (?P<numbers>\d+)$"),
        target_fixture="mock_world",
        stacklevel=caller,
    )
    def _start_one(
        interactions: dict[int, HttpRow],
        numbers: str,
        tmp_path: Path,
        request: pytest.FixtureRequest,
    ) -> MockServerWorld:
        return start([interactions[int(numbers)]], tmp_path / "pacts", request)

    @when(
        parsers.re(r'the mock server is started with interactions "(?P<numbers>[\d, ]+)"'),
        target_fixture="mock_world",
        stacklevel=caller,
    )
    def _start_many(
        interactions: dict[int, HttpRow],
        numbers: str,
        tmp_path: Path,
        request: pytest.FixtureRequest,
    ) -> MockServerWorld:
        rows = [interactions[int(n)] for n in numbers.split(",")]
        return start(rows, tmp_path / "pacts", request)

    @when(
        parsers.re(
            r"the mock server is started with interaction (?P<number>\d+)"
            r" but with the following changes:"
        ),
        target_fixture="mock_world",
        stacklevel=caller,
    )
    def _start_changed(
        interactions: dict[int, HttpRow],
        number: str,
        datatable: list[list[str]],
        tmp_path: Path,
        request: pytest.FixtureRequest,
    ) -> MockServerWorld:
        row = changed_row(interactions[int(number)], changes_from_table(datatable))
        return start([row], tmp_path / "pacts", request)

    @when(
        parsers.re(r"request (?P<number>\d+) is made to the mock server$"),
        stacklevel=caller,
    )
    def _request(
        mock_world: MockServerWorld, interactions: dict[int, HttpRow], number: str
    ) -> None:
        row = interactions[int(number)]
        mock_world.replies.append(send(str(mock_world.server.url), row))

    @when(
        parsers.re(
            r"request (?P<number>\d+) is made to the mock server with the following changes:"
        ),
        stacklevel=caller,
    )
    def _request_changed(
        mock_world: MockServerWorld,
        interactions: dict[int, HttpRow],
        number: str,
        datatable: list[list[str]],
    ) -> None:
        row = changed_row(interactions[int(number)], changes_from_table(datatable))
        mock_world.replies.append(send(str(mock_world.server.url), row))

    @when("the pact test is done", stacklevel=caller)
    def _done(mock_world: MockServerWorld) -> None:
        mock_world.finish()
        with contextlib.suppress(ConsumerContractError):
            mock_world.pact_file = mock_world.server.write_pact(mock_world.directory)

    @then(parsers.re(r"a (?P<status>\d+) (success|error) response is returned"), stacklevel=caller)
    def _status(mock_world: MockServerWorld, status: str) -> None:
        reply = mock_world.replies[-1]
        assert reply.status == int(status), (reply.status, reply.body[:300])

    @then(parsers.parse('the payload will contain the "{name}" JSON document'), stacklevel=caller)
    def _payload(mock_world: MockServerWorld, name: str) -> None:
        expected = body_from_cell(f"file: {name}.json")
        assert expected is not None
        assert json.loads(mock_world.replies[-1].body) == expected.json()

    @then(parsers.parse('the content type will be set as "{content_type}"'), stacklevel=caller)
    def _content_type(mock_world: MockServerWorld, content_type: str) -> None:
        assert header_values(mock_world.replies[-1].headers, "Content-Type") == [content_type]

    @then("the mock server status will be OK", stacklevel=caller)
    def _ok(mock_world: MockServerWorld) -> None:
        assert mock_world.done
        assert mock_world.failure is None, str(mock_world.failure)
        assert mock_world.server.ok and mock_world.server.problems == []

    @then("the mock server status will NOT be OK", stacklevel=caller)
    def _not_ok(mock_world: MockServerWorld) -> None:
        assert mock_world.done
        assert mock_world.failure is not None, "the consumer test passed; the scenario says not"
        assert not mock_world.server.ok and mock_world.server.problems

    @then(
        parsers.re(r"the mock server will write out a Pact file for the interactions? when done"),
        stacklevel=caller,
    )
    def _written(mock_world: MockServerWorld) -> None:
        assert mock_world.pact_file is not None and mock_world.pact_file.is_file()
        assert mock_world.pact_file.parent == mock_world.directory
        assert mock_world.written().spec == spec

    @then(
        parsers.re(
            r"the mock server will NOT write out a Pact file for the interactions? when done"
        ),
        stacklevel=caller,
    )
    def _not_written(mock_world: MockServerWorld) -> None:
        mock_world.finish()
        with pytest.raises(ConsumerContractError, match="no pact file was written"):
            mock_world.server.write_pact(mock_world.directory)
        assert not list(mock_world.directory.glob("*.json"))

    @then(
        parsers.re(r"the pact file will contain \{(?P<count>\d+)\} interactions?"),
        stacklevel=caller,
    )
    def _count(mock_world: MockServerWorld, count: str) -> None:
        assert len(mock_world.written().interactions) == int(count)

    @then(
        parsers.re(r'the \{(?P<ordinal>\w+)\} interaction request will be for a "(?P<method>\w+)"'),
        stacklevel=caller,
    )
    def _method(mock_world: MockServerWorld, ordinal: str, method: str) -> None:
        assert nth_http(mock_world.written(), ordinal).request.method.upper() == method

    @then(
        parsers.re(
            r"the \{(?P<ordinal>\w+)\} interaction (?P<part>request|response) will contain"
            r' the "(?P<name>[^"]+)" document'
        ),
        stacklevel=caller,
    )
    def _document(mock_world: MockServerWorld, ordinal: str, part: str, name: str) -> None:
        interaction = nth_http(mock_world.written(), ordinal)
        body = interaction.request.body if part == "request" else interaction.response.body
        expected = body_from_cell(f"file: {name}")
        assert expected is not None
        assert body_document(body) == expected.json()

    @then(
        parsers.re(
            r"the \{(?P<ordinal>\w+)\} interaction request query parameters will be"
            r' "(?P<query>[^"]*)"'
        ),
        stacklevel=caller,
    )
    def _query(mock_world: MockServerWorld, ordinal: str, query: str) -> None:
        written = nth_http(mock_world.written(), ordinal).request.query
        expected: dict[str, list[str]] = {}
        for name, value in query_from_cell(query):
            expected.setdefault(name, []).append(value)
        assert {name: list(values) for name, values in written.items()} == expected
        raw = _raw_interaction(mock_world, ordinal)["request"]["query"]
        if spec in {"V1", "V2"}:
            assert raw == query, "V1 and V2 pact files write the query as a string"

    @then(
        parsers.re(
            r"the \{(?P<ordinal>\w+)\} interaction request will contain the header"
            r' "(?P<name>[^"]+)" with value "(?P<value>[^"]*)"'
        ),
        stacklevel=caller,
    )
    def _header(mock_world: MockServerWorld, ordinal: str, name: str, value: str) -> None:
        headers = nth_http(mock_world.written(), ordinal).request.headers
        assert header_values(headers, name) == [value]

    @then(
        parsers.re(
            r'the \{(?P<ordinal>\w+)\} interaction request content type will be "(?P<ct>[^"]+)"'
        ),
        stacklevel=caller,
    )
    def _request_content_type(mock_world: MockServerWorld, ordinal: str, ct: str) -> None:
        request = nth_http(mock_world.written(), ordinal).request
        assert header_values(request.headers, "Content-Type") == [ct]

    @then(
        parsers.re(
            r"the mock server status will be an expected but not received error"
            r" for interaction \{(?P<number>\d+)\}"
        ),
        stacklevel=caller,
    )
    def _missing(mock_world: MockServerWorld, number: str) -> None:
        row = mock_world.interactions[int(number)]
        problems = mock_world.server.problems
        assert [(p.kind, p.method, p.request_path) for p in problems] == [
            ("missing-request", row.method, row.path)
        ], describe(problems)

    @then(
        parsers.re(
            r'the mock server status will be an unexpected "(?P<method>\w+)" request received'
            r" error for (interaction \{(?P<number>\d+)\}|path \"(?P<path>[^\"]+)\")"
        ),
        stacklevel=caller,
    )
    def _unexpected(
        mock_world: MockServerWorld,
        interactions: dict[int, HttpRow],
        method: str,
        number: str | None,
        path: str | None,
    ) -> None:
        target = path if path is not None else interactions[int(number or 0)].path
        unexpected = [p for p in mock_world.server.problems if p.kind == "unexpected-request"]
        assert [(p.method, p.request_path) for p in unexpected] == [(method, target)], describe(
            mock_world.server.problems
        )

    @then("the mock server status will be mismatches", stacklevel=caller)
    def _mismatches(mock_world: MockServerWorld) -> None:
        problems = mock_world.server.problems
        whole = {"missing-request", "unexpected-request"}
        assert problems and all(p.kind not in whole for p in problems), describe(problems)

    @then(
        parsers.re(
            r'the mismatches will contain a "(?P<kind>[\w-]+)" mismatch'
            r'( with path "(?P<path>[^"]+)")? with error "(?P<error>.+)"$'
        ),
        stacklevel=caller,
    )
    def _contains(mock_world: MockServerWorld, kind: str, path: str | None, error: str) -> None:
        found = problems_of_kind(mock_world, kind)
        if path is not None:
            found = [p for p in found if p.location == path]
        assert any(says(p, error) for p in found), (
            f"no {kind} mismatch{f' at {path}' if path else ''} says {error!r}; the mock server"
            f" reported:\n{describe(mock_world.server.problems)}"
        )

    define_definition_steps(spec, caller + 1)


def _raw_interaction(world: MockServerWorld, ordinal: str) -> dict[str, Any]:
    assert world.pact_file is not None
    document = json.loads(world.pact_file.read_text(encoding="utf-8"))
    interaction: dict[str, Any] = document["interactions"][_ORDINALS[ordinal]]
    return interaction


def define_definition_steps(spec: SpecVersion, caller: int) -> None:
    """Steps about the pact file a consumer test generates (no requests made)."""

    def new_world(directory: Path) -> DefinitionWorld:
        return DefinitionWorld(ConsumerPact(CONSUMER, PROVIDER, specification=spec), directory)

    def add_http(world: DefinitionWorld) -> None:
        world.http = (
            world.pact.upon_receiving("an HTTP request")
            .with_request("GET", "/resource")
            .will_respond_with(200)
        )

    @given(
        parsers.re(r"an (integration|HTTP interaction) is being defined for a consumer test"),
        target_fixture="definition",
        stacklevel=caller,
    )
    def _http(tmp_path: Path) -> DefinitionWorld:
        world = new_world(tmp_path / "pacts")
        add_http(world)
        return world

    @given("a message interaction is being defined for a consumer test", stacklevel=caller)
    def _message(definition: DefinitionWorld) -> None:
        message = definition.pact.upon_receiving("a message", "Async")
        message.with_body(json.dumps({"event": "happened"}), "application/json")

    @given(parsers.re(r'a provider state "(?P<name>[^"]+)" is specified$'), stacklevel=caller)
    def _state(definition: DefinitionWorld, name: str) -> None:
        definition.http.given(name)

    @given(
        parsers.re(r'a provider state "(?P<name>[^"]+)" is specified with the following data:'),
        stacklevel=caller,
    )
    def _state_data(definition: DefinitionWorld, name: str, datatable: list[list[str]]) -> None:
        (row,) = table_rows(datatable)
        definition.http.given(name, {key: json.loads(cell) for key, cell in row.items()})

    @given(
        parsers.parse('a key of "{key}" is specified for the HTTP interaction'), stacklevel=caller
    )
    def _key(definition: DefinitionWorld, key: str) -> None:
        definition.http.set_key(key)

    @given("the HTTP interaction is marked as pending", stacklevel=caller)
    def _pending(definition: DefinitionWorld) -> None:
        definition.http.set_pending(pending=True)

    @given(parsers.parse('a comment "{text}" is added to the HTTP interaction'), stacklevel=caller)
    def _comment(definition: DefinitionWorld, text: str) -> None:
        definition.http.add_text_comment(text)

    @when("the Pact file for the test is generated", stacklevel=caller)
    def _generate(definition: DefinitionWorld) -> None:
        definition.pact.write_file(definition.directory, overwrite=True)
        (written,) = definition.directory.glob("*.json")
        definition.pact_file = written
        version = definition.document()["metadata"]["pactSpecification"]["version"]
        assert version == _PACT_VERSIONS[spec]

    def only_interaction(definition: DefinitionWorld) -> Any:
        assert definition.pact_file is not None
        (interaction,) = load_pact(definition.pact_file).interactions
        return interaction

    @then(
        parsers.re(
            r"the interaction in the Pact file will contain (?P<count>\d+) provider states?$"
        ),
        stacklevel=caller,
    )
    def _state_count(definition: DefinitionWorld, count: str) -> None:
        assert len(only_interaction(definition).provider_states) == int(count)

    @then(
        parsers.re(
            r'the interaction in the Pact file will contain provider state "(?P<name>[^"]+)"'
        ),
        stacklevel=caller,
    )
    def _has_state(definition: DefinitionWorld, name: str) -> None:
        assert name in [state.name for state in only_interaction(definition).provider_states]

    @then(
        parsers.re(
            r'the provider state "(?P<name>[^"]+)" in the Pact file will contain the following'
            r" parameters:"
        ),
        stacklevel=caller,
    )
    def _state_params(definition: DefinitionWorld, name: str, datatable: list[list[str]]) -> None:
        (row,) = table_rows(datatable)
        states = [s for s in only_interaction(definition).provider_states if s.name == name]
        assert [dict(state.params) for state in states] == [json.loads(row["parameters"])]

    @then(
        parsers.parse('the first interaction in the Pact file will have a type of "{kind}"'),
        stacklevel=caller,
    )
    def _first_type(definition: DefinitionWorld, kind: str) -> None:
        assert definition.document()["interactions"][0]["type"] == kind

    @then(
        parsers.re(
            r'the first interaction in the Pact file will have "(?P<name>\w+)" = \'(?P<value>.+)\''
        ),
        stacklevel=caller,
    )
    def _first_field(definition: DefinitionWorld, name: str, value: str) -> None:
        assert definition.document()["interactions"][0][name] == json.loads(value)

    @then(
        parsers.parse('there will be an interaction in the Pact file with a type of "{kind}"'),
        stacklevel=caller,
    )
    def _some_type(definition: DefinitionWorld, kind: str) -> None:
        kinds = [i.get("type") for i in definition.document()["interactions"]]
        assert kind in kinds, kinds
