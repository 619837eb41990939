"""The webhook body (``POST /webhooks``, ``PUT /webhooks/{uuid}``, ``POST /webhooks/execute``,
and the per-pair, per-provider and per-consumer ``POST``) as models::

    {"description": "...", "consumer": {"name": "Web"} | {"label": "team-a"},
     "provider": {...}, "enabled": true, "events": [{"name": "contract_content_changed"}],
     "request": {"method": "POST", "url": "https://ci/hook?c=${pactbroker.consumerName}",
                 "headers": {"Content-Type": "application/json"}, "body": {...} | "text",
                 "username": "u", "password": "p"}}

The models check the shape (the keys ``pact broker create-webhook`` sends); whether the broker
may call the target (scheme, method, host) is the broker's policy, checked by
``definition.webhook_definition`` against its settings once the shape is right.
"""

import re
from typing import Annotated, ClassVar

from pydantic import BeforeValidator, JsonValue, model_validator

from accord_broker.domain.bodies import (
    BrokerBody,
    OptionalName,
    field_problems,
    problem,
)
from accord_broker.domain.webhooks.events import EVENT_NAMES

EVENTS_FIELD = "events"
HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
"""An HTTP header name (RFC 9110 ``token``): no spaces, colons or control characters."""
_LINE_BREAKS = re.compile(r"[\r\n\0]")


def _scope(value: object) -> object:
    if value is not None and not isinstance(value, dict):
        raise problem("must be an object with a name or a label")
    return value


class ScopeBody(BrokerBody):
    """A webhook's consumer or provider: one pacticipant by ``name``, or all with a ``label``."""

    name: OptionalName = None
    label: OptionalName = None

    def problems(self, key: str) -> dict[str, list[str]]:
        """What is wrong with the scope sent as ``key`` (``consumer`` or ``provider``)."""
        if self.name is None and self.label is None:
            return {key: ["cannot be blank: give a name or a label"]}
        if self.name is not None and self.label is not None:
            return {f"{key}.label": ["cannot be provided at the same time as name"]}
        return {}


def _event_name(value: object) -> object:
    if value not in EVENT_NAMES:
        raise problem(f"must be one of {', '.join(EVENT_NAMES)}")
    return value


class EventRef(BrokerBody):
    """One event the webhook listens to: ``{"name": "contract_content_changed"}``."""

    name: Annotated[str, BeforeValidator(_event_name)]


def _events(value: object) -> object:
    if value is not None and (not isinstance(value, list) or not value):
        raise problem("must be a non-empty array of {name} objects")
    return value


def _method(value: object) -> object:
    if not isinstance(value, str) or not value.strip():
        raise problem("can't be blank")
    if value.upper() not in HTTP_METHODS:
        raise problem("is not a recognised HTTP method")
    return value.upper()


def _url(value: object) -> object:
    if not isinstance(value, str) or not value.strip():
        raise problem("can't be blank")
    return value.strip()


def _header_problem(name: str, value: object) -> str | None:
    """Why ``name: value`` cannot be sent as a header. CR, LF and NUL are refused here, when the
    webhook is stored: sent, they would split the request (header injection) or make the
    client library raise at delivery time."""
    if not _HEADER_NAME.match(name):
        return (
            f"header name {name!r} is not a valid HTTP header name "
            "(letters, digits and !#$%&'*+.^_`|~- only)"
        )
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return f"header {name} must have a string value"
    if _LINE_BREAKS.search(str(value)):
        return f"header {name} must be a single line: CR, LF and NUL are not allowed in its value"
    return None


def _headers(value: object) -> object:
    """The headers as ``name: text`` (a list of values joined by ``", "``), or every bad one
    keyed ``request.headers.<name>``."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise problem("must be an object of name: value")
    headers: dict[str, str] = {}
    found: dict[str, list[str]] = {}
    for name, given in value.items():
        header_value = ", ".join(str(v) for v in given) if isinstance(given, list) else given
        refused = _header_problem(str(name), header_value)
        if refused is not None:
            found.setdefault(f"request.headers.{name!s}", []).append(refused)
        else:
            headers[str(name)] = str(header_value)
    if found:
        raise field_problems(found)
    return headers


def _request(value: object) -> object:
    if not isinstance(value, dict):
        raise problem("is missing or not an object")
    return value


class RequestBody(BrokerBody):
    """The request to send, with ``${pactbroker.*}`` variables not yet replaced."""

    method: Annotated[str, BeforeValidator(_method)]
    url: Annotated[str, BeforeValidator(_url)]
    headers: Annotated[dict[str, str] | None, BeforeValidator(_headers)] = None
    body: JsonValue = None
    username: str | None = None
    password: str | None = None


class WebhookBody(BrokerBody):
    """A webhook as a client creates, replaces or tries it."""

    refusal: ClassVar[str] = "invalid webhook"
    missing: ClassVar[dict[str, str]] = {
        "request": "is missing or not an object",
        "method": "can't be blank",
        "url": "can't be blank",
        "name": f"must be one of {', '.join(EVENT_NAMES)}",
    }
    indexed_lists: ClassVar[frozenset[str]] = frozenset({EVENTS_FIELD})

    description: str | None = None
    enabled: bool = True
    consumer: Annotated[ScopeBody | None, BeforeValidator(_scope)] = None
    provider: Annotated[ScopeBody | None, BeforeValidator(_scope)] = None
    events: Annotated[list[EventRef] | None, BeforeValidator(_events)] = None
    request: Annotated[RequestBody, BeforeValidator(_request)]

    @model_validator(mode="after")
    def _one_scope_each(self) -> "WebhookBody":
        found: dict[str, list[str]] = {}
        for key, scope in (("consumer", self.consumer), ("provider", self.provider)):
            if scope is not None:
                found.update(scope.problems(key))
        if found:
            raise field_problems(found)
        return self

    def event_names(self) -> tuple[str, ...] | None:
        """The events named, each once, in order (``None``: none sent, the default applies)."""
        if self.events is None:
            return None
        return tuple(dict.fromkeys(event.name for event in self.events))
