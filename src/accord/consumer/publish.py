"""Publish pact files to a Pact Broker with ``POST /contracts/publish``.

This is the same exchange the official ``pact broker publish`` makes: read the index, follow
``pb:publish-contracts`` (only the path of the link is used, as the official clients do, so a
broker that renders its own host wrongly still works), and send one request per
consumer/provider pair carrying the pact as base64, together with the consumer version, branch,
tags and build URL. The broker's notices are returned so the caller can show them.
"""

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from accord.broker_client import BrokerAuth
from accord.errors import BrokerError, PactFormatError, PublishConfigError

PUBLISH_RELATION = "pb:publish-contracts"
#: Used when a broker's index has no ``pb:publish-contracts`` link (the path every broker uses).
DEFAULT_PUBLISH_PATH = "/contracts/publish"
TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class PublishOptions:
    broker_url: str
    consumer_version: str
    branch: str | None = None
    tags: tuple[str, ...] = ()
    build_url: str | None = None
    auth: BrokerAuth = field(default_factory=BrokerAuth)
    on_conflict: str = "overwrite"


@dataclass(frozen=True, slots=True)
class PublishedPact:
    """One pact the broker accepted, with the notices it answered."""

    consumer: str
    provider: str
    notices: tuple[str, ...]


def publish_pacts(
    files: Sequence[Path], options: PublishOptions, *, http: requests.Session | None = None
) -> list[PublishedPact]:
    """Publish every pact file; stop at the first broker error (raised as ``BrokerError``)."""
    if not options.broker_url:
        raise PublishConfigError(
            "no Pact Broker URL: pass --pact-broker-url or set PACT_BROKER_BASE_URL"
        )
    if not options.consumer_version:
        raise PublishConfigError(
            "no consumer version: pass --consumer-app-version (or run inside a git checkout)"
        )
    if not files:
        raise PublishConfigError("there are no pact files to publish")
    session = http or requests.Session()
    try:
        url = _publish_url(session, options)
        return [_publish_one(session, url, path, options) for path in files]
    finally:
        if http is None:
            session.close()


def publication_body(
    document: dict[str, Any], raw: bytes, options: PublishOptions
) -> dict[str, Any]:
    """The JSON body of ``POST /contracts/publish`` for one pact document."""
    consumer = str(document["consumer"]["name"])
    body: dict[str, Any] = {
        "pacticipantName": consumer,
        "pacticipantVersionNumber": options.consumer_version,
    }
    if options.branch:
        body["branch"] = options.branch
    if options.tags:
        body["tags"] = list(options.tags)
    if options.build_url:
        body["buildUrl"] = options.build_url
    body["contracts"] = [
        {
            "consumerName": consumer,
            "providerName": str(document["provider"]["name"]),
            "specification": "pact",
            "contentType": "application/json",
            "content": base64.b64encode(raw).decode("ascii"),
            "onConflict": options.on_conflict,
        }
    ]
    return body


def _headers(options: PublishOptions, *, write: bool) -> dict[str, str]:
    accept = "application/hal+json" if write else "application/hal+json, application/json"
    headers = {"Accept": accept}
    if write:
        headers["Content-Type"] = "application/json"
    authorization = options.auth.header()
    if authorization:
        headers["Authorization"] = authorization
    return headers


def _publish_url(session: requests.Session, options: PublishOptions) -> str:
    base = options.broker_url.rstrip("/")
    index_url = base + "/"
    response = _send(session, "GET", index_url, headers=_headers(options, write=False))
    links = _json(response).get("_links", {})
    href = links.get(PUBLISH_RELATION, {}).get("href") if isinstance(links, dict) else None
    if not href:
        return base + DEFAULT_PUBLISH_PATH
    path = urlsplit(urljoin(index_url, str(href))).path
    root = urlsplit(base)
    return f"{root.scheme}://{root.netloc}{path}"


def _publish_one(
    session: requests.Session, url: str, path: Path, options: PublishOptions
) -> PublishedPact:
    raw = path.read_bytes()
    try:
        document = json.loads(raw)
        consumer, provider = document["consumer"]["name"], document["provider"]["name"]
    except (ValueError, KeyError, TypeError) as exc:
        expected = "a pact with consumer.name and provider.name"
        raise PactFormatError(str(path), "$", expected) from exc
    body = publication_body(document, raw, options)
    response = _send(session, "POST", url, headers=_headers(options, write=True), json_body=body)
    notices = tuple(
        str(notice.get("text", ""))
        for notice in _json(response).get("notices", [])
        if isinstance(notice, dict)
    )
    return PublishedPact(consumer=str(consumer), provider=str(provider), notices=notices)


def _send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    json_body: dict[str, Any] | None = None,
) -> requests.Response:
    try:
        response = session.request(
            method, url, headers=headers, json=json_body, timeout=TIMEOUT_SECONDS
        )
    except requests.RequestException as exc:
        raise BrokerError(method, url, None, f"could not reach the broker: {exc}") from exc
    if response.status_code >= 400:
        raise BrokerError(method, url, response.status_code, _error_detail(response))
    return response


def _json(response: requests.Response) -> dict[str, Any]:
    if response.status_code == 204 or not response.content:
        return {}
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _error_detail(response: requests.Response) -> str:
    data = _json(response)
    parts: list[str] = []
    errors = data.get("errors")
    if isinstance(errors, dict):
        for name, messages in errors.items():
            listed = messages if isinstance(messages, list) else [messages]
            parts.extend(f"{name}: {message}" for message in listed)
    elif isinstance(errors, list):
        parts.extend(str(error) for error in errors)
    elif errors:
        parts.append(str(errors))
    for notice in data.get("notices", []):
        if isinstance(notice, dict) and notice.get("type") == "error":
            text = str(notice.get("text", ""))
            if text not in parts:
                parts.append(text)
    if not parts and data.get("error"):
        parts.append(str(data["error"]))
    return "; ".join(parts) or response.text[:500] or response.reason
