"""Webhook commands send the bodies and paths the official CLI sends."""

import json

from cli_support import Accord, recording_broker

from accord.testing import serve_app

INDEX = {
    "_links": {
        "pb:webhooks": {"href": "/webhooks"},
        "pb:webhook": {"href": "/webhooks/{uuid}", "templated": True},
    }
}
CREATED = {"uuid": "abc", "_links": {"self": {"href": "/webhooks/abc"}}}


def test_create_webhook_for_a_pair_posts_to_the_pair_path() -> None:
    app, seen = recording_broker(
        {"POST /webhooks/provider/Accounts/consumer/Web": [(201, CREATED)]}
    )
    with serve_app(app) as stub:
        result = Accord(stub.url)(
            "create-webhook", "https://ci.example.com/hook", "-X", "post",
            "-H", "Content-Type: application/json", "X-Token: abc",
            "-d", '{"pact": "${pactbroker.pactUrl}"}', "--user", "hook:pass",
            "--consumer", "Web", "--provider", "Accounts", "--description", "notify CI",
            "--contract-content-changed", "--provider-verification-published",
        )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["uuid"] == "abc"
    assert seen[-1].body == {
        "events": [
            {"name": "contract_content_changed"},
            {"name": "provider_verification_published"},
        ],
        "request": {
            "method": "POST",
            "url": "https://ci.example.com/hook",
            "headers": {"Content-Type": "application/json", "X-Token": "abc"},
            "body": {"pact": "${pactbroker.pactUrl}"},
            "username": "hook",
            "password": "pass",
        },
        "description": "notify CI",
        "consumer": {"name": "Web"},
        "provider": {"name": "Accounts"},
    }


def test_create_webhook_for_a_provider_posts_to_the_index_relation() -> None:
    app, seen = recording_broker({"GET /": [(200, INDEX)], "POST /webhooks": [(201, CREATED)]})
    with serve_app(app) as stub:
        result = Accord(stub.url)(
            "create-webhook", "https://ci/hook", "--provider", "Accounts",
            "--contract-requiring-verification-published",
        )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert seen[-1].path == "/webhooks"
    assert seen[-1].body["provider"] == {"name": "Accounts"}


def test_a_webhook_needs_an_event() -> None:
    result = Accord("http://127.0.0.1:9")("create-webhook", "https://ci/hook")

    assert result.exit_code == 2
    assert "at least one event" in result.stderr


def test_create_or_update_webhook_puts_by_uuid() -> None:
    app, seen = recording_broker(
        {"GET /": [(200, INDEX)], "PUT /webhooks/0123456789abcdef": [(201, CREATED)]}
    )
    with serve_app(app) as stub:
        result = Accord(stub.url)(
            "create-or-update-webhook", "https://ci/hook", "--uuid", "0123456789abcdef",
            "--contract-published",
        )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert seen[-1].method == "PUT"
    assert seen[-1].body["events"] == [{"name": "contract_published"}]


def test_test_webhook_executes_it() -> None:
    webhook = {"_links": {"pb:execute": {"href": "/webhooks/abc/execute"}}}
    app, seen = recording_broker(
        {
            "GET /": [(200, INDEX)],
            "GET /webhooks/abc": [(200, webhook)],
            "POST /webhooks/abc/execute": [(200, {"success": True, "logs": "ok"})],
        }
    )
    with serve_app(app) as stub:
        result = Accord(stub.url)("test-webhook", "--uuid", "abc")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["success"] is True
    assert seen[-1].path == "/webhooks/abc/execute"
