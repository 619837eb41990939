"""Compatibility suite: synchronous message consumers (V4/synchronous_message_consumer).

A synchronous message consumer sends a request message and handles the response messages it
gets back. Each scenario defines one synchronous message on a
:class:`~accord.consumer.contract.ConsumerPact`, runs the consumer test with
``ConsumerPact.verify_sync`` (the handler receives the whole exchange: the request it sends and
the responses, generators applied), and reads back the pact file accord writes for a test that
passed. The consumer-test machinery and the steps shared with the asynchronous message features
live in ``test_message_consumer``.
"""

import base64
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from accord.consumer import ReceivedMessage, SyncMessage
from tests.compatibility.suite import (
    FixtureBody,
    body_from_cell,
    changes_from_table,
    feature,
    table_rows,
)
from tests.compatibility.test_message_consumer import (
    MessageConsumerTest,
    Part,
    assert_replaced_with,
    configure_message,
    define_shared_message_steps,
    json_contents,
    metadata_value,
    new_consumer_test,
    set_body,
    state_parameters,
    value_at,
)

scenarios(feature("V4/synchronous_message_consumer.feature"))

define_shared_message_steps()

_ORDINALS = {"first": 0, "second": 1, "third": 2}


def document_body(cell: str) -> FixtureBody:
    body = body_from_cell(cell)
    assert body is not None, f"no document in {cell!r}"
    return body


def assert_contents(contents: Any, body: FixtureBody) -> None:
    """A message's contents in a V4 pact file are the document: JSON equal, else the same text."""
    assert contents.get("contentType") == body.content_type, contents
    content = contents.get("content")
    if contents.get("encoded"):
        assert base64.b64decode(content) == body.raw
    elif body.is_json:
        assert content == body.json()
    else:
        assert content == body.text


def assert_received(message: ReceivedMessage, body: FixtureBody) -> None:
    """What the consumer received is the document, as JSON or as the same bytes."""
    if body.is_json:
        assert json_contents(message.contents) == body.json()
    else:
        received = message.contents
        raw = received.encode("utf-8") if isinstance(received, str) else received
        assert raw == body.raw, f"received {received!r}"


# --- given ---------------------------------------------------------------------------------------


@given(
    "a synchronous message interaction is being defined for a consumer test",
    target_fixture="message_test",
)
def sync_message(request: pytest.FixtureRequest, tmp_path: Path) -> MessageConsumerTest:
    return new_consumer_test(request, tmp_path, "V4", "Sync")


@given(
    parsers.re(r'a key of "(?P<key>[^"]+)" is specified for the synchronous message interaction')
)
def sync_key(message_test: MessageConsumerTest, key: str) -> None:
    message_test.interaction.set_key(key)


@given("the synchronous message interaction is marked as pending")
def sync_pending(message_test: MessageConsumerTest) -> None:
    message_test.interaction.set_pending(pending=True)


@given(
    parsers.re(r'a comment "(?P<comment>[^"]+)" is added to the synchronous message interaction')
)
def sync_comment(message_test: MessageConsumerTest, comment: str) -> None:
    message_test.interaction.add_text_comment(comment)


@given(parsers.re(r'the message request payload contains the "(?P<name>[^"]+)" JSON document'))
def request_payload(message_test: MessageConsumerTest, name: str) -> None:
    set_body(message_test.interaction, document_body(f"file: {name}.json"), "Request")


@given(parsers.re(r'the message response payload contains the "(?P<cell>[^"]+)" document'))
def response_payload(message_test: MessageConsumerTest, cell: str) -> None:
    set_body(message_test.interaction, document_body(cell), "Response")


@given("the message request contains the following metadata:")
def request_metadata(message_test: MessageConsumerTest, datatable: list[list[str]]) -> None:
    for row in table_rows(datatable):
        message_test.interaction.with_metadata(
            {row["key"]: metadata_value(row["value"])}, "Request"
        )


@given(parsers.re(r'a provider state "(?P<name>[^"]+)" for the synchronous message is specified'))
def sync_state(message_test: MessageConsumerTest, name: str) -> None:
    message_test.interaction.given(name)


@given(
    parsers.re(
        r'a provider state "(?P<name>[^"]+)" for the synchronous message is specified with the'
        r" following data:"
    )
)
def sync_state_with_data(
    message_test: MessageConsumerTest, name: str, datatable: list[list[str]]
) -> None:
    message_test.interaction.given(name, state_parameters(datatable))


@given(parsers.re(r"the message (?P<part>request|response) is configured with the following:"))
def part_configured(
    message_test: MessageConsumerTest, part: str, datatable: list[list[str]]
) -> None:
    side: Part = "Request" if part == "request" else "Response"
    configure_message(message_test.interaction, changes_from_table(datatable), side)


# --- when ----------------------------------------------------------------------------------------


@when("the message is successfully processed")
def processed(message_test: MessageConsumerTest) -> None:
    message_test.run(lambda: message_test.pact.verify_sync(message_test.exchanges.append))


# --- then ----------------------------------------------------------------------------------------


