"""URLs that users give the broker (repository, build, webhook): ``http`` and ``https`` only.

The UI turns some of these into links, so a ``javascript:`` or ``data:`` URL stored here would
run in the browser of whoever clicks it (stored XSS). They are refused when stored, with a 400
that names the field, and checked again before they are rendered (rows written before this check
existed may still hold one), so no other scheme ever becomes an ``href``.
"""

from urllib.parse import urlsplit

from accord_broker.errors import BrokerInputError

ALLOWED_SCHEMES = frozenset({"http", "https"})
"""The only schemes a user-supplied URL may have."""


def http_url_problem(value: str) -> str | None:
    """Why ``value`` is not an absolute ``http``/``https`` URL (``None`` when it is).

    Whitespace and control characters are refused anywhere (browsers strip some of them before
    reading the scheme, which is how `` JaVaScRiPt:`` slips past naive checks).
    """
    if any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return "must not contain spaces or control characters"
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        return f"is not a valid URL ({exc})"
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return "must be an http or https URL (other schemes such as javascript: are refused)"
    if not parts.netloc:
        return "must be an absolute http or https URL with a host"
    return None


def check_http_url(value: object, field: str) -> str | None:
    """``value`` if it may be stored as the URL ``field``; ``None`` and ``""`` stay as they are.

    Raises :class:`BrokerInputError` (400) naming ``field`` otherwise.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        message = f"{field} must be a string (an http or https URL)"
        raise BrokerInputError(message, errors={field: ["must be a string"]})
    problem = http_url_problem(value) if value else None
    if problem is not None:
        raise BrokerInputError(f"{field} {problem}", errors={field: [problem]})
    return value


def renderable_url(value: str | None) -> str | None:
    """``value`` when it may become an ``href``; ``None`` for anything but ``http``/``https``."""
    if not value or http_url_problem(value) is not None:
        return None
    return value
