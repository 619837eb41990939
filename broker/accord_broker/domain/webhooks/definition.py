"""A webhook definition as the Pact Broker's JSON describes it, and its validation.

The body (``POST /webhooks``, ``PUT /webhooks/{uuid}``) is::

    {"description": "...", "consumer": {"name": "Web"} | {"label": "team-a"},
     "provider": {...}, "enabled": true, "events": [{"name": "contract_content_changed"}],
     "request": {"method": "POST", "url": "https://ci/hook?c=${pactbroker.consumerName}",
                 "headers": {"Content-Type": "application/json"}, "body": {...} | "text",
                 "username": "u", "password": "p"}}

Every problem is reported at once, keyed by field (``request.url``, ``events``…), which is the
shape the official clients print.
"""

import json
import re
from dataclasses import dataclass, field
from typing import Any

from accord_broker.domain.webhooks.events import DEFAULT_EVENT, EVENT_NAMES
from accord_broker.domain.webhooks.policy import TargetPolicy, method_problems, url_problems
from accord_broker.errors import BrokerInputError

UUID_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
"""An HTTP header name (RFC 9110 ``token``): no spaces, colons or control characters."""
_LINE_BREAKS = re.compile(r"[\r\n\0]")
_HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


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


def _scope(value: Any, key: str, errors: dict[str, list[str]]) -> Scope | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        errors.setdefault(key, []).append("must be an object with a name or a label")
        return None
    name, label = value.get("name"), value.get("label")
    for part, given in (("name", name), ("label", label)):
        if given is not None and (not isinstance(given, str) or not given.strip()):
            errors.setdefault(f"{key}.{part}", []).append("must be a non-blank string")
            return None
    if name is None and label is None:
        errors.setdefault(key, []).append("cannot be blank: give a name or a label")
        return None
    if name is not None and label is not None:
        errors.setdefault(f"{key}.label", []).append("cannot be provided at the same time as name")
        return None
    return Scope(name=name, label=label)


def _events(value: Any, errors: dict[str, list[str]]) -> tuple[str, ...]:
    if value is None:
        return (DEFAULT_EVENT,)
    if not isinstance(value, list) or not value:
        errors.setdefault("events", []).append("must be a non-empty array of {name} objects")
        return ()
    names: list[str] = []
    for index, event in enumerate(value):
        name = event.get("name") if isinstance(event, dict) else None
        if name not in EVENT_NAMES:
            errors.setdefault("events", []).append(
                f"name must be one of {', '.join(EVENT_NAMES)} (at index {index})"
            )
        elif name not in names:
            names.append(name)
    return tuple(names)


def _headers(value: Any, errors: dict[str, list[str]]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.setdefault("request.headers", []).append("must be an object of name: value")
        return {}
    headers: dict[str, str] = {}
    for name, given in value.items():
        header_value = ", ".join(str(v) for v in given) if isinstance(given, list) else given
        problem = _header_problem(str(name), header_value)
        if problem is not None:
            errors.setdefault(f"request.headers.{name!s}", []).append(problem)
            continue
        headers[str(name)] = str(header_value)
    return headers


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


def _request(
    value: Any, policy: TargetPolicy, errors: dict[str, list[str]]
) -> RequestTemplate | None:
    if not isinstance(value, dict):
        errors.setdefault("request", []).append("is missing or not an object")
        return None
    method, url = value.get("method"), value.get("url")
    if not isinstance(method, str) or not method.strip():
        errors.setdefault("request.method", []).append("can't be blank")
    elif method.upper() not in _HTTP_METHODS:
        errors.setdefault("request.method", []).append("is not a recognised HTTP method")
    else:
        errors_for_method = method_problems(policy, method)
        if errors_for_method:
            errors.setdefault("request.method", []).extend(errors_for_method)
    if not isinstance(url, str) or not url.strip():
        errors.setdefault("request.url", []).append("can't be blank")
    else:
        problems = url_problems(policy, url)
        if problems:
            errors.setdefault("request.url", []).extend(problems)
    headers = _headers(value.get("headers"), errors)
    credentials: dict[str, str | None] = {}
    for key in ("username", "password"):
        given = value.get(key)
        if given is not None and not isinstance(given, str):
            errors.setdefault(f"request.{key}", []).append("must be a string")
        credentials[key] = given if isinstance(given, str) else None
    body = value.get("body")
    if not isinstance(method, str) or not isinstance(url, str):
        return None
    return RequestTemplate(
        method=method.upper(),
        url=url.strip(),
        headers=headers,
        body=None if body is None else body if isinstance(body, str) else json.dumps(body),
        body_is_json=body is not None and not isinstance(body, str),
        username=credentials["username"],
        password=credentials["password"],
    )


def read_webhook_definition(body: dict[str, Any], policy: TargetPolicy) -> WebhookDefinition:
    """Validate a webhook body against the JSON shape and the target policy."""
    errors: dict[str, list[str]] = {}
    description = body.get("description")
    if description is not None and not isinstance(description, str):
        errors["description"] = ["must be a string"]
    enabled = body.get("enabled", True)
    if not isinstance(enabled, bool):
        errors["enabled"] = ["must be true or false"]
    consumer = _scope(body.get("consumer"), "consumer", errors)
    provider = _scope(body.get("provider"), "provider", errors)
    events = _events(body.get("events"), errors)
    request = _request(body.get("request"), policy, errors)
    if errors or request is None:
        summary = "; ".join(f"{key} {', '.join(messages)}" for key, messages in errors.items())
        raise BrokerInputError(f"invalid webhook: {summary}", errors=errors)
    return WebhookDefinition(
        request=request,
        events=events,
        description=description if isinstance(description, str) else None,
        consumer=consumer,
        provider=provider,
        enabled=bool(enabled),
    )