def only_exchange(message_test: MessageConsumerTest) -> SyncMessage:
    assert message_test.ran, "the consumer test never ran"
    assert len(message_test.exchanges) == 1, f"received {message_test.exchanges}"
    return message_test.exchanges[0]


def first_response(message_test: MessageConsumerTest) -> ReceivedMessage:
    responses = only_exchange(message_test).responses
    assert responses, "the consumer received no response message"
    return responses[0]


def received_part(message_test: MessageConsumerTest, part: str) -> ReceivedMessage:
    return (
        only_exchange(message_test).request if part == "request" else first_response(message_test)
    )


def pact_part(message_test: MessageConsumerTest, part: str) -> dict[str, Any]:
    interaction = message_test.document()["interactions"][0]
    assert interaction["type"] == "Synchronous/Messages", interaction
    chosen: dict[str, Any] = (
        interaction["request"] if part == "request" else interaction["response"][0]
    )
    return chosen


@then(parsers.re(r'the received message payload will contain the "(?P<cell>[^"]+)" document'))
def received_payload(message_test: MessageConsumerTest, cell: str) -> None:
    assert_received(first_response(message_test), document_body(cell))


@then(parsers.re(r'the received message content type will be "(?P<content_type>[^"]+)"'))
def received_content_type(message_test: MessageConsumerTest, content_type: str) -> None:
    assert first_response(message_test).content_type == content_type


@then(parsers.re(r"the pact file will contain (?P<count>\d+) interactions?"))
def interaction_count(message_test: MessageConsumerTest, count: str) -> None:
    assert len(message_test.document()["interactions"]) == int(count)


@then(
    parsers.re(
        r'the first interaction in the pact file will contain the "(?P<cell>[^"]+)" document as'
        r" the request"
    )
)
def pact_request_document(message_test: MessageConsumerTest, cell: str) -> None:
    assert_contents(pact_part(message_test, "request")["contents"], document_body(cell))


@then(
    parsers.re(
        r'the first interaction in the pact file will contain the "(?P<cell>[^"]+)" document as'
        r" a response"
    )
)
def pact_response_document(message_test: MessageConsumerTest, cell: str) -> None:
    assert_contents(pact_part(message_test, "response")["contents"], document_body(cell))


@then(
    parsers.re(
        r"the first interaction in the pact file (?P<part>request|response) content type will be"
        r' "(?P<content_type>[^"]+)"'
    )
)
def pact_content_type(message_test: MessageConsumerTest, part: str, content_type: str) -> None:
    contents = pact_part(message_test, part)
    assert contents["contents"]["contentType"] == content_type
    assert contents["metadata"]["contentType"] == content_type


@then(
    parsers.re(
        r"the first interaction in the pact file will contain (?P<count>\d+) response messages"
    )
)
def response_count(message_test: MessageConsumerTest, count: str) -> None:
    assert len(message_test.document()["interactions"][0]["response"]) == int(count)


@then(
    parsers.re(
        r'the first interaction in the pact file will contain the "(?P<cell>[^"]+)" document as'
        r" the (?P<ordinal>first|second|third) response message"
    )
)
def pact_nth_response(message_test: MessageConsumerTest, cell: str, ordinal: str) -> None:
    responses = message_test.document()["interactions"][0]["response"]
    assert_contents(responses[_ORDINALS[ordinal]]["contents"], document_body(cell))


@then(
    parsers.re(
        r'the received message (?P<part>request|response) metadata will contain "(?P<key>[^"]+)"'
        r' == "(?P<value>.*)"'
    )
)
def received_metadata(message_test: MessageConsumerTest, part: str, key: str, value: str) -> None:
    metadata = received_part(message_test, part).metadata
    assert key in metadata, f"received {part} metadata: {metadata}"
    assert metadata[key] == metadata_value(value)


@then(
    parsers.re(
        r'the received message (?P<part>request|response) metadata will contain "(?P<key>[^"]+)"'
        r' replaced with an? "(?P<kind>[^"]+)"'
    )
)
def received_metadata_generated(
    message_test: MessageConsumerTest, part: str, key: str, kind: str
) -> None:
    original = pact_part(message_test, part)["metadata"][key]
    assert_replaced_with(kind, original, received_part(message_test, part).metadata.get(key))


@then(
    parsers.re(
        r"the first message in the pact file will contain the request message metadata"
        r' "(?P<key>[^"]+)" == "(?P<value>.*)"'
    )
)
def pact_request_metadata(message_test: MessageConsumerTest, key: str, value: str) -> None:
    metadata = pact_part(message_test, "request")["metadata"]
    assert key in metadata, f"request metadata in the pact file: {metadata}"
    assert metadata[key] == metadata_value(value)


@then(
    parsers.re(
        r'the message (?P<part>request|response) contents for "(?P<path>[^"]+)" will have been'
        r' replaced with an? "(?P<kind>[^"]+)"'
    )
)
def received_contents_generated(
    message_test: MessageConsumerTest, part: str, path: str, kind: str
) -> None:
    original = value_at(pact_part(message_test, part)["contents"]["content"], path)
    received = json_contents(received_part(message_test, part).contents)
    assert_replaced_with(kind, original, value_at(received, path))
