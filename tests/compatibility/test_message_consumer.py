"""Compatibility suite: message consumers (V3/message_consumer, V4/message_consumer).

Each scenario is a real consumer test written with accord's consumer layer: the messages are
defined on a :class:`~accord.consumer.contract.ConsumerPact` (pact-python's DSL), the message
handler the scenario describes is fed the pact's messages by ``ConsumerPact.verify``, and,
exactly as accord's pytest plugin does after a consumer test, a test that passed (handler
happy, every message exercised) has its pact staged and written by
:class:`~accord.consumer.PactDirectory`; a failed one writes nothing. The scenarios then read
the pact file back from the scenario's ``tmp_path``.

The steps both message-consumer modules share (provider states, interaction attributes, the
written pact file) are defined by :func:`define_shared_message_steps`, which
``test_synchronous_message_consumer`` calls too: pytest-bdd finds steps in the test module.
"""

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from accord.consumer import PactDirectory, ReceivedMessage, SyncMessage
from accord.consumer.contract import ConsumerPact
from accord.consumer.pact_dir import pact_file_name
from accord.errors import ConsumerContractError, InteractionNotExercisedError
from accord.pact import load_pact
from tests.compatibility.suite import (
    FixtureBody,
    body_from_cell,
    changes_from_table,
    feature,
    fixture_path,
    rules_fragment,
    table_rows,
)

scenarios(feature("V3/message_consumer.feature"))
scenarios(feature("V4/message_consumer.feature"))

CONSUMER, PROVIDER = "MessageConsumer", "MessageProvider"
Part = Literal["Request", "Response"]
_SPEC_VERSIONS = {"V3": "3.0.0", "V4": "4.0"}
_INTEGER = re.compile(r"-?\d+")


class MessageHandlingError(Exception):
    """What a scenario's message handler raises when it "fails to process" a message."""


# --- one scenario's consumer test ----------------------------------------------------------------


@dataclass
class MessageConsumerTest:
    """A consumer test under construction, then what running it did."""

    spec: str
    pact: ConsumerPact
    interaction: Any  # pact-python's AsyncMessageInteraction or SyncMessageInteraction
    pact_dir: Path
    nodeid: str
    received: list[ReceivedMessage] = field(default_factory=list)
    exchanges: list[SyncMessage] = field(default_factory=list)
    ran: bool = False
    error: ConsumerContractError | None = None
    written: Path | None = None

    def run(self, exercise: Callable[[], object]) -> None:
        """Run the test as accord's plugin does: exercise, check, stage and write if it passed."""
        self.ran = True
        try:
            exercise()
            problems = self.pact.unexercised_problems()
            if problems:
                raise InteractionNotExercisedError("\n".join(problems))
        except ConsumerContractError as error:
            self.error = error
            return
        self.written = write_pact(self.pact, self.pact_dir, self.nodeid)

    def document(self) -> dict[str, Any]:
        """The pact file the test wrote (fails the step when there is none)."""
        assert self.written is not None, f"no pact file was written: {self.error}"
        loaded: dict[str, Any] = json.loads(self.written.read_text(encoding="utf-8"))
        return loaded

    def first_message(self) -> dict[str, Any]:
        """The first message of the pact file: V3 keeps them under ``messages``."""
        document = self.document()
        key = "messages" if self.spec == "V3" else "interactions"
        messages = document.get(key, [])
        assert messages, f"the pact file has no {key}: {json.dumps(document)}"
        first: dict[str, Any] = messages[0]
        return first


def write_pact(pact: ConsumerPact, directory: Path, nodeid: str) -> Path:
    """Write ``pact`` the way the plugin does at the end of a session: stage, then finalize."""
    pact_directory = PactDirectory(directory, session_id="compatibility")
    pact_directory.stage(pact, nodeid)
    finalized = pact_directory.finalize()
    assert not finalized.conflicts, finalized.conflicts
    (written,) = finalized.written
    assert written.name == pact_file_name(pact.consumer, pact.provider)
    return written


def new_consumer_test(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    spec: str,
    kind: Literal["Async", "Sync"],
) -> MessageConsumerTest:
    pact = ConsumerPact(CONSUMER, PROVIDER, specification=spec)
    description = "a synchronous message" if kind == "Sync" else "a message"
    interaction = pact.upon_receiving(description, kind)
    return MessageConsumerTest(spec, pact, interaction, tmp_path / "pacts", request.node.nodeid)


# --- reading the tables and the step arguments ---------------------------------------------------


