"""Keeping secrets out of API output and execution logs, for every reader alike.

Whatever looks like a credential is shown as ``**********``: header values whose names look
secret (``Authorization``, ``Cookie``, anything with ``token``, ``secret``, ``password``,
``signature``, or ending in ``key``), URL query parameters named the same way and the URL's
user-info (``https://user:pass@host``), and in a body the values of JSON keys (or form fields)
named the same way. In logs, every secret value (those headers' rendered values, the basic-auth
password, broker-side ``${user.NAME}`` secrets) is also replaced wherever it appears. A value
that is a template (``Bearer ${pactbroker.x}``, ``${user.GITLAB_TOKEN}``) holds no secret and
is shown as it is, as the Pact Broker does.
"""

import json
import re
from collections.abc import Iterable, Mapping
from contextlib import suppress
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REDACTED = "**********"
_SENSITIVE_NAME = re.compile(
    r"authori[sz]ation|(?<![a-z])auth(?![a-z])|token|secret|passw|pwd|signature|credential"
    r"|cookie|session|private|api[-_]?key|key(?![a-z])",
    re.I,
)
_SENSITIVE_QUERY = re.compile(
    r"((?:^|[?&;\s])[^=&;#\s?]*?(?:auth|token|secret|passw|pwd|signature|sig|credential|key)"
    r"[^=&;#\s]*=)([^&;#\s]*)",
    re.I,
)
_TEMPLATE = re.compile(r"\$\{[^}]*\}")


def is_sensitive_header(name: str) -> bool:
    return _SENSITIVE_NAME.search(name) is not None


def redact_headers(headers: Mapping[str, str], *, keep_templates: bool = True) -> dict[str, str]:
    """``headers`` with secret-looking values replaced (templates kept when ``keep_templates``)."""
    return {
        name: REDACTED
        if is_sensitive_header(name) and not (keep_templates and _TEMPLATE.search(value))
        else value
        for name, value in headers.items()
    }


def secret_values(headers: Mapping[str, str], password: str | None) -> list[str]:
    """The values a log must never show, longest first (so overlaps are fully covered)."""
    values = [v for n, v in headers.items() if is_sensitive_header(n) and v.strip()]
    for value in list(values):
        scheme, _, credential = value.partition(" ")
        if credential.strip() and scheme.isalpha():
            values.append(credential.strip())
    if password:
        values.append(password)
    return sorted(set(values), key=len, reverse=True)


def _redact_pairs(text: str) -> str:
    """``name=value`` pairs (a query string, a form body) with secret-looking values hidden."""

    def hide(match: re.Match[str]) -> str:
        value = match.group(2)
        return match.group(0) if not value or _TEMPLATE.search(value) else match.group(1) + REDACTED

    return _SENSITIVE_QUERY.sub(hide, text)


def redact_url(url: str) -> str:
    """``url`` without credentials: its user-info and secret-looking query values hidden."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return _redact_pairs(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        if not _TEMPLATE.fullmatch(userinfo):
            netloc = f"{REDACTED}@{host}"
    query = _redact_pairs(parts.query) if parts.query else parts.query
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _redact_json(value: Any, sensitive: bool = False) -> Any:
    if isinstance(value, dict):
        return {
            key: _redact_json(item, sensitive or is_sensitive_header(str(key)))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_redact_json(item, sensitive) for item in value]
    if sensitive and value is not None and not (isinstance(value, str) and _TEMPLATE.search(value)):
        return REDACTED
    return value


def redact_body_value(body: Any) -> Any:
    """A JSON body (as parsed) with the values of secret-looking keys hidden; text bodies get
    their ``name=value`` pairs checked (a form body)."""
    if isinstance(body, str):
        return _redact_pairs(body)
    return _redact_json(body)


def redact_body(body: str | None) -> str | None:
    """A body as sent (JSON or text), with its secret-looking values hidden."""
    if body is None:
        return None
    try:
        parsed = json.loads(body)
    except ValueError:
        return _redact_pairs(body)
    if not isinstance(parsed, dict | list):
        return body
    redacted = _redact_json(parsed)
    return body if redacted == parsed else json.dumps(redacted)


def redact_text(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def literal_secrets(url: str, body: str | None) -> list[str]:
    """Secret-looking values written into the URL or body themselves (not templates), so a log
    can scrub them even where the target echoes them back."""
    found: list[str] = []
    with suppress(ValueError):
        parts = urlsplit(url)
        found += [parts.password] if parts.password else [parts.username or ""]
    for text in (url, body or ""):
        found += [m.group(2) for m in _SENSITIVE_QUERY.finditer(text)]
    if body is not None:
        with suppress(ValueError):
            _collect_json_secrets(json.loads(body), False, found)
    return [value for value in found if len(value) >= 4 and not _TEMPLATE.search(value)]


def _collect_json_secrets(value: Any, sensitive: bool, found: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _collect_json_secrets(item, sensitive or is_sensitive_header(str(key)), found)
    elif isinstance(value, list):
        for item in value:
            _collect_json_secrets(item, sensitive, found)
    elif sensitive and isinstance(value, str | int | float) and not isinstance(value, bool):
        found.append(str(value))
