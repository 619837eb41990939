"""Broker-side webhook secrets: ``${user.NAME}`` in a definition, the value only in settings.

A webhook that calls a CI system needs a credential (GitLab's pipeline trigger token, a GitHub
token). Stored in the definition, it is one database dump or one careless reader away from
leaking; as PactFlow does, a definition may instead say ``${user.GITLAB_TOKEN}`` and the broker
fills the value in (from ``ACCORD_BROKER_WEBHOOK_SECRET_GITLAB_TOKEN``) only when it sends the
request. What the API shows and what the logs keep is the request with the placeholder.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from accord_broker.domain.webhooks.templates import RenderedRequest
from accord_broker.errors import WebhookSecretMissingError

USER_VARIABLE = re.compile(r"\$\{user\.([A-Za-z0-9_]+)\}")
_UNSAFE = re.compile(r"[\r\n\0]")


def _lookup(name: str, secrets: Mapping[str, str]) -> str:
    value = secrets.get(name, secrets.get(name.upper()))
    if value is None:
        raise WebhookSecretMissingError(
            f"the webhook uses the secret ${{user.{name}}}, which this broker does not have; "
            f"set ACCORD_BROKER_WEBHOOK_SECRET_{name.upper()} where the broker runs"
        )
    if _UNSAFE.search(value):
        raise WebhookSecretMissingError(
            f"the secret ${{user.{name}}} contains a line break or NUL, which no HTTP request "
            f"may carry; fix ACCORD_BROKER_WEBHOOK_SECRET_{name.upper()}"
        )
    return value


def _fill(text: str, secrets: Mapping[str, str], escape: Any = None) -> str:
    def replace_one(match: re.Match[str]) -> str:
        value = _lookup(match.group(1), secrets)
        return escape(value) if escape is not None else value

    return USER_VARIABLE.sub(replace_one, text)


def _fill_json(value: Any, secrets: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return _fill(value, secrets)
    if isinstance(value, list):
        return [_fill_json(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: _fill_json(item, secrets) for key, item in value.items()}
    return value


def _fill_body(body: str | None, secrets: Mapping[str, str]) -> str | None:
    if body is None or not USER_VARIABLE.search(body):
        return body
    try:
        parsed = json.loads(body)
    except ValueError:
        return _fill(body, secrets)
    # inside JSON strings, so a secret with quotes or backslashes keeps the body valid
    return json.dumps(_fill_json(parsed, secrets))


def uses_user_secrets(request: RenderedRequest) -> bool:
    parts = (request.url, request.body, request.username, request.password)
    texts = [*parts, *request.headers.values()]
    return any(text is not None and USER_VARIABLE.search(text) for text in texts)


def with_user_secrets(request: RenderedRequest, secrets: Mapping[str, str]) -> RenderedRequest:
    """``request`` with every ``${user.NAME}`` replaced by its secret (URL-encoded in the URL).

    Raises :class:`WebhookSecretMissingError` when a named secret is not configured.
    """
    if not uses_user_secrets(request):
        return request

    def optional(text: str | None) -> str | None:
        return None if text is None else _fill(text, secrets)

    return replace(
        request,
        url=_fill(request.url, secrets, escape=lambda value: quote(value, safe="")),
        headers={name: _fill(value, secrets) for name, value in request.headers.items()},
        body=_fill_body(request.body, secrets),
        username=optional(request.username),
        password=optional(request.password),
    )


def used_secret_values(request: RenderedRequest, secrets: Mapping[str, str]) -> list[str]:
    """The secret values ``request`` refers to (so logs can scrub them wherever they appear)."""
    texts = [request.url, request.body, request.username, request.password]
    names = {
        match.group(1)
        for text in [*texts, *request.headers.values()]
        if text is not None
        for match in USER_VARIABLE.finditer(text)
    }
    values = [secrets.get(name, secrets.get(name.upper(), "")) for name in names]
    encoded = [quote(value, safe="") for value in values]
    return [value for value in {*values, *encoded} if value]