def metadata_value(cell: str) -> Any:
    """A metadata value as the tables write it: ``JSON: …`` is a JSON value, else a string."""
    cell = cell.strip().replace('\\"', '"')
    if cell.startswith("JSON:"):
        return json.loads(cell.removeprefix("JSON:"))
    return cell


def json_fixture(name: str) -> Any:
    return json.loads(fixture_path(name).read_text(encoding="utf-8"))


def set_body(interaction: Any, body: FixtureBody, part: Part) -> None:
    """A message body: text bodies as text, anything else as bytes."""
    if body.is_text:
        interaction.with_body(body.text, body.content_type, part=part)
    else:
        interaction.with_binary_body(body.raw, body.content_type, part=part)


def configure_message(interaction: Any, row: Mapping[str, str], part: Part) -> None:
    """Apply a ``… is configured with the following:`` row (body, metadata, generators)."""
    unknown = set(row) - {"body", "metadata", "generators"}
    assert not unknown, f"this step knows body, metadata and generators, not {sorted(unknown)}"
    body = body_from_cell(row.get("body", ""))
    if body is not None:
        set_body(interaction, body, part)
    elif part == "Response":
        # a synchronous message gets a response only from a body: give it one without contents
        interaction.with_binary_body(None, "application/octet-stream", part=part)
    if row.get("metadata"):
        interaction.with_metadata(json.loads(row["metadata"]), part)
    if row.get("generators"):
        interaction.with_generators(rules_fragment(row["generators"]), part=part)


def state_parameters(datatable: Sequence[Sequence[str]]) -> dict[str, Any]:
    """A provider state's parameters: one row, each cell a JSON value."""
    (row,) = table_rows(datatable)
    return {name.strip(): json.loads(value) for name, value in row.items()}


def value_at(document: Any, path: str) -> Any:
    """The value at a simple JSON path (``$.a.b``, ``$.a[0]``)."""
    tokens = re.findall(r"\.([^.\[\]]+)|\[(\d+)\]", path.removeprefix("$"))
    value = document
    for name, index in tokens:
        value = value[int(index)] if index else value[name]
    return value


def assert_replaced_with(kind: str, original: Any, value: Any) -> None:
    """A generated value: different from the example and of the kind the scenario names."""
    assert kind == "integer", f"this step knows how to check integers, not {kind!r}"
    assert value != original, f"the example value {original!r} was not replaced"
    shown = value if isinstance(value, str) else json.dumps(value)
    assert _INTEGER.fullmatch(shown), f"expected an integer, got {value!r}"


def json_contents(raw: str | bytes | None) -> Any:
    assert raw is not None, "the message has no contents"
    return json.loads(raw)


# --- steps shared with the synchronous message module --------------------------------------------


