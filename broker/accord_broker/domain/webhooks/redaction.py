"""Keeping secrets out of API output and execution logs.

Header values whose names look secret (``Authorization``, anything with ``token``, ``secret``,
``password``, ``api-key``, ``cookie``) are shown as ``**********``; in logs, every secret value
(those headers' rendered values, the basic-auth password) is replaced wherever it appears, and
so are secret-looking query parameters. A header whose stored value is a template
(``Bearer ${pactbroker.x}``) holds no secret and is shown as it is, as the Pact Broker does.
"""

import re
from collections.abc import Iterable, Mapping

REDACTED = "**********"
_SENSITIVE_NAME = re.compile(r"authorization|token|secret|password|api[-_]?key|cookie", re.I)
_SENSITIVE_QUERY = re.compile(
    r"([?&][^=&#\s]*(?:token|secret|password|api[-_]?key|signature)[^=&#\s]*=)[^&#\s]*", re.I
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


def redact_url(url: str) -> str:
    return _SENSITIVE_QUERY.sub(lambda m: m.group(1) + REDACTED, url)


def redact_text(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text
