"""The broker's logging, configured in one place: text for a terminal, JSON lines for production.

Every line carries the request id of the request it belongs to (``request_id``), so an access
line, the errors of that request and the client's own logs (it sent ``X-Request-Id``) can be
joined. Secrets never reach a line: the formatted line, exception and extra fields included,
passes through :func:`redact`, which removes the configured secrets (passwords, webhook
secrets, the database password) by value and credentials by shape (``Authorization`` values,
``Bearer``/``Basic`` credentials, passwords in URLs, ``token=``/``password=`` pairs).
"""

import json
import logging
import re
import sys
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Literal

LogFormat = Literal["text", "json"]

request_id_var: ContextVar[str | None] = ContextVar("accord_broker_request_id", default=None)
"""The id of the request being answered in this context (``None`` outside requests)."""

MASK = "***"
_HANDLER_MARK = "_accord_broker_handler"
_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
}
_SHAPES = (
    # Authorization: <anything> (headers dumped as text, dicts, JSON)
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)[^\"'\\,}\n]+"), rf"\1{MASK}"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{4,}"), rf"\1 {MASK}"),
    # scheme://user:password@host
    (re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s\"']*:)[^@\s\"'/]+@"), rf"\1{MASK}@"),
    # password=…, token: …, "secret": "…"
    (
        re.compile(r"(?i)\b(password|passwd|token|secret)([\"']?\s*[:=]\s*[\"']?)[^\s\"'&,}\\]+"),
        rf"\1\2{MASK}",
    ),
)


class Redactor:
    """Removes secrets from text: known values first, then anything shaped like a credential."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret containing another is removed whole; short values would
        # mask ordinary words, so they are left to the shape rules.
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        for pattern, replacement in _SHAPES:
            text = pattern.sub(replacement, text)
        return text


def _extras(record: logging.LogRecord) -> dict[str, object]:
    """The fields given with ``extra=`` (and the current request id when none was given)."""
    fields = {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRIBUTES}
    if "request_id" not in fields:
        request_id = request_id_var.get()
        if request_id is not None:
            fields["request_id"] = request_id
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, then the extra fields."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **_extras(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        text = json.dumps(line, default=str, ensure_ascii=False)
        return self.redactor(text)


class TextFormatter(logging.Formatter):
    """``time level logger: message key=value …`` for people reading a terminal."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = " ".join(f"{k}={v}" for k, v in _extras(record).items() if v is not None)
        head, newline, rest = text.partition("\n")  # an exception's traceback follows
        line = f"{head} {fields}{newline}{rest}" if fields else text
        return self.redactor(line)


def configure_logging(log_format: LogFormat, *, secrets: Iterable[str] = ()) -> None:
    """Send the broker's, uvicorn's and the libraries' logs to stderr in ``log_format``.

    Replaces the handler a previous call installed (and only that one), so calling it again
    (tests, a reload) never doubles lines.
    """
    redactor = Redactor(secrets)
    handler = logging.StreamHandler(sys.stderr)
    formatter: logging.Formatter = (
        JsonFormatter(redactor) if log_format == "json" else TextFormatter(redactor)
    )
    handler.setFormatter(formatter)
    setattr(handler, _HANDLER_MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
