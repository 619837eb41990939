"""How a replayed request reaches the provider: over HTTP, or straight into an ASGI/WSGI app.

All transports take the same :class:`ReplayRequest` and give back the same
:class:`ProviderResponse`, so matching and reporting never know which one ran. The HTTP
transport keeps one keep-alive connection for the whole run; the in-process ones call the app
object directly (no socket, no thread), which is what makes them fast. ``requests`` is imported
only when a run needs it (TLS, redirects, a caller's session): it costs ~100 ms of start-up.
"""

import inspect
import io
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import urlsplit

from accord.errors import VerifierConfigError
from accord.verifier.http_connection import (
    HttpProtocolError,
    KeepAliveConnection,
    is_plain_http,
)

if TYPE_CHECKING:
    import requests

AppKind = Literal["asgi", "wsgi"]


@dataclass(slots=True)
class ReplayRequest:
    """The request about to be sent; a request filter may change any field.

    ``path`` is already percent-encoded and ``query`` is the encoded query string (no ``?``).
    ``state_values`` are what the provider-state setup returned, e.g. a token to sign with.
    """

    method: str
    path: str
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    state_values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def target(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


@dataclass(frozen=True, slots=True)
class ProviderResponse:
    """What the provider answered: status, headers (repeats folded) and the body bytes."""

    status: int
    # header name as received -> values joined by ", " (repeated headers folded, RFC 9110)
    headers: Mapping[str, str]
    body: bytes


class Transport(Protocol):
    def send(self, request: ReplayRequest) -> ProviderResponse: ...

    def close(self) -> None: ...


class TransportError(Exception):
    """The provider could not be reached or did not answer (reported as the interaction's error)."""


def new_session() -> "requests.Session":
    """A session that sends only what the pact asks for (no default Accept/User-Agent headers).

    ``trust_env`` is off: proxy and netrc lookups per request cost time, and a verifier talks to
    the provider directly.
    """
    import requests

    session = requests.Session()
    session.trust_env = False
    session.headers.clear()
    return session


def send_prepared(
    session: "requests.Session",
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    *,
    timeout: float,
    allow_redirects: bool = False,
    verify: bool = True,
) -> "requests.Response":
    """Send exactly this request on ``session``, skipping ``Session.prepare_request``.

    The URL is already percent-encoded and the headers are final, so the merging that
    ``Session.request`` does per call (session headers, cookies, auth, environment) is pure
    overhead here; it is about a fifth of a replay's client-side CPU. It also keeps cookies a
    provider set in one interaction out of the next: interactions are independent.
    """
    import requests
    from requests.cookies import RequestsCookieJar
    from requests.structures import CaseInsensitiveDict

    prepared = requests.PreparedRequest()
    prepared.method = method
    prepared.url = url
    prepared.headers = CaseInsensitiveDict(headers)
    prepared.body = body
    if body is not None:
        prepared.headers["Content-Length"] = str(len(body))
    elif method not in ("GET", "HEAD"):
        prepared.headers["Content-Length"] = "0"
    prepared.hooks = {"response": []}
    prepared._cookies = RequestsCookieJar()  # type: ignore[attr-defined]  # redirects read it
    return session.send(
        prepared, timeout=timeout, allow_redirects=allow_redirects, verify=verify, stream=False
    )


class HttpTransport:
    """Replays over HTTP with one keep-alive connection.

    A plain ``http://`` provider without redirect following (the usual local provider) gets a
    :class:`KeepAliveConnection` on the standard library, the cheapest way to send prepared
    requests in order; TLS, redirects and a caller's own ``session`` use ``requests``.
    """

    def __init__(
        self,
        base_url: str,
        *,
        session: "requests.Session | None" = None,
        timeout: float = 5.0,
        follow_redirects: bool = False,
        verify_tls: bool = True,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise VerifierConfigError(
                f"provider URL {base_url!r} is not an http(s) URL; pass e.g. http://127.0.0.1:8000"
            )
        self.base_url = base_url.rstrip("/")
        self._session = session
        self.timeout = timeout
        self.follow_redirects = follow_redirects
        self.verify_tls = verify_tls
        self.connection: KeepAliveConnection | None = None
        if session is None and not follow_redirects and is_plain_http(base_url):
            self.connection = KeepAliveConnection(self.base_url, timeout=timeout)

    @property
    def session(self) -> "requests.Session":
        """The ``requests`` session, made on first use (a plain ``http://`` run never needs it)."""
        if self._session is None:
            self._session = new_session()
        return self._session

    def send(self, request: ReplayRequest) -> ProviderResponse:
        if self.connection is not None:
            return self._send_kept_alive(self.connection, request)
        import requests

        try:
            response = send_prepared(
                self.session,
                request.method,
                self.base_url + request.target,
                request.headers,
                request.body,
                timeout=self.timeout,
                allow_redirects=self.follow_redirects,
                verify=self.verify_tls,
            )
        except requests.RequestException as exc:
            raise TransportError(
                f"{request.method} {self.base_url}{request.target} failed: {exc}"
            ) from exc
        return ProviderResponse(response.status_code, dict(response.headers), response.content)

    def _send_kept_alive(
        self, connection: KeepAliveConnection, request: ReplayRequest
    ) -> ProviderResponse:
        """``send`` on the standard-library connection, with the same headers and errors."""
        path = urlsplit(self.base_url).path
        headers = dict(request.headers)
        length = None if request.body is None else str(len(request.body))
        if length is None and request.method not in ("GET", "HEAD"):
            length = "0"
        if length is not None:  # replaces the pact's own, whatever its case (as send_prepared)
            headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
            headers["Content-Length"] = length
        try:
            answer = connection.exchange(
                request.method, path + request.target, headers, request.body
            )
        except (OSError, HttpProtocolError, ValueError) as exc:  # ValueError: an invalid header
            raise TransportError(
                f"{request.method} {self.base_url}{request.target} failed: {exc}"
            ) from exc
        return ProviderResponse(answer.status, _fold(answer.headers), answer.body)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
        if self._session is not None:
            self._session.close()


def _fold(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    folded: dict[str, str] = {}
    lower_to_name: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        if key in lower_to_name:
            existing = lower_to_name[key]
            folded[existing] = f"{folded[existing]}, {value}"
        else:
            lower_to_name[key] = name
            folded[name] = value
    return folded


def detect_app_kind(app: Any) -> AppKind:
    """ASGI apps are coroutine callables (``async def __call__``); anything else is WSGI."""
    call = app if inspect.isfunction(app) or inspect.ismethod(app) else type(app).__call__
    if inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(app):
        return "asgi"
    return "wsgi"


class AsgiTransport:
    """Drives an ASGI app on one private event loop: no server, no socket, no thread.

    The app's lifespan runs once (startup before the first request, shutdown at ``close``), so
    FastAPI apps that open their database in a lifespan handler work as they do under uvicorn.
    """

    def __init__(self, app: Any, *, base_path: str = "") -> None:
        import asyncio  # here: an HTTP verification never needs it (~10 ms of start-up)

        self.app = app
        self.base_path = base_path.rstrip("/")
        self.loop = asyncio.new_event_loop()
        self._lifespan: asyncio.Task[None] | None = None
        self._lifespan_queue: asyncio.Queue[dict[str, Any]] | None = None
        self._lifespan_done: asyncio.Queue[dict[str, Any]] | None = None
        self.loop.run_until_complete(self._startup())

    async def _startup(self) -> None:
        import asyncio

        incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        outgoing: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._lifespan_queue, self._lifespan_done = incoming, outgoing
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
        self._state: dict[str, Any] = scope["state"]  # type: ignore[assignment]

        async def run() -> None:
            try:
                await self.app(scope, incoming.get, outgoing.put)
            except Exception as exc:  # apps without lifespan support raise here
                await outgoing.put({"type": "lifespan.unsupported", "message": str(exc)})

        self._lifespan = self.loop.create_task(run())
        await incoming.put({"type": "lifespan.startup"})
        answer = asyncio.ensure_future(outgoing.get())
        # an app may also just return from a lifespan scope it does not support
        await asyncio.wait([answer, self._lifespan], return_when=asyncio.FIRST_COMPLETED)
        if not answer.done():
            answer.cancel()
            return
        message = answer.result()
        if message["type"] == "lifespan.startup.failed":
            raise VerifierConfigError(
                f"the app's lifespan startup failed: {message.get('message')}"
            )

    def send(self, request: ReplayRequest) -> ProviderResponse:
        return self.loop.run_until_complete(self._send(request))

    async def _send(self, request: ReplayRequest) -> ProviderResponse:
        import asyncio

        body = request.body or b""
        headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in request.headers.items()
        ]
        if not any(name == b"host" for name, _ in headers):
            headers.append((b"host", b"testserver"))
        if body and not any(name == b"content-length" for name, _ in headers):
            headers.append((b"content-length", str(len(body)).encode("ascii")))
        path = (self.base_path + request.path) or "/"
        from urllib.parse import unquote

        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": request.method.upper(),
            "scheme": "http",
            "path": unquote(path),
            "raw_path": path.encode("latin-1"),
            "query_string": request.query.encode("latin-1"),
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "state": dict(self._state),
        }
        sent_request = False
        status = 500
        response_headers: list[tuple[str, str]] = []
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent_request
            if not sent_request:
                sent_request = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()  # a disconnect never comes while we wait for the answer
            return {"type": "http.disconnect"}

        async def send(message: Mapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                response_headers.extend(
                    (bytes(n).decode("latin-1"), bytes(v).decode("latin-1"))
                    for n, v in message.get("headers", [])
                )
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))

        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            raise TransportError(
                f"the app raised {type(exc).__name__} on {request.method} {request.target}: {exc}"
            ) from exc
        return ProviderResponse(status, _fold(response_headers), b"".join(chunks))

    def close(self) -> None:
        import asyncio

        if self._lifespan is not None and not self._lifespan.done():
            assert self._lifespan_queue is not None and self._lifespan_done is not None

            async def shutdown() -> None:
                assert self._lifespan_queue is not None and self._lifespan_done is not None
                await self._lifespan_queue.put({"type": "lifespan.shutdown"})
                await asyncio.wait_for(self._lifespan_done.get(), timeout=10)

            self.loop.run_until_complete(shutdown())
            self.loop.run_until_complete(asyncio.wait([self._lifespan], timeout=10))
        self.loop.close()