def define_shared_message_steps() -> None:
    """Define the steps both message-consumer modules use, in the calling module."""
    caller = 2  # the steps belong to the module that called this function

    @when("the Pact file for the test is generated", stacklevel=caller)
    def _generate(message_test: MessageConsumerTest) -> None:
        message_test.written = write_pact(
            message_test.pact, message_test.pact_dir, message_test.nodeid
        )

    @then(
        parsers.re(r'the first interaction in the Pact file will have a type of "(?P<kind>[^"]+)"'),
        stacklevel=caller,
    )
    def _type(message_test: MessageConsumerTest, kind: str) -> None:
        assert message_test.document()["interactions"][0]["type"] == kind

    @then(
        parsers.re(
            r'the first interaction in the Pact file will have "(?P<name>[^"]+)"'
            r" = '(?P<value>.*)'"
        ),
        stacklevel=caller,
    )
    def _attribute(message_test: MessageConsumerTest, name: str, value: str) -> None:
        interaction = message_test.document()["interactions"][0]
        assert name in interaction, f"the interaction has no {name!r}: {interaction}"
        assert interaction[name] == json.loads(value)

    @then(
        parsers.re(r"the consumer test will have (?P<verdict>passed|failed)"),
        stacklevel=caller,
    )
    def _verdict(message_test: MessageConsumerTest, verdict: str) -> None:
        assert message_test.ran, "the consumer test never ran"
        if verdict == "passed":
            assert message_test.error is None, f"the consumer test failed: {message_test.error}"
        else:
            assert message_test.error is not None, "the consumer test passed"

    @then(
        parsers.re(
            r"a Pact file for the message interaction will(?P<negated> NOT)? have been written"
        ),
        stacklevel=caller,
    )
    def _written(message_test: MessageConsumerTest, negated: str | None) -> None:
        files = sorted(message_test.pact_dir.glob("*.json"))
        if negated:
            assert message_test.written is None
            assert files == [], f"pact files were written: {files}"
            return
        assert message_test.written is not None, f"no pact file was written: {message_test.error}"
        assert files == [message_test.written], f"expected one pact file, found {files}"
        document = message_test.document()
        assert (
            document["metadata"]["pactSpecification"]["version"]
            == _SPEC_VERSIONS[message_test.spec]
        )
        # accord's own model reads what its consumer layer wrote (the verifier will load it)
        loaded = load_pact(message_test.written)
        written = document.get("messages", []) + document.get("interactions", [])
        assert (loaded.consumer, loaded.provider) == (CONSUMER, PROVIDER)
        assert len(loaded.interactions) == len(written)

    @then(
        parsers.re(
            r"the first message in the [Pp]act file will contain (?P<count>\d+) provider states?"
        ),
        stacklevel=caller,
    )
    def _state_count(message_test: MessageConsumerTest, count: str) -> None:
        states = message_test.first_message().get("providerStates", [])
        assert len(states) == int(count), f"provider states: {states}"

    @then(
        parsers.re(
            r'the first message in the [Pp]act file will contain provider state "(?P<name>[^"]+)"'
        ),
        stacklevel=caller,
    )
    def _state(message_test: MessageConsumerTest, name: str) -> None:
        states = message_test.first_message().get("providerStates", [])
        assert name in [state["name"] for state in states], f"provider states: {states}"

    @then(
        parsers.re(
            r'the provider state "(?P<name>[^"]+)" for the message will contain the following'
            r" parameters:"
        ),
        stacklevel=caller,
    )
    def _state_parameters(
        message_test: MessageConsumerTest, name: str, datatable: list[list[str]]
    ) -> None:
        (row,) = table_rows(datatable)
        states = message_test.first_message().get("providerStates", [])
        named = [state for state in states if state["name"] == name]
        assert len(named) == 1, f"provider states: {states}"
        assert named[0].get("params") == json.loads(row["parameters"])


define_shared_message_steps()


# --- given ---------------------------------------------------------------------------------------


@given(
    "a message integration is being defined for a consumer test",
    target_fixture="message_test",
)
def v3_message(request: pytest.FixtureRequest, tmp_path: Path) -> MessageConsumerTest:
    return new_consumer_test(request, tmp_path, "V3", "Async")


@given(
    "a message interaction is being defined for a consumer test",
    target_fixture="message_test",
)
def v4_message(request: pytest.FixtureRequest, tmp_path: Path) -> MessageConsumerTest:
    return new_consumer_test(request, tmp_path, "V4", "Async")


@given(parsers.re(r'the message payload contains the "(?P<name>[^"]+)" JSON document'))
def json_payload(message_test: MessageConsumerTest, name: str) -> None:
    body = body_from_cell(f"file: {name}.json")
    assert body is not None
    set_body(message_test.interaction, body, "Request")


@given("the message contains the following metadata:")
def message_metadata(message_test: MessageConsumerTest, datatable: list[list[str]]) -> None:
    for row in table_rows(datatable):
        message_test.interaction.with_metadata({row["key"]: metadata_value(row["value"])})


@given(parsers.re(r'a provider state "(?P<name>[^"]+)" for the message is specified'))
def provider_state(message_test: MessageConsumerTest, name: str) -> None:
    message_test.interaction.given(name)


@given(
    parsers.re(
        r'a provider state "(?P<name>[^"]+)" for the message is specified with the following'
        r" data:"
    )
)
def provider_state_with_data(
    message_test: MessageConsumerTest, name: str, datatable: list[list[str]]
) -> None:
    message_test.interaction.given(name, state_parameters(datatable))


@given("a message is defined")
def message_is_defined(message_test: MessageConsumerTest) -> None:
    """The message exists since the first step; it is the pact's one message."""
    assert len(list(message_test.pact.interactions("Async"))) == 1


@given("the message is configured with the following:")
def message_configured(message_test: MessageConsumerTest, datatable: list[list[str]]) -> None:
    configure_message(message_test.interaction, changes_from_table(datatable), "Request")


@given(parsers.re(r'a key of "(?P<key>[^"]+)" is specified for the message interaction'))
def message_key(message_test: MessageConsumerTest, key: str) -> None:
    message_test.interaction.set_key(key)


@given("the message interaction is marked as pending")
def message_pending(message_test: MessageConsumerTest) -> None:
    message_test.interaction.set_pending(pending=True)


@given(parsers.re(r'a comment "(?P<comment>[^"]+)" is added to the message interaction'))
def message_comment(message_test: MessageConsumerTest, comment: str) -> None:
    message_test.interaction.add_text_comment(comment)


