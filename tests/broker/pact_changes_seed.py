"""Two versions of a V4 pact that change every part of an interaction: the request (query,
headers, body, rules, generators), provider state params, an asynchronous message's contents
and metadata, and both sides of a synchronous message. Used by the semantic diff's tests."""

from typing import Any


def _json(content: Any) -> dict[str, Any]:
    return {"content": content, "contentType": "application/json", "encoded": False}


def _rules(category: str, rules: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {category: {k: {"combine": "AND", "matchers": m} for k, m in rules.items()}}


def _pact(interactions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "consumer": {"name": "Web"},
        "provider": {"name": "Accounts"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


def _http(*, new: bool) -> dict[str, Any]:
    request_rules = {
        **_rules(
            "body", {"$.email": [{"match": "type"}]} if new else {"$.name": [{"match": "type"}]}
        ),
        **_rules(
            "query", {"source": [{"match": "regex", "regex": "web|app|cli" if new else "web|app"}]}
        ),
    }
    request: dict[str, Any] = {
        "method": "POST",
        "path": "/accounts",
        "query": {"source": ["web"], **({"dryRun": ["true"]} if new else {})},
        "headers": {"Content-Type": ["application/json"]}
        | ({"Authorization": ["Bearer abc"]} if new else {"X-Trace": ["t-1"]}),
        "body": _json(
            {"name": "Ann", "age": "30", "email": "a@b.c"}
            if new
            else {"name": "Ann", "age": 30, "nick": "A"}
        ),
        "matchingRules": request_rules,
    }
    if new:
        request["generators"] = {"path": {"type": "ProviderState", "expression": "/accounts/${id}"}}
    return {
        "type": "Synchronous/HTTP",
        "description": "create an account",
        "providerStates": [{"name": "a user exists", "params": {"id": 2 if new else 1}}],
        "request": request,
        "response": {
            "status": 201,
            "headers": {"Content-Type": ["application/json"]},
            "body": _json({"id": 2, "state": "active"} if new else {"id": 1, "state": "new"}),
            "matchingRules": _rules("body", {"$.id": [{"match": "integer"}]}),
        },
    }


def _event(*, new: bool) -> dict[str, Any]:
    contents = {"id": 7, "type": "created"} | ({"at": "2026-01-01"} if new else {})
    return {
        "type": "Asynchronous/Messages",
        "description": "an account created event",
        "contents": _json(contents),
        "metadata": {"topic": "accounts-v2" if new else "accounts"} | ({"key": "k"} if new else {}),
        "matchingRules": {} if new else _rules("content", {"$.id": [{"match": "integer"}]}),
    }


def _sync(*, new: bool) -> dict[str, Any]:
    return {
        "type": "Synchronous/Messages",
        "description": "look up an account by message",
        "request": {"contents": _json({"id": 7} | ({"verbose": True} if new else {}))},
        "response": [
            {
                "contents": _json({"name": "Ann"} | ({"nickname": "A"} if new else {})),
                "metadata": {"status": "OK" if new else "FOUND"},
            }
        ],
    }


OLD = _pact([_http(new=False), _event(new=False), _sync(new=False)])
NEW = _pact([_http(new=True), _event(new=True), _sync(new=True)])

EXPECTED: set[tuple[str, bool, str, str]] = {
    # (interaction, asks more, location, message)
    (
        "create an account",
        True,
        "providerStates['a user exists'].params.id",
        "the provider state 'a user exists' param 'id' changed from 1 to 2",
    ),
    (
        "create an account",
        True,
        "request.query.dryRun",
        "request query parameter 'dryRun' now sent",
    ),
    (
        "create an account",
        True,
        "request.headers.Authorization",
        "request header 'Authorization' now sent",
    ),
    (
        "create an account",
        True,
        "request.headers.X-Trace",
        "request header 'X-Trace' no longer sent",
    ),
    ("create an account", True, "request.body.email", "field email now sent"),
    ("create an account", True, "request.body.nick", "field nick no longer sent"),
    ("create an account", True, "request.body.age", "age changed from a number to a string"),
    (
        "create an account",
        False,
        "request.matchingRules.body['$.name']",
        "the rule at $.name was removed (exact value now)",
    ),
    (
        "create an account",
        True,
        "request.matchingRules.body['$.email']",
        "a rule at $.email was added (looser than an exact value)",
    ),
    (
        "create an account",
        True,
        "request.matchingRules.query['source']",
        "the rule at source changed its regex from 'web|app' to 'web|app|cli'",
    ),
    (
        "create an account",
        True,
        "request.generators.path",
        "a ProviderState(expression='/accounts/${id}') generator was added",
    ),
    (
        "create an account",
        False,
        "response.body.id",
        "id changed from 1 to 2 (a matching rule accepts both)",
    ),
    ("create an account", True, "response.body.state", "state changed from 'new' to 'active'"),
    ("an account created event", True, "message.contents.at", "field at now expected"),
    (
        "an account created event",
        True,
        "message.metadata.topic",
        "message metadata entry 'topic' changed from 'accounts' to 'accounts-v2'",
    ),
    (
        "an account created event",
        True,
        "message.metadata.key",
        "message metadata entry 'key' now expected",
    ),
    (
        "an account created event",
        True,
        "message.matchingRules.content['$.id']",
        "the rule at $.id was removed (exact value now)",
    ),
    ("look up an account by message", True, "request.contents.verbose", "field verbose now sent"),
    (
        "look up an account by message",
        True,
        "response[0].contents.nickname",
        "field nickname now expected",
    ),
    (
        "look up an account by message",
        True,
        "response[0].metadata.status",
        "response[0] metadata entry 'status' changed from 'FOUND' to 'OK'",
    ),
}
