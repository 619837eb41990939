"""One keep-alive HTTP/1.1 connection to a plain-``http`` provider, on the standard library.

Why not ``requests`` here: a verification with a state-change URL makes two exchanges per
interaction, and requests + urllib3 spend a few hundred microseconds of client CPU on each
(adapters, pool keys, header merging, response wrapping); on a 200-interaction pact that is
most of what ``accord verify`` costs beyond the provider's own time. The verifier sends
requests it has fully prepared to one host, in order, so ``http.client`` on one persistent
socket does the same job. It is used for ``http://`` without redirect following; TLS and
redirects keep going through requests, which handles them completely.

What the provider sees matches what urllib3 would send (``Host`` and ``Accept-Encoding:
identity`` unless the request has them), without a ``User-Agent`` the pact did not ask for.
Responses are read whole; gzip and deflate bodies are decoded as requests decodes them.
"""

import http.client
import select
import zlib
from collections.abc import Mapping
from urllib.parse import urlsplit

#: The content codings decoded like ``requests`` decodes them (brotli and zstd stay encoded).
_DECODERS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


class Exchange:
    """A provider's answer: status, headers in the order received, and the decoded body."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body


def is_plain_http(url: str) -> bool:
    """Whether ``url`` can use a :class:`KeepAliveConnection` (``http://`` with a host)."""
    parts = urlsplit(url)
    return parts.scheme == "http" and bool(parts.hostname)


class KeepAliveConnection:
    """Sends requests to one ``http://host:port`` over a socket kept open between them.

    A connection the provider closed while idle (it answered ``Connection: close``, or its
    keep-alive timeout passed) is noticed before the next request and replaced, so no request
    is ever sent twice. Errors are ``OSError`` or ``http.client.HTTPException``; callers word
    them for the user.
    """

    def __init__(self, base_url: str, *, timeout: float) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"{base_url!r} is not an http:// URL")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.timeout = timeout
        self._connection: http.client.HTTPConnection | None = None

    def exchange(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes | None
    ) -> Exchange:
        """Send one request (``target`` is the encoded path and query) and read its answer."""
        connection = self._open()
        try:
            connection.request(method, target or "/", body=body, headers=dict(headers))
            response = connection.getresponse()
            payload = response.read()
        except BaseException:
            self.close()
            raise
        if response.will_close:
            self.close()
        answer_headers = response.getheaders()
        return Exchange(response.status, answer_headers, _decoded(payload, answer_headers))

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _open(self) -> http.client.HTTPConnection:
        """The open connection, or a new one when there is none or the provider dropped it."""
        if self._connection is not None and _dropped(self._connection):
            self.close()
        if self._connection is None:
            self._connection = http.client.HTTPConnection(
                self.host, self.port, timeout=self.timeout
            )
        return self._connection


def _dropped(connection: http.client.HTTPConnection) -> bool:
    """An idle keep-alive socket that is readable has been closed by the peer (or is broken)."""
    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _decoded(payload: bytes, headers: list[tuple[str, str]]) -> bytes:
    """The body without its gzip/deflate content coding, as ``requests`` gives it."""
    codings = [
        value.strip().lower() for name, value in headers if name.lower() == "content-encoding"
    ]
    if not payload or not codings:
        return payload
    for coding in reversed(",".join(codings).split(",")):
        wbits = _DECODERS.get(coding.strip())
        if wbits is None:
            return payload
        try:
            payload = _decompress(payload, wbits, raw_fallback=coding.strip() == "deflate")
        except zlib.error as exc:
            raise http.client.HTTPException(f"the {coding.strip()} body is corrupt: {exc}") from exc
    return payload


def _decompress(payload: bytes, wbits: int, *, raw_fallback: bool) -> bytes:
    """zlib's decompression; "deflate" bodies may also come raw (no zlib header), as many
    servers send them."""
    try:
        return zlib.decompress(payload, wbits)
    except zlib.error:
        if not raw_fallback:
            raise
        return zlib.decompress(payload, -zlib.MAX_WBITS)
