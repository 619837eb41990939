"""Webhooks: create, create-or-update by uuid, and test-execute."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accord.broker_client.client import BrokerClient, JsonObject, expand_href
from accord.errors import PublishConfigError

#: Hard-coded by the official clients when both consumer and provider are given.
PAIR_WEBHOOKS_PATH = "/webhooks/provider/{provider}/consumer/{consumer}"
WEBHOOK_PATH = "/webhooks/{uuid}"

EVENT_FLAGS = (
    "contract_content_changed",
    "contract_published",
    "provider_verification_published",
    "provider_verification_failed",
    "provider_verification_succeeded",
    "contract_requiring_verification_published",
)


@dataclass(frozen=True, slots=True)
class WebhookSpec:
    """A webhook as the command line describes it."""

    url: str
    method: str = "POST"
    headers: Sequence[str] = ()
    data: str | None = None
    user: str | None = None
    consumer: str | None = None
    consumer_label: str | None = None
    provider: str | None = None
    provider_label: str | None = None
    description: str | None = None
    events: Sequence[str] = ()
    team_uuid: str | None = None


def _headers(lines: Sequence[str]) -> dict[str, str]:
    headers = {}
    for line in lines:
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise PublishConfigError(
                f"webhook header {line!r} is not 'Name: value', "
                "e.g. -H 'Content-Type: application/json'"
            )
        headers[name.strip()] = value.strip()
    return headers


def _payload(data: str | None) -> Any:
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return data  # a non-JSON body is sent as a string, as the broker allows


def webhook_body(spec: WebhookSpec) -> JsonObject:
    """The webhook JSON the broker stores (request, events, optional consumer/provider)."""
    if not spec.events:
        raise PublishConfigError(
            "a webhook needs at least one event, e.g. --contract-content-changed or "
            "--provider-verification-published"
        )
    if spec.consumer and spec.consumer_label:
        raise PublishConfigError("--consumer and --consumer-label exclude each other")
    if spec.provider and spec.provider_label:
        raise PublishConfigError("--provider and --provider-label exclude each other")
    request: JsonObject = {"method": spec.method.upper(), "url": spec.url}
    headers = _headers(spec.headers)
    if headers:
        request["headers"] = headers
    payload = _payload(spec.data)
    if payload is not None:
        request["body"] = payload
    if spec.user:
        username, _, password = spec.user.partition(":")
        request["username"] = username
        request["password"] = password
    body: JsonObject = {"events": [{"name": name} for name in spec.events], "request": request}
    if spec.description:
        body["description"] = spec.description
    if spec.consumer:
        body["consumer"] = {"name": spec.consumer}
    elif spec.consumer_label:
        body["consumer"] = {"label": spec.consumer_label}
    if spec.provider:
        body["provider"] = {"name": spec.provider}
    elif spec.provider_label:
        body["provider"] = {"label": spec.provider_label}
    if spec.team_uuid:
        body["teamUuid"] = spec.team_uuid
    return body


def create_webhook(client: BrokerClient, spec: WebhookSpec) -> JsonObject:
    body = webhook_body(spec)
    if spec.consumer and spec.provider:
        href = expand_href(
            PAIR_WEBHOOKS_PATH, {"provider": spec.provider, "consumer": spec.consumer}
        )
        return client.post_json(href, body)
    return client.post_json(client.index_link("pb:webhooks"), body)


def _webhook_href(client: BrokerClient, uuid: str) -> str:
    links = client.index().get("_links", {})
    if isinstance(links, dict) and "pb:webhook" in links:
        return client.index_link("pb:webhook", uuid=uuid)
    return expand_href(WEBHOOK_PATH, {"uuid": uuid})


def create_or_update_webhook(client: BrokerClient, uuid: str, spec: WebhookSpec) -> JsonObject:
    """``PUT /webhooks/{uuid}``: creates the webhook with that uuid, or replaces it."""
    return client.put_json(_webhook_href(client, uuid), webhook_body(spec))


def test_webhook(client: BrokerClient, uuid: str) -> JsonObject:
    """Run the webhook now (``pb:execute``) and return the broker's execution report."""
    webhook = client.get_json(_webhook_href(client, uuid))
    return client.post_json(client.link(webhook, "pb:execute"), {})


def delete_webhook(client: BrokerClient, uuid: str) -> None:
    client.delete(_webhook_href(client, uuid))
