"""Sending one webhook request over HTTP(S), to an address the policy checked.

The standard library's ``http.client`` is used so the connection can be *pinned*: the host name
is resolved once, every address is checked (:func:`policy.resolve_checked`), and the socket goes
to a checked address while ``Host`` and TLS (SNI, certificate) still use the name. Redirects are
not followed: a 3xx is an answer, never a second request to somewhere unchecked.
"""

import base64
import http.client
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from accord_broker.domain.webhooks.policy import (
    IpAddress,
    TargetPolicy,
    check_target,
    resolve_checked,
)
from accord_broker.domain.webhooks.templates import RenderedRequest

MAX_RESPONSE_BYTES = 64 * 1024
USER_AGENT = "accord-broker-webhook"


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: str


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: IpAddress, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self._address), self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: IpAddress, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((str(self._address), self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def _headers_to_send(request: RenderedRequest) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, **request.headers}
    has_auth = any(name.lower() == "authorization" for name in headers)
    if request.username is not None and not has_auth:
        pair = f"{request.username}:{request.password or ''}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    return headers


def send(request: RenderedRequest, policy: TargetPolicy, timeout: float) -> HttpResponse:
    """Send ``request`` if the policy allows it; raises ``WebhookTargetRefusedError``,
    ``OSError`` (connection, timeout) or ``http.client.HTTPException``."""
    check_target(policy, request.method, request.url)
    parts = urlsplit(request.url)
    host = parts.hostname
    assert host is not None  # check_target refused URLs without a host
    https = parts.scheme.lower() == "https"
    port = parts.port or (443 if https else 80)
    addresses = resolve_checked(host, port)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    body = request.body.encode("utf-8") if request.body is not None else None
    last_error: OSError | None = None
    for address in addresses:
        kind = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
        connection = kind(host, port, address, timeout)
        try:
            connection.request(request.method, target, body=body, headers=_headers_to_send(request))
            response = connection.getresponse()
            content = response.read(MAX_RESPONSE_BYTES)
            return HttpResponse(
                status=response.status,
                reason=response.reason,
                headers=tuple(response.getheaders()),
                body=content.decode("utf-8", errors="replace"),
            )
        except ConnectionRefusedError as exc:
            last_error = exc
        finally:
            connection.close()
    assert last_error is not None
    raise last_error


def headers_sent(request: RenderedRequest) -> dict[str, str]:
    """The headers :func:`send` puts on the wire (for logs and the execute response)."""
    return _headers_to_send(request)