class WsgiTransport:
    """Calls a WSGI app (Flask, Django, ...) directly."""

    def __init__(self, app: Callable[..., Iterable[bytes]], *, base_path: str = "") -> None:
        self.app = app
        self.base_path = base_path.rstrip("/")

    def send(self, request: ReplayRequest) -> ProviderResponse:
        from urllib.parse import unquote

        body = request.body or b""
        environ: dict[str, Any] = {
            "REQUEST_METHOD": request.method.upper(),
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote((self.base_path + request.path) or "/")
            .encode("utf-8")
            .decode("latin-1"),
            "QUERY_STRING": request.query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(body)),
        }
        for name, value in request.headers.items():
            key = name.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            elif key != "CONTENT_LENGTH":
                environ[f"HTTP_{key}"] = value
        captured: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = headers
            return lambda data: None

        try:
            result = self.app(environ, start_response)
            try:
                payload = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        except Exception as exc:
            raise TransportError(
                f"the app raised {type(exc).__name__} on {request.method} {request.target}: {exc}"
            ) from exc
        return ProviderResponse(captured["status"], _fold(captured["headers"]), payload)

    def close(self) -> None:
        return None


def app_transport(app: Any, *, kind: AppKind | None = None, base_path: str = "") -> Transport:
    """The in-process transport for an app object (ASGI or WSGI, detected unless given)."""
    if not callable(app):
        raise VerifierConfigError(f"the provider app {app!r} is not callable (ASGI or WSGI)")
    if (kind or detect_app_kind(app)) == "asgi":
        return AsgiTransport(app, base_path=base_path)
    return WsgiTransport(app, base_path=base_path)
