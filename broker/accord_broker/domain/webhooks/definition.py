"""A webhook definition as the broker stores and sends it, from its checked body.

The body's shape is :class:`~accord_broker.domain.webhooks.body.WebhookBody` (every shape
problem reported at once, keyed by field: ``request.url``, ``events``…, which is what the
official clients print); :func:`webhook_definition` then holds the target to the broker's
policy (allowed schemes, methods, hosts), the settings' rule rather than the body's.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from accord_broker.domain.bodies import parse_body, refused
from accord_broker.domain.webhooks.body import RequestBody, ScopeBody, WebhookBody
from accord_broker.domain.webhooks.events import DEFAULT_EVENT
from accord_broker.domain.webhooks.policy import TargetPolicy, method_problems, url_problems
from accord_broker.errors import BrokerInputError

UUID_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")


@dataclass(frozen=True, slots=True)
class Scope:
    """A webhook's consumer or provider: one pacticipant by ``name``, or all with a ``label``."""

    name: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class RequestTemplate:
    """The request to send, with ``${pactbroker.*}`` variables not yet replaced."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    body_is_json: bool = False
    username: str | None = None
    password: str | None = None

    def description(self) -> str:
        """``POST ci.example.com``: how the Pact Broker names a webhook without a description."""
        host = re.sub(r"\$\{[^}]*\}", "placeholder", self.url).split("://", 1)[-1]
        netloc = host.split("/", 1)[0].split("?", 1)[0]
        return f"{self.method.upper()} {netloc.rsplit('@', 1)[-1]}"  # never the user-info


@dataclass(frozen=True, slots=True)
class WebhookDefinition:
    request: RequestTemplate
    events: tuple[str, ...] = (DEFAULT_EVENT,)
    description: str | None = None
    consumer: Scope | None = None
    provider: Scope | None = None
    enabled: bool = True


def check_uuid(uuid: str) -> None:
    if not UUID_PATTERN.match(uuid):
        message = (
            "The UUID can only contain the characters A-Z, a-z, 0-9, _ and -, and must be "
            "16 to 64 characters long."
        )
        raise BrokerInputError(message, errors={"uuid": [message]})


def _scope(sent: ScopeBody | None) -> Scope | None:
    return None if sent is None else Scope(name=sent.name, label=sent.label)


def _request(sent: RequestBody) -> RequestTemplate:
    body = sent.body
    return RequestTemplate(
        method=sent.method,
        url=sent.url,
        headers=dict(sent.headers or {}),
        body=None if body is None else body if isinstance(body, str) else json.dumps(body),
        body_is_json=body is not None and not isinstance(body, str),
        username=sent.username,
        password=sent.password,
    )


def webhook_definition(body: WebhookBody, policy: TargetPolicy) -> WebhookDefinition:
    """The webhook a checked body defines, if the target policy lets the broker call it (else
    a 400 naming ``request.method`` or ``request.url``)."""
    errors: dict[str, list[str]] = {}
    method_refused = method_problems(policy, body.request.method)
    if method_refused:
        errors["request.method"] = list(method_refused)
    url_refused = url_problems(policy, body.request.url)
    if url_refused:
        errors["request.url"] = list(url_refused)
    if errors:
        raise refused(WebhookBody, errors)
    return WebhookDefinition(
        request=_request(body.request),
        events=body.event_names() or (DEFAULT_EVENT,),
        description=body.description,
        consumer=_scope(body.consumer),
        provider=_scope(body.provider),
        enabled=body.enabled,
    )


def read_webhook_definition(body: Mapping[str, Any], policy: TargetPolicy) -> WebhookDefinition:
    """The webhook a JSON body defines (tests and tools), or the broker's 400."""
    return webhook_definition(parse_body(WebhookBody, body), policy)