# --- when ----------------------------------------------------------------------------------------


@when("the message is successfully processed")
def processed(message_test: MessageConsumerTest) -> None:
    def handler(contents: str | bytes | None, metadata: dict[str, object]) -> None:
        message_test.received.append(ReceivedMessage(contents, metadata))

    message_test.run(lambda: message_test.pact.verify(handler, "Async"))


@when(
    parsers.re(r'the message is NOT successfully processed with a "(?P<failure>[^"]+)" exception')
)
def not_processed(message_test: MessageConsumerTest, failure: str) -> None:
    def handler(contents: str | bytes | None, metadata: dict[str, object]) -> None:
        message_test.received.append(ReceivedMessage(contents, metadata))
        raise MessageHandlingError(failure)

    message_test.run(lambda: message_test.pact.verify(handler, "Async"))


# --- then ----------------------------------------------------------------------------------------


def only_received(message_test: MessageConsumerTest) -> ReceivedMessage:
    assert message_test.ran, "the consumer test never ran"
    assert len(message_test.received) == 1, f"received {message_test.received}"
    return message_test.received[0]


@then(parsers.re(r'the received message payload will contain the "(?P<name>[^"]+)" JSON document'))
def received_payload(message_test: MessageConsumerTest, name: str) -> None:
    assert json_contents(only_received(message_test).contents) == json_fixture(f"{name}.json")


@then(parsers.re(r'the received message content type will be "(?P<content_type>[^"]+)"'))
def received_content_type(message_test: MessageConsumerTest, content_type: str) -> None:
    assert only_received(message_test).content_type == content_type


@then(parsers.re(r'the consumer test error will be "(?P<text>[^"]+)"'))
def consumer_error(message_test: MessageConsumerTest, text: str) -> None:
    error = message_test.error
    assert error is not None, "the consumer test passed"
    cause = error.__cause__
    assert isinstance(cause, MessageHandlingError), f"the failure was not the handler's: {error}"
    assert str(cause) == text
    # the consumer's report names the message that failed and what the handler said
    assert "'a message'" in str(error) and text in str(error), str(error)


@then(parsers.re(r"the pact file will contain (?P<count>\d+) message interactions?"))
def message_count(message_test: MessageConsumerTest, count: str) -> None:
    document = message_test.document()
    assert len(document.get("messages", [])) == int(count), document


@then(parsers.re(r'the first message in the pact file will contain the "(?P<name>[^"]+)" document'))
def pact_message_document(message_test: MessageConsumerTest, name: str) -> None:
    assert message_test.first_message()["contents"] == json_fixture(name)


@then(
    parsers.re(r'the first message in the pact file content type will be "(?P<content_type>[^"]+)"')
)
def pact_message_content_type(message_test: MessageConsumerTest, content_type: str) -> None:
    assert message_test.first_message()["metadata"]["contentType"] == content_type


@then(parsers.re(r'the received message metadata will contain "(?P<key>[^"]+)" == "(?P<value>.*)"'))
def received_metadata(message_test: MessageConsumerTest, key: str, value: str) -> None:
    metadata = only_received(message_test).metadata
    assert key in metadata, f"received metadata: {metadata}"
    assert metadata[key] == metadata_value(value)


@then(
    parsers.re(
        r'the received message metadata will contain "(?P<key>[^"]+)" replaced with an?'
        r' "(?P<kind>[^"]+)"'
    )
)
def received_metadata_generated(message_test: MessageConsumerTest, key: str, kind: str) -> None:
    original = message_test.first_message()["metadata"][key]
    assert_replaced_with(kind, original, only_received(message_test).metadata.get(key))


@then(
    parsers.re(
        r'the first message in the pact file will contain the message metadata "(?P<key>[^"]+)"'
        r' == "(?P<value>.*)"'
    )
)
def pact_message_metadata(message_test: MessageConsumerTest, key: str, value: str) -> None:
    metadata = message_test.first_message()["metadata"]
    assert key in metadata, f"message metadata in the pact file: {metadata}"
    assert metadata[key] == metadata_value(value)


@then(
    parsers.re(
        r'the message contents for "(?P<path>[^"]+)" will have been replaced with an?'
        r' "(?P<kind>[^"]+)"'
    )
)
def received_contents_generated(message_test: MessageConsumerTest, path: str, kind: str) -> None:
    original = value_at(message_test.first_message()["contents"], path)
    received = json_contents(only_received(message_test).contents)
    assert_replaced_with(kind, original, value_at(received, path))
