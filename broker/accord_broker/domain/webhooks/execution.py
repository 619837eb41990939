"""Executing one rendered webhook request and writing its (redacted) log.

Success means an answer with a status from 200 to 206, as the Pact Broker counts it. Errors
(refused target, connection failure, timeout) are results too, not exceptions: the queue decides
whether to retry.
"""

import http.client
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from accord_broker.domain.webhooks.policy import TargetPolicy
from accord_broker.domain.webhooks.redaction import (
    literal_secrets,
    redact_body,
    redact_headers,
    redact_text,
    redact_url,
    secret_values,
)
from accord_broker.domain.webhooks.secrets import used_secret_values, with_user_secrets
from accord_broker.domain.webhooks.templates import RenderedRequest
from accord_broker.domain.webhooks.transport import HttpResponse, headers_sent, send
from accord_broker.errors import WebhookSecretMissingError, WebhookTargetRefusedError

SUCCESS_STATUSES = range(200, 207)


@dataclass(frozen=True, slots=True)
class ExecutionResult:
    success: bool
    logs: str
    request: RenderedRequest
    response: HttpResponse | None
    error: str | None

    def redacted_request_headers(self) -> dict[str, str]:
        return redact_headers(headers_sent(self.request), keep_templates=False)


def _stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _log_lines(
    request: RenderedRequest, response: HttpResponse | None, error: str | None, success: bool
) -> list[str]:
    headers = redact_headers(headers_sent(request), keep_templates=False)
    lines = [f"{request.method} {redact_url(request.url)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if request.body is not None:
        lines.append(redact_body(request.body) or "")
    if response is not None:
        lines.append(f"HTTP/1.1 {response.status} {response.reason}")
        lines += [
            f"{name}: {value}" for name, value in redact_headers(dict(response.headers)).items()
        ]
        if response.body:
            lines.append(response.body)
    if error is not None:
        lines.append(f"Error executing webhook: {error}")
    lines.append("Webhook execution succeeded" if success else "Webhook execution failed")
    return lines


def request_secrets(request: RenderedRequest, extra: Iterable[str] = ()) -> list[str]:
    """Every secret value of ``request`` (headers, password, URL, body, ``extra``), longest
    first, for :func:`redact_text`."""
    values = secret_values(request.headers, request.password)
    values += literal_secrets(request.url, request.body) + list(extra)
    return sorted(set(values), key=len, reverse=True)


def format_logs(
    request: RenderedRequest,
    response: HttpResponse | None,
    error: str | None,
    success: bool,
    extra_secrets: Iterable[str] = (),
) -> str:
    """The execution log, with every secret of the request replaced by ``**********``."""
    stamp = _stamp()
    text = "\n".join(f"[{stamp}] {line}" for line in _log_lines(request, response, error, success))
    return redact_text(text, request_secrets(request, extra_secrets)) + "\n"


def execute(
    request: RenderedRequest,
    policy: TargetPolicy,
    timeout: float,
    secrets: Mapping[str, str] | None = None,
) -> ExecutionResult:
    """Send ``request`` with its ``${user.NAME}`` secrets filled in; the result (and its log)
    keeps the placeholders. Every failure of this one delivery is a result, never an exception:
    a malformed request (a header a client library refuses, a missing secret) must not stop
    the deliveries queued behind it."""
    secrets = secrets or {}
    response: HttpResponse | None = None
    error: str | None = None
    try:
        response = send(with_user_secrets(request, secrets), policy, timeout)
    except (WebhookTargetRefusedError, WebhookSecretMissingError) as exc:
        error = str(exc)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    success = response is not None and response.status in SUCCESS_STATUSES
    used = used_secret_values(request, secrets)
    logs = format_logs(request, response, error, success, used)
    if response is not None:
        response = _scrubbed(response, request_secrets(request, used))
    if error is not None:
        error = redact_text(error, request_secrets(request, used))
    return ExecutionResult(success, logs, request, response, error)


def _scrubbed(response: HttpResponse, secrets: list[str]) -> HttpResponse:
    """``response`` with any secret it echoes hidden (the execute answer shows its body)."""
    body = redact_text(response.body, secrets)
    return response if body == response.body else replace(response, body=body)
