"""Executing one rendered webhook request and writing its (redacted) log.

Success means an answer with a status from 200 to 206, as the Pact Broker counts it. Errors
(refused target, connection failure, timeout) are results too, not exceptions: the queue decides
whether to retry.
"""

import http.client
from dataclasses import dataclass
from datetime import UTC, datetime

from accord.errors import WebhookTargetRefusedError
from accord_broker.domain.webhooks.policy import TargetPolicy
from accord_broker.domain.webhooks.redaction import (
    redact_headers,
    redact_text,
    redact_url,
    secret_values,
)
from accord_broker.domain.webhooks.templates import RenderedRequest
from accord_broker.domain.webhooks.transport import HttpResponse, headers_sent, send

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
        lines.append(request.body)
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


def format_logs(
    request: RenderedRequest, response: HttpResponse | None, error: str | None, success: bool
) -> str:
    """The execution log, with every secret of the request replaced by ``**********``."""
    stamp = _stamp()
    text = "\n".join(f"[{stamp}] {line}" for line in _log_lines(request, response, error, success))
    return redact_text(text, secret_values(request.headers, request.password)) + "\n"


def execute(request: RenderedRequest, policy: TargetPolicy, timeout: float) -> ExecutionResult:
    response: HttpResponse | None = None
    error: str | None = None
    try:
        response = send(request, policy, timeout)
    except WebhookTargetRefusedError as exc:
        error = str(exc)
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
    success = response is not None and response.status in SUCCESS_STATUSES
    logs = format_logs(request, response, error, success)
    return ExecutionResult(success, logs, request, response, error)
