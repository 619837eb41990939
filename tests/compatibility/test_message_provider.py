"""Compatibility suite: verifying message providers (V3/message_provider, V4/message_provider).

Each scenario writes a real pact file, points accord's verifier at a real message provider (an
HTTP server on 127.0.0.1 that answers the Pact message protocol: ``POST {"description",
"providerStates"}`` → the message's bytes, its ``Content-Type`` and a ``Pact-Message-Metadata``
header) and reads the verdict, the mismatches and the console report. Provider states go
through the same server's state-change URL, which logs every call in order, so the scenarios
can tell that setup came before the message was asked for and teardown after.
"""

import base64
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from suite import FixtureBody, body_from_cell, feature, fixture_path, rules_fragment, table_rows

from accord.pact.bodies import is_json_type, is_text_type
from accord.testing import ServerHandle, serve_app
from accord.verifier import verify
from accord.verifier.results import VerificationResult

scenarios(feature("V3/message_provider.feature"))
scenarios(feature("V4/message_provider.feature"))

# The reference verifier's names for the kinds of mismatch, and the part each one is about in
# accord's results (``Mismatch.attribute``, the Pact Broker's name for it).
_ERROR_ATTRIBUTES = {"Body had differences": "body", "Metadata had differences": "metadata"}


# --- the message provider ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProducedMessage:
    """What the provider publishes for one description: bytes, content type, metadata."""

    body: FixtureBody
    metadata: Mapping[str, Any]


@dataclass
class MessageProvider:
    """The state of the real provider server: the messages it can make, the calls it saw."""

    messages: dict[str, ProducedMessage] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)

    def reset(self) -> None:
        self.messages.clear()
        self.calls.clear()


def _provider_app(provider: MessageProvider) -> Starlette:
    async def produce(request: Request) -> Response:
        asked = await request.json()
        description = str(asked.get("description", ""))
        provider.calls.append(("message", description))
        message = provider.messages.get(description)
        if message is None:
            return JSONResponse({"error": f"no message {description!r}"}, status_code=404)
        metadata = base64.b64encode(json.dumps(dict(message.metadata)).encode()).decode()
        return Response(
            message.body.raw,
            media_type=message.body.content_type,
            headers={"Pact-Message-Metadata": metadata},
        )

    async def change_state(request: Request) -> Response:
        asked = await request.json()
        provider.calls.append((str(asked.get("action", "setup")), str(asked.get("state", ""))))
        return JSONResponse({})

    return Starlette(
        routes=[
            Route("/messages", produce, methods=["POST"]),
            Route("/_pact/state", change_state, methods=["POST"]),
        ]
    )


@pytest.fixture(scope="module")
def provider_server() -> Iterator[tuple[ServerHandle, MessageProvider]]:
    """One provider server for the module; each scenario resets what it knows."""
    provider = MessageProvider()
    with serve_app(_provider_app(provider)) as server:
        yield server, provider


# --- one scenario's world ---------------------------------------------------------------------


@dataclass
class World:
    server: ServerHandle
    provider: MessageProvider
    directory: Path
    pacts: list[Path] = field(default_factory=list)
    interactions: int = 0
    state_callback: bool = False
    result: VerificationResult | None = None
    console: str = ""

    def verdict(self) -> VerificationResult:
        assert self.result is not None, "the verification has not been run"
        return self.result

    def write_pact(self, document: Mapping[str, Any]) -> None:
        path = self.directory / f"pact-{len(self.pacts) + 1}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        self.pacts.append(path)
        self.interactions += len(document.get("messages") or document.get("interactions") or [])


@pytest.fixture
def world(provider_server: tuple[ServerHandle, MessageProvider], tmp_path: Path) -> World:
    server, provider = provider_server
    provider.reset()
    return World(server, provider, tmp_path)


# --- bodies and metadata as the steps write them ----------------------------------------------


def _unescape(cell: str) -> str:
    """Step arguments keep Gherkin's ``\\"`` escapes; the body they describe does not."""
    return cell.replace('\\"', '"')


def _message_body(cell: str) -> FixtureBody:
    """The body a step names. A ``*-body.xml`` fixture whose ``<contents>`` says
    ``encoding="base64"`` holds Base64 text of the real bytes (the Kafka schema-registry
    fixture): the provider publishes those bytes, not the text."""
    cell = _unescape(cell)
    body = body_from_cell(cell)
    assert body is not None, f"step names no body: {cell!r}"
    name = cell.removeprefix("file:").strip()
    if cell.startswith("file:") and name.endswith("-body.xml"):
        contents = ET.parse(fixture_path(name)).getroot().find("contents")
        if contents is not None and contents.get("encoding") == "base64":
            return FixtureBody(base64.b64decode(body.raw), body.content_type)
    return body


