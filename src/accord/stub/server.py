"""The stub's HTTP server: the standard library's threading server, nothing to install.

A stub serves local tests, so what matters is starting fast and answering each request in well
under a millisecond of server time. ``http.server.ThreadingHTTPServer`` with HTTP/1.1
keep-alive and ``TCP_NODELAY`` answered a trivial request about 2.6 times as fast as uvicorn
on the same machine (``docs/benchmarks.md``), and it keeps ``pip install accord`` free of the
broker extra. :class:`StubApp` decides every answer and knows nothing of sockets, so it is
tested without a server; :class:`StubServer` puts it on a port.
"""

import json
import re
import socket
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from accord.errors import StubConfigError
from accord.matching import ActualRequest, Mismatch
from accord.pact import Pact
from accord.stub.incoming import actual_request
from accord.stub.responses import StubResponse, build_response
from accord.stub.selection import (
    InteractionIndex,
    Match,
    NoMatch,
    StatePreference,
    http_interactions,
)

#: What the reference stub server answers to an unmatched ``OPTIONS`` when CORS is on.
CORS_METHODS = "GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH"
_ALLOW_ORIGIN = "Access-Control-Allow-Origin"
#: Framing is the server's business: these pact headers would contradict the bytes sent.
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT")

Logger = Callable[[str], None]
#: Told of every answer: method, target (path and query as sent), status.
AnswerListener = Callable[[str, str, int], None]


@dataclass(frozen=True, slots=True)
class StubOptions:
    """How the stub chooses and decorates answers (the ``pact stub`` flags, one field each).

    ``provider_state`` is a regular expression searched in the interactions' provider-state
    names; ``provider_state_header`` names a request header whose value, when present, is used
    instead for that request. ``empty_provider_state`` lets interactions without a state count
    as being in the requested one.
    """

    cors: bool = False
    cors_referer: bool = False
    provider_state: str | None = None
    provider_state_header: str | None = None
    empty_provider_state: bool = False


def compile_state(pattern: str, where: str) -> re.Pattern[str]:
    """The provider-state regex, or a :class:`StubConfigError` saying where it came from."""
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise StubConfigError(
            f"the provider state {pattern!r} ({where}) is not a regular expression: {exc}; "
            "escape special characters (e.g. '\\(') or give a plain name"
        ) from None


def _difference_json(mismatch: Mismatch) -> dict[str, Any]:
    return {
        "kind": mismatch.kind,
        "path": mismatch.path,
        "expected": mismatch.expected,
        "actual": mismatch.actual,
        "message": mismatch.message,
    }


def _differences_sentence(differences: Sequence[Mismatch]) -> str:
    """The first difference in full, and how many more 'differences' lists."""
    if not differences:
        return "no difference found"
    first = f"{differences[0].path}: {differences[0].message}"
    more = len(differences) - 1
    if more:
        first += f" (and {more} more difference{'s' if more > 1 else ''}, see 'differences')"
    return first


def no_match_report(actual: ActualRequest, found: NoMatch) -> dict[str, Any]:
    """The JSON body of a 404: the request, the nearest interaction and every difference."""
    seen = f"{actual.method} {actual.path}"
    seen_request: dict[str, Any] = {"method": actual.method, "path": actual.path}
    if actual.query:
        seen_request["query"] = {name: list(values) for name, values in actual.query.items()}
    report: dict[str, Any] = {
        "error": "no interaction matched",
        "request": seen_request,
        "interactionsConsidered": found.considered,
    }
    if found.nearest is None:
        report["message"] = f"No interaction matched {seen}: the stub serves no interactions."
        return report
    nearest = found.nearest
    request = nearest.interaction.request
    report["message"] = (
        f"No interaction matched {seen}. The nearest is {nearest.label()}, expecting "
        f"{request.method.upper()} {request.path}: {_differences_sentence(found.differences)}"
    )
    report["nearest"] = {
        "description": nearest.interaction.description,
        "consumer": nearest.pact.consumer,
        "provider": nearest.pact.provider,
        "providerStates": list(nearest.state_names),
        "source": nearest.pact.source,
        "request": {"method": request.method.upper(), "path": request.path},
    }
    report["differences"] = [_difference_json(m) for m in found.differences]
    return report


def _json_response(status: int, document: Mapping[str, Any]) -> StubResponse:
    body = json.dumps(document, indent=2, default=str).encode("utf-8")
    return StubResponse(status, (("Content-Type", "application/json"),), body)


