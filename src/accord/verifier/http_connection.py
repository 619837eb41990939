"""One keep-alive HTTP/1.1 connection to a plain-``http`` provider, on a bare socket.

Why not ``requests``, nor ``http.client``: a verification with a state-change URL makes two
exchanges per interaction. requests + urllib3 spend a few hundred microseconds of client CPU
on each (adapters, pool keys, header merging, response wrapping); ``http.client`` is lighter
but imports the ``email`` package and ``ssl`` (~15 ms of every ``accord verify`` start-up),
parses each answer's header block with ``email.feedparser`` and writes a request in two or
more ``send`` calls. The verifier sends requests it has fully prepared to one host, in order,
so this module writes each request with one ``sendall`` on a ``TCP_NODELAY`` socket and reads
the answer with a small parser of its own. It is used for ``http://`` without redirect
following; TLS and redirects keep going through requests, which handles them completely.

What the provider sees matches what ``http.client`` sends (``Host`` and ``Accept-Encoding:
identity`` first unless the request has them, then the request's headers, ``Content-Length``
added for a body or a POST/PUT/PATCH), without a ``User-Agent`` the pact did not ask for.
Answers are read whole: ``Content-Length``, ``chunked`` or until the provider closes; ``1xx``
interim answers are skipped; gzip and deflate bodies are decoded as requests decodes them.

A request can be sent ahead of reading its answer (:meth:`KeepAliveConnection.send` then
:meth:`KeepAliveConnection.receive`), so the verifier can let the provider work on the next
state change while it matches the previous answer (see ``accord.verifier.states``).
"""

import re
import select
import socket
import zlib
from collections.abc import Mapping
from urllib.parse import urlsplit

#: The content codings decoded like ``requests`` decodes them (brotli and zstd stay encoded).
_DECODERS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
_METHODS_WITH_BODY = frozenset({"PATCH", "POST", "PUT"})
_LEGAL_HEADER_NAME = re.compile(rb"[^:\s][^:\r\n]*")
_ILLEGAL_HEADER_VALUE = re.compile(rb"\n(?![ \t])|\r(?![ \t\n])")
_ILLEGAL_TARGET = re.compile("[\x00-\x20\x7f]")
_MAX_LINE = 65536
_MAX_HEADERS = 100
_READ_SIZE = 65536


class HttpProtocolError(Exception):
    """The provider's answer is not HTTP/1.x the client can read (or stopped half-way)."""


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


def _header_line(name: str, value: str) -> bytes:
    """``Name: value\\r\\n`` in Latin-1, refusing what would split the header block."""
    raw_name = name.encode("ascii")
    raw_value = str(value).encode("latin-1")
    if not _LEGAL_HEADER_NAME.fullmatch(raw_name):
        raise ValueError(f"Invalid header name {raw_name!r}")
    if _ILLEGAL_HEADER_VALUE.search(raw_value):
        raise ValueError(f"Invalid header value {raw_value!r}")
    return raw_name + b": " + raw_value + b"\r\n"


