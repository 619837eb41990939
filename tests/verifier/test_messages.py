"""Message pacts: V3 messages, V4 asynchronous and synchronous messages."""

import base64
from typing import Any

from verifier_providers import pact_document

from accord.verifier import Message, MessageProducers, verify


def _v3_message(description: str = "a transfer-completed event") -> dict[str, Any]:
    return {
        "description": description,
        "providerStates": [{"name": "a transfer happened", "params": {"id": "t-1"}}],
        "contents": {"transferId": "t-1", "amount": 10},
        "metadata": {"topic": "transfers"},
        "matchingRules": {"body": {"$.amount": {"matchers": [{"match": "integer"}]}}},
    }


def _message_pact(*messages: dict[str, Any]) -> dict[str, Any]:
    return pact_document(
        [], consumer="notifications", provider="transfers", messages=list(messages)
    )


def test_a_producer_function_makes_a_v3_message_that_matches(write_pact) -> None:
    producers = MessageProducers()
    seen: list[dict[str, Any]] = []

    @producers("a transfer-completed event")
    def transfer_completed(params: dict[str, Any]) -> Message:
        seen.append(params)
        return Message({"transferId": params["id"], "amount": 99}, {"topic": "transfers"})

    pact = write_pact(_message_pact(_v3_message()))
    result = verify(files=[pact], message_producers=producers, output=None)
    assert result.success
    [interaction] = result.interactions
    assert interaction.kind == "message"
    assert seen == [{"id": "t-1"}]


def test_message_metadata_and_contents_mismatches_are_reported(write_pact) -> None:
    producers = MessageProducers(
        {
            "a transfer-completed event": lambda: {
                "contents": {"transferId": "t-1", "amount": "ten"},
                "metadata": {"topic": "payments"},
            }
        }
    )
    pact = write_pact(_message_pact(_v3_message()))
    result = verify(files=[pact], message_producers=producers, output=None, raise_on_failure=False)
    [failed] = result.failures
    attributes = {m.attribute for m in failed.mismatches}
    assert attributes == {"body", "metadata"}


def test_a_missing_producer_is_named_in_the_failure(write_pact) -> None:
    pact = write_pact(_message_pact(_v3_message()))
    result = verify(
        files=[pact], message_producers=MessageProducers(), output=None, raise_on_failure=False
    )
    [failed] = result.failures
    assert "no producer for message 'a transfer-completed event'" in (failed.error or "")


def test_v4_async_messages_can_come_from_an_http_endpoint(write_pact, serve_accounts) -> None:
    server, app = serve_accounts()
    message = {
        "type": "Asynchronous/Messages",
        "description": "a transfer-completed event",
        "providerStates": [{"name": "a transfer happened"}],
        "contents": {
            "content": {"transferId": "t-1", "amount": 10},
            "contentType": "application/json",
            "encoded": False,
        },
        "metadata": {"topic": "transfers"},
    }
    pact = write_pact(
        pact_document([message], consumer="notifications", provider="transfers", spec="4.0")
    )
    result = verify(files=[pact], provider_base_url=f"{server.url}/messages", output=None)
    assert result.success
    assert app.state.state_calls[-1]["message"] == {
        "description": "a transfer-completed event",
        "providerStates": [{"name": "a transfer happened", "params": {}}],
    }


def test_v4_sync_messages_match_each_response(write_pact) -> None:
    interaction = {
        "type": "Synchronous/Messages",
        "description": "a balance query",
        "request": {"contents": {"content": {"account": 1}, "contentType": "application/json"}},
        "response": [{"contents": {"content": {"balance": 10}, "contentType": "application/json"}}],
        "matchingRules": {},
    }
    pact = write_pact(pact_document([interaction], spec="4.0"))
    producers = MessageProducers()

    @producers("a balance query")
    def answer(request: dict[str, Any]) -> dict[str, Any]:
        return {"contents": {"balance": request["account"] * 10}}

    result = verify(files=[pact], message_producers=producers, output=None)
    assert result.interactions[0].kind == "sync-message"
    wrong = MessageProducers({"a balance query": {"contents": {"balance": 11}}})
    failed = verify(files=[pact], message_producers=wrong, output=None, raise_on_failure=False)
    assert failed.failures[0].mismatches[0].attribute == "body"


def test_binary_message_contents_are_compared_as_bytes(write_pact) -> None:
    payload = b"\x00\x01binary\xff"
    message = {
        "type": "Asynchronous/Messages",
        "description": "a binary blob",
        "contents": {
            "content": base64.b64encode(payload).decode(),
            "contentType": "application/octet-stream",
            "encoded": "base64",
        },
    }
    pact = write_pact(pact_document([message], spec="4.0"))
    good = MessageProducers(
        {"a binary blob": Message(payload, content_type="application/octet-stream")}
    )
    assert verify(files=[pact], message_producers=good, output=None).success
    bad = MessageProducers(
        {"a binary blob": Message(b"other", content_type="application/octet-stream")}
    )
    assert not verify(
        files=[pact], message_producers=bad, output=None, raise_on_failure=False
    ).success


def test_a_message_endpoint_404_says_no_producer_was_registered_and_how_to_add_one(
    write_pact,
) -> None:
    from fastapi import FastAPI

    producers = MessageProducers({"an account-opened event": {"id": 1}})
    pact = write_pact(_message_pact(_v3_message()))

    result = verify(
        files=[pact],
        app=FastAPI(),  # no message endpoint: the HTTP fallback answers 404
        message_producers=producers,
        output=None,
        raise_on_failure=False,
    )

    [failed] = result.failures
    error = failed.error or ""
    assert "HTTP 404" in error
    assert "no in-process producer is registered for message 'a transfer-completed event'" in error
    assert "registered: 'an account-opened event'" in error
    assert "@message_producer('a transfer-completed event')" in error