class StubApp:
    """Answers requests from the pacts' interactions; no sockets, so tests can call it directly."""

    def __init__(
        self,
        pacts: Sequence[Pact],
        options: StubOptions | None = None,
        *,
        base_url: str = "",
        log: Logger | None = None,
    ) -> None:
        self.options = options or StubOptions()
        self.index = InteractionIndex(http_interactions(pacts))
        self.base_url = base_url
        self._log = log
        self.on_answer: AnswerListener | None = None
        self._state = (
            compile_state(self.options.provider_state, "--provider-state")
            if self.options.provider_state is not None
            else None
        )

    def _preference(self, headers: Mapping[str, str]) -> StatePreference | None:
        pattern = self._state
        name = self.options.provider_state_header
        if name is not None:
            value = next((v for k, v in headers.items() if k.lower() == name.lower()), None)
            if value is not None:
                pattern = compile_state(value, f"the {name} header")
        if pattern is None:
            return None
        return StatePreference(pattern, self.options.empty_provider_state)

    def answer(
        self, method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes
    ) -> StubResponse:
        """The response to ``method target`` (path and query as sent) with ``headers``, ``body``."""
        header_list = list(headers)
        response = self._finish(self._respond(method, target, header_list, body), header_list)
        if self.on_answer is not None:
            self.on_answer(method, target, response.status)
        return response

    def _respond(
        self, method: str, target: str, header_list: list[tuple[str, str]], body: bytes
    ) -> StubResponse:
        actual = actual_request(method, target, header_list, body)
        try:
            preference = self._preference(dict(header_list))
        except StubConfigError as exc:
            return _json_response(400, {"error": str(exc)})
        found = self.index.choose(actual, preference)
        if isinstance(found, Match):
            response = build_response(found.candidate.interaction.response, base_url=self.base_url)
        elif self.options.cors and actual.method == "OPTIONS":
            response = self._preflight(header_list)
        else:
            report = no_match_report(actual, found)
            if self._log is not None:
                self._log(report["message"])
            response = _json_response(404, report)
        return response

    def _origin(self, headers: Sequence[tuple[str, str]]) -> str:
        if self.options.cors_referer:
            referer = next((v for k, v in headers if k.lower() == "referer"), None)
            if referer:
                return referer
        return "*"

    def _preflight(self, headers: Sequence[tuple[str, str]]) -> StubResponse:
        lines = (
            ("Access-Control-Allow-Headers", "*"),
            ("Access-Control-Allow-Methods", CORS_METHODS),
            (_ALLOW_ORIGIN, self._origin(headers)),
        )
        return StubResponse(200, lines, b"")

    def _finish(self, response: StubResponse, headers: Sequence[tuple[str, str]]) -> StubResponse:
        """Every answer allows any origin unless the pact says otherwise, as the reference's."""
        if response.has_header(_ALLOW_ORIGIN):
            return response
        lines = (*response.headers, (_ALLOW_ORIGIN, self._origin(headers)))
        return StubResponse(response.status, lines, response.body)


class _Handler(BaseHTTPRequestHandler):
    """Reads one request, asks the :class:`StubApp`, writes the answer (keep-alive)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms ACK wait
    server: "_StubHTTPServer"

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _serve(self) -> None:
        body = self._read_body()
        try:
            response = self.server.app.answer(self.command, self.path, self.headers.items(), body)
        except Exception as exc:  # a bug must cost one request, not the connection's thread
            document = {"error": "the stub failed to answer", "reason": repr(exc)}
            response = _json_response(500, document)
        self.send_response(response.status)
        for name, value in response.headers:
            if name.lower() not in _FRAMING_HEADERS:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a stub in a test run should not write a line per request."""


for _method in _METHODS:
    setattr(_Handler, f"do_{_method}", _Handler._serve)


class _StubHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: StubApp) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.app = app
        super().__init__(address, _Handler)


class StubServer:
    """Serves ``pacts`` on ``host:port`` (port 0: a free one) until :meth:`stop`.

    Use it as a context manager, which starts it in a background thread::

        with StubServer([load_pact("pacts/web-accounts.json")]) as stub:
            requests.get(f"{stub.url}/accounts/1")
    """

    def __init__(
        self,
        pacts: Sequence[Pact],
        options: StubOptions | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log: Logger | None = None,
    ) -> None:
        app = StubApp(pacts, options, log=log)
        if not app.index.interactions:
            sources = ", ".join(p.source for p in pacts) or "no pacts at all"
            raise StubConfigError(
                f"there are no HTTP interactions to serve (read: {sources}); give pact files "
                "with HTTP interactions (-f/-d/-u or a broker with --provider-name)"
            )
        try:
            self._httpd = _StubHTTPServer((host, port), app)
        except OSError as exc:
            raise StubConfigError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another "
                "--port, or 0 for a free one"
            ) from None
        self.host = host
        self.port = int(self._httpd.server_address[1])
        app.base_url = self.url
        self.app = app
        self._thread: threading.Thread | None = None
        self._serving = False

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: the base URL the consumer under test should call."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def interaction_count(self) -> int:
        return len(self.app.index.interactions)

    def serve_forever(self) -> None:
        """Answer requests in this thread until :meth:`stop` is called from another."""
        self._serving = True
        self._httpd.serve_forever(poll_interval=0.2)

    def start(self) -> "StubServer":
        """Answer requests in a background thread; returns at once, ready to be called."""
        if self._thread is None:
            self._serving = True
            self._thread = threading.Thread(
                target=self.serve_forever, name=f"accord-stub-{self.port}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering and close the socket (waits for the serving loop to end)."""
        if self._serving:  # shutdown() waits for a loop that must have been started
            self._httpd.shutdown()
            self._serving = False
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> "StubServer":
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