class KeepAliveConnection:
    """Sends requests to one ``http://host:port`` over a socket kept open between them.

    A connection the provider closed while idle (it answered ``Connection: close``, or its
    keep-alive timeout passed) is noticed before the next request and replaced, so no request
    is ever sent twice. Errors are ``OSError``, ``ValueError`` (a request that cannot be
    written) or :class:`HttpProtocolError`; callers word them for the user.
    """

    def __init__(self, base_url: str, *, timeout: float) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"{base_url!r} is not an http:// URL")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.timeout = timeout
        host = f"[{self.host}]" if ":" in self.host else self.host
        self._host_header = _header_line("Host", host if self.port == 80 else f"{host}:{self.port}")
        self._socket: socket.socket | None = None
        self._buffer = bytearray()
        # the method of the request sent and not yet answered (HEAD answers carry no body)
        self._awaiting: str | None = None

    def exchange(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes | None
    ) -> Exchange:
        """Send one request (``target`` is the encoded path and query) and read its answer."""
        self.send(method, target, headers, body)
        return self.receive()

    def send(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes | None
    ) -> None:
        """Write one whole request; its answer is read by the next :meth:`receive`."""
        if self._awaiting is not None:
            raise RuntimeError("a request is already waiting for its answer")
        message = self._request_bytes(method, target or "/", headers, body)
        connection = self._open()
        try:
            connection.sendall(message)
        except BaseException:
            self.close()
            raise
        self._awaiting = method

    def receive(self) -> Exchange:
        """The answer to the request :meth:`send` wrote."""
        method = self._awaiting
        if method is None:
            raise RuntimeError("no request is waiting for an answer")
        self._awaiting = None
        try:
            status, headers, body, will_close = self._read_answer(method)
        except BaseException:
            self.close()
            raise
        if will_close or self._buffer:  # bytes beyond the answer: the stream is out of step
            self.close()
        return Exchange(status, headers, _decoded(body, headers))

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        self._buffer.clear()
        self._awaiting = None

    # --- writing ---------------------------------------------------------------------------

    def _request_bytes(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes | None
    ) -> bytes:
        if _ILLEGAL_TARGET.search(method):
            raise ValueError(f"method can't contain control characters. {method!r}")
        if _ILLEGAL_TARGET.search(target):
            raise ValueError(f"URL can't contain control characters. {target!r}")
        lines = [f"{method} {target} HTTP/1.1\r\n".encode("ascii")]
        names = {name.lower() for name in headers}
        if "host" not in names:
            lines.append(self._host_header)
        if "accept-encoding" not in names:
            lines.append(b"Accept-Encoding: identity\r\n")
        lines.extend(_header_line(name, value) for name, value in headers.items())
        if "content-length" not in names and "transfer-encoding" not in names:
            if body is not None:
                lines.append(b"Content-Length: %d\r\n" % len(body))
            elif method.upper() in _METHODS_WITH_BODY:
                lines.append(b"Content-Length: 0\r\n")
        lines.append(b"\r\n")
        if body:
            lines.append(body)
        return b"".join(lines)

    def _open(self) -> socket.socket:
        """The open socket, or a new one when there is none or the provider dropped it."""
        if self._socket is not None and _dropped(self._socket):
            self.close()
        if self._socket is None:
            host = self.host.encode("ascii") if self.host.isascii() else self.host
            connection = socket.create_connection((host, self.port), timeout=self.timeout)  # type: ignore[arg-type]
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._socket = connection
        return self._socket

    # --- reading ---------------------------------------------------------------------------

    def _fill(self) -> bool:
        """Read more of the answer into the buffer; ``False`` when the provider has closed."""
        assert self._socket is not None
        chunk = self._socket.recv(_READ_SIZE)
        if not chunk:
            return False
        self._buffer += chunk
        return True

    def _line(self) -> bytes | None:
        """One line without its ending, or ``None`` when the provider closed before it."""
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 1]
                return line.removesuffix(b"\r")
            if len(self._buffer) > _MAX_LINE:
                raise HttpProtocolError("got a line longer than 65536 bytes")
            if not self._fill():
                return None

    def _exactly(self, count: int) -> bytes:
        while len(self._buffer) < count:
            if not self._fill():
                raise HttpProtocolError(
                    f"the provider closed the connection after {len(self._buffer)} of "
                    f"{count} body bytes"
                )
        data = bytes(self._buffer[:count])
        del self._buffer[:count]
        return data

    def _read_answer(self, method: str) -> tuple[int, list[tuple[str, str]], bytes, bool]:
        while True:
            version, status = self._status_line()
            headers = self._header_block()
            if status < 100 or status >= 200 or status == 101:
                break  # 1xx interim answers (100 Continue, 103 Early Hints) precede the real one
        values = {name.lower(): value for name, value in headers}
        tokens = {t.strip().lower() for t in values.get("connection", "").split(",")}
        if version == "HTTP/1.1":
            will_close = "close" in tokens
        else:
            will_close = "keep-alive" not in tokens and "keep-alive" not in values
        if method.upper() == "HEAD" or status in (204, 304) or status < 200:
            return status, headers, b"", will_close
        if "chunked" in values.get("transfer-encoding", "").lower():
            return status, headers, self._chunked(), will_close
        length = values.get("content-length")
        if length is not None:
            try:
                count = int(length.split(",")[0].strip())
            except ValueError:
                count = -1
            if count >= 0:
                return status, headers, self._exactly(count), will_close
        while self._fill():  # no length: the body runs until the provider closes
            pass
        body = bytes(self._buffer)
        self._buffer.clear()
        return status, headers, body, True

    def _status_line(self) -> tuple[str, int]:
        line = self._line()
        if line is None or not line:
            raise HttpProtocolError("the provider closed the connection without an answer")
        version, _, rest = line.decode("iso-8859-1").partition(" ")
        code = rest.strip().split(" ", 1)[0]
        if not version.startswith("HTTP/1.") or len(code) != 3 or not code.isdigit():
            raise HttpProtocolError(f"not an HTTP/1.x status line: {line[:100]!r}")
        return version, int(code)

    def _header_block(self) -> list[tuple[str, str]]:
        headers: list[tuple[str, str]] = []
        while True:
            line = self._line()
            if line is None:
                raise HttpProtocolError("the provider closed the connection within the headers")
            if not line:
                return headers
            text = line.decode("iso-8859-1")
            if text[0] in " \t" and headers:  # an obsolete folded continuation line
                name, value = headers[-1]
                headers[-1] = (name, f"{value} {text.strip()}")
                continue
            name, colon, value = text.partition(":")
            if not colon:
                continue  # not a header: skipped, as lenient clients do
            headers.append((name.strip(), value.strip()))
            if len(headers) > _MAX_HEADERS:
                raise HttpProtocolError(f"got more than {_MAX_HEADERS} headers")

    def _chunked(self) -> bytes:
        parts: list[bytes] = []
        while True:
            line = self._line()
            if line is None:
                raise HttpProtocolError("the provider closed the connection within a chunked body")
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise HttpProtocolError(f"bad chunk size {size_text[:20]!r}") from None
            if size == 0:
                break
            parts.append(self._exactly(size))
            self._exactly(2)  # the CRLF after each chunk
        while True:  # trailers, up to the empty line
            trailer = self._line()
            if not trailer:
                break
        return b"".join(parts)


def _dropped(connection: socket.socket) -> bool:
    """An idle keep-alive socket that is readable has been closed by the peer (or is broken)."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
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
            raise HttpProtocolError(f"the {coding.strip()} body is corrupt: {exc}") from exc
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