def _metadata_value(cell: str) -> Any:
    cell = cell.strip()
    if cell.startswith("JSON:"):
        return json.loads(_unescape(cell.removeprefix("JSON:")))
    return cell


def _metadata_table(datatable: Sequence[Sequence[str]]) -> dict[str, Any]:
    return {row["key"].strip(): _metadata_value(row["value"]) for row in table_rows(datatable)}


def _metadata_cell(cell: str) -> dict[str, Any]:
    """``Origin=AXP-1000; TagData=JSON: {...}`` → ``{"Origin": "AXP-1000", "TagData": {...}}``."""
    metadata: dict[str, Any] = {}
    for entry in cell.split(";"):
        key, _, value = entry.strip().partition("=")
        metadata[key.strip()] = _metadata_value(value)
    return metadata


def _v3_contents(body: FixtureBody) -> Any:
    """A V3 message's ``contents``: JSON as its value, text as a string, the rest Base64."""
    if is_json_type(body.content_type):
        return body.json()
    if is_text_type(body.content_type):
        return body.text
    return body.base64()


def _v3_message(
    description: str,
    body: FixtureBody,
    *,
    states: Sequence[str] = (),
    metadata: Mapping[str, Any] | None = None,
    rules: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "description": description,
        "contents": _v3_contents(body),
        "metadata": {"contentType": body.content_type, **(metadata or {})},
    }
    if states:
        message["providerStates"] = [{"name": name} for name in states]
    if rules:
        message["matchingRules"] = dict(rules)
    return message


def _v3_pact(*messages: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "messages": list(messages),
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


def _v4_message_pact(description: str, body: FixtureBody, **members: Any) -> dict[str, Any]:
    content: Any = body.json() if is_json_type(body.content_type) else body.text
    interaction = {
        "type": "Asynchronous/Messages",
        "description": description,
        "contents": {"content": content, "contentType": body.content_type, "encoded": False},
        "metadata": {"contentType": body.content_type},
        **members,
    }
    return {
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "interactions": [interaction],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


# --- given ------------------------------------------------------------------------------------


def _provide(world: World, name: str, cell: str, metadata: Mapping[str, Any]) -> None:
    body = _message_body(cell)
    world.provider.messages[name] = ProducedMessage(
        body, {"contentType": body.content_type, **metadata}
    )


@given(parsers.parse('a provider is started that can generate the "{name}" message with "{cell}"'))
def provider_generates(world: World, name: str, cell: str) -> None:
    _provide(world, name, cell, {})


@given(
    parsers.parse(
        'a provider is started that can generate the "{name}" message with "{cell}" '
        "and the following metadata:"
    )
)
def provider_generates_with_metadata(
    world: World, name: str, cell: str, datatable: list[list[str]]
) -> None:
    _provide(world, name, cell, _metadata_table(datatable))


@given(parsers.parse('a Pact file for "{name}":"{cell}" is to be verified'))
def pact_to_verify(world: World, name: str, cell: str) -> None:
    world.write_pact(_v3_pact(_v3_message(name, _message_body(cell))))


@given(
    parsers.parse(
        'a Pact file for "{name}":"{cell}" is to be verified with provider state "{state}"'
    )
)
def pact_with_state(world: World, name: str, cell: str, state: str) -> None:
    world.write_pact(_v3_pact(_v3_message(name, _message_body(cell), states=[state])))


@given(
    parsers.parse(
        'a Pact file for "{name}":"{cell}" is to be verified with the following metadata:'
    )
)
def pact_with_metadata(world: World, name: str, cell: str, datatable: list[list[str]]) -> None:
    message = _v3_message(name, _message_body(cell), metadata=_metadata_table(datatable))
    world.write_pact(_v3_pact(message))


@given(parsers.parse('a Pact file for "{name}" is to be verified with the following:'))
def pact_with_parts(world: World, name: str, datatable: list[list[str]]) -> None:
    parts = {row[0].strip(): row[1].strip() for row in datatable}
    message = _v3_message(
        name,
        _message_body(parts["body"]),
        metadata=_metadata_cell(parts["metadata"]) if "metadata" in parts else None,
        rules=rules_fragment(parts.get("matching rules", "")),
    )
    world.write_pact(_v3_pact(message))


@given(parsers.parse('a Pact file for "{name}":"{cell}" is to be verified, but is marked pending'))
def pending_pact(world: World, name: str, cell: str) -> None:
    world.write_pact(_v4_message_pact(name, _message_body(cell), pending=True))


@given(
    parsers.parse(
        'a Pact file for "{name}":"{cell}" is to be verified with the following comments:'
    )
)
def pact_with_comments(world: World, name: str, cell: str, datatable: list[list[str]]) -> None:
    comments: dict[str, Any] = {}
    for row in table_rows(datatable):
        if row["type"].strip() == "text":
            comments.setdefault("text", []).append(row["comment"].strip())
        else:
            comments[row["type"].strip()] = row["comment"].strip()
    world.write_pact(_v4_message_pact(name, _message_body(cell), comments=comments))


@given("a provider state callback is configured")
def state_callback(world: World) -> None:
    world.state_callback = True


# --- when -------------------------------------------------------------------------------------


@when("the verification is run")
def run_verification(world: World) -> None:
    console = io.StringIO()
    options: dict[str, Any] = {}
    if world.state_callback:
        options = {
            "state_change_url": f"{world.server.url}/_pact/state",
            "state_change_teardown": True,
        }
    world.result = verify(
        files=[str(path) for path in world.pacts],
        provider_base_url=f"{world.server.url}/messages",
        output=console,
        raise_on_failure=False,
        message_producers={},
        **options,
    )
    world.console = console.getvalue()


# --- then -------------------------------------------------------------------------------------


def _explain(world: World) -> str:
    return f"console report:\n{world.console}"


@then("the verification will be successful")
def verification_passed(world: World) -> None:
    result = world.verdict()
    assert len(result.interactions) == world.interactions, _explain(world)
    assert result.success, _explain(world)
    assert result.exit_code == 0


@then("the verification will NOT be successful")
def verification_failed(world: World) -> None:
    result = world.verdict()
    assert not result.success, _explain(world)
    assert result.exit_code == 1
    # the provider answered: the verdict comes from comparing messages, not from an error
    assert all(r.error is None for r in result.interactions), _explain(world)


def _has_error(results: Sequence[Any], error: str) -> bool:
    attribute = _ERROR_ATTRIBUTES[error]
    return any(m.attribute == attribute for r in results for m in r.mismatches)


@then(parsers.parse('the verification results will contain a "{error}" error'))
def results_contain_error(world: World, error: str) -> None:
    assert _has_error(world.verdict().failures, error), _explain(world)


@then(parsers.parse('there will be a pending "{error}" error'))
def pending_error(world: World, error: str) -> None:
    result = world.verdict()
    assert not result.failures, _explain(world)
    assert _has_error(result.pending_failures, error), _explain(world)


def _state_calls(world: World) -> list[tuple[str, str]]:
    return [call for call in world.provider.calls if call[0] in {"setup", "teardown"}]


def _message_call(world: World) -> int:
    kinds = [kind for kind, _ in world.provider.calls]
    assert "message" in kinds, f"the provider was never asked for a message: {world.provider.calls}"
    return kinds.index("message")


@then("the provider state callback will be called before the verification is run")
def state_setup_before(world: World) -> None:
    asked = _message_call(world)
    assert "setup" in [kind for kind, _ in world.provider.calls[:asked]], world.provider.calls


@then(
    parsers.parse(
        'the provider state callback will receive a setup call with "{state}" as the provider '
        "state parameter"
    )
)
def state_setup_call(world: World, state: str) -> None:
    assert ("setup", state) in _state_calls(world), world.provider.calls


@then("the provider state callback will be called after the verification is run")
def state_teardown_after(world: World) -> None:
    asked = _message_call(world)
    assert "teardown" in [kind for kind, _ in world.provider.calls[asked + 1 :]], (
        world.provider.calls
    )


@then(
    parsers.parse(
        'the provider state callback will receive a teardown call "{state}" as the provider '
        "state parameter"
    )
)
def state_teardown_call(world: World, state: str) -> None:
    assert ("teardown", state) in _state_calls(world), world.provider.calls


@then(parsers.parse('the comment "{comment}" will have been printed to the console'))
def comment_printed(world: World, comment: str) -> None:
    lines = [line.strip() for line in world.console.splitlines()]
    assert f"comment: {comment}" in lines, _explain(world)


@then(parsers.parse('the "{name}" will displayed as the original test name'))
def original_test_name_printed(world: World, name: str) -> None:
    lines = [line.strip() for line in world.console.splitlines()]
    assert f"test name: {name}" in lines, _explain(world)
