"""Provider states: put the provider into the state an interaction assumes.

Two ways, as the Pact ecosystem knows them:

* in-process handlers, ``@provider_state("an account with balance", teardown=...)``: a function
  that gets the state's params and may return values (``{"accountId": 42}``) that
  ``ProviderState`` generators inject into the request (``/accounts/${accountId}``);
* the state-change URL protocol: ``POST {"state", "params", "action": "setup"|"teardown"}`` (or
  the same as query parameters); a JSON object in the answer provides generator values too.
"""

import inspect
import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from accord.errors import AccordError, ProviderStateError
from accord.pact import ProviderState
from accord.verifier.http_connection import (
    HttpProtocolError,
    KeepAliveConnection,
    is_plain_http,
)
from accord.verifier.transport import new_session, send_prepared

if TYPE_CHECKING:
    import requests

StateValues = Mapping[str, Any]
SetupHandler = Callable[..., StateValues | Awaitable[StateValues | None] | None]
TeardownHandler = Callable[..., Awaitable[None] | None]


@dataclass(frozen=True, slots=True)
class _Handler:
    """A registered state handler, and whether its functions take the state's params."""

    setup: SetupHandler
    teardown: TeardownHandler | None
    takes_params: bool
    teardown_takes_params: bool


def _accepts_argument(function: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL) for p in parameters
    )


def _await_if_needed(value: Any) -> Any:
    if inspect.isawaitable(value):
        import asyncio  # only for async handlers: an HTTP verification never imports it

        async def wait() -> Any:
            return await value

        return asyncio.run(wait())
    return value


class ProviderStates:
    """A registry of in-process state handlers, keyed by the state's name.

    The empty name ``""`` registers a generic hook that runs for every state without its own
    handler (pact-python users rely on that for "reset everything" setups).
    """

    def __init__(self) -> None:
        self._handlers: dict[str, _Handler] = {}

    def __call__(
        self, name: str, *, teardown: TeardownHandler | None = None
    ) -> Callable[[SetupHandler], SetupHandler]:
        """Decorator: ``@states("an account exists", teardown=remove_account)``."""

        def register(function: SetupHandler) -> SetupHandler:
            self.add(name, function, teardown=teardown)
            return function

        return register

    def add(
        self, name: str, setup: SetupHandler, *, teardown: TeardownHandler | None = None
    ) -> None:
        self._handlers[name] = _Handler(
            setup,
            teardown,
            _accepts_argument(setup),
            _accepts_argument(teardown) if teardown is not None else False,
        )

    def update(self, other: "ProviderStates | Mapping[str, SetupHandler]") -> None:
        if isinstance(other, ProviderStates):
            self._handlers.update(other._handlers)
        else:
            for name, function in other.items():
                self.add(name, function)

    def __bool__(self) -> bool:
        return bool(self._handlers)

    def __contains__(self, name: object) -> bool:
        return name in self._handlers

    @property
    def names(self) -> list[str]:
        return sorted(self._handlers)

    def _handler_for(self, name: str) -> _Handler:
        handler = self._handlers.get(name) or self._handlers.get("")
        if handler is None:
            known = ", ".join(repr(n) for n in self.names) or "none"
            raise ProviderStateError(
                f"no handler for provider state {name!r} (known states: {known}); register one "
                f"with @provider_state({name!r})"
            )
        return handler

    def setup(self, state: ProviderState) -> StateValues:
        handler = self._handler_for(state.name)
        params = dict(state.params)
        try:
            value = _await_if_needed(
                handler.setup(params) if handler.takes_params else handler.setup()
            )
        except AccordError:
            raise
        except Exception as exc:
            raise ProviderStateError(
                f"setting up provider state {state.name!r} raised {type(exc).__name__}: {exc}"
            ) from exc
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise ProviderStateError(
                f"the handler of provider state {state.name!r} returned {type(value).__name__}; "
                "return a mapping of values for ProviderState generators, or None"
            )
        return value

    def teardown(self, state: ProviderState) -> None:
        handler = self._handler_for(state.name)
        if handler.teardown is None:
            return
        params = dict(state.params)
        try:
            _await_if_needed(
                handler.teardown(params) if handler.teardown_takes_params else handler.teardown()
            )
        except Exception as exc:
            raise ProviderStateError(
                f"tearing down provider state {state.name!r} raised {type(exc).__name__}: {exc}"
            ) from exc


default_states = ProviderStates()


def provider_state(
    name: str, *, teardown: TeardownHandler | None = None
) -> Callable[[SetupHandler], SetupHandler]:
    """Register a handler in the default registry: ``@provider_state("an account exists")``."""
    return default_states(name, teardown=teardown)


class StateChangeUrl:
    """The state-change URL protocol, over the verifier's own session.

    A plain ``http://`` URL gets its own keep-alive connection on the standard library (see
    :mod:`accord.verifier.http_connection`): one state change per interaction makes this half
    of a verification's exchanges. Query-style calls and ``https`` use a ``requests`` session:
    the caller's, or one made on first use and closed by :meth:`close` (so a plain ``http://``
    run never imports ``requests``).
    """

    def __init__(
        self,
        url: str,
        session: "requests.Session | None" = None,
        *,
        as_query: bool = False,
        timeout: float = 5.0,
    ) -> None:
        self.url = url
        self._session = session
        self._owns_session = session is None
        self.as_query = as_query
        self.timeout = timeout
        self.connection: KeepAliveConnection | None = None
        if not as_query and is_plain_http(url):
            self.connection = KeepAliveConnection(url, timeout=timeout)
        parts = urlsplit(url)
        self._target = f"{parts.path}?{parts.query}" if parts.query else parts.path
        # the state change sent by :meth:`send_ahead`, whose answer is still to be read
        self._ahead: tuple[ProviderState, str] | None = None

    @property
    def session(self) -> "requests.Session":
        """The ``requests`` session for query-style and TLS calls, made on first use."""
        if self._session is None:
            self._session = new_session()
        return self._session

    def close(self) -> None:
        """Close the kept-alive connection and our own session (a caller's is theirs to close)."""
        if self.connection is not None:
            self.connection.close()
        self._ahead = None
        if self._owns_session and self._session is not None:
            self._session.close()
            self._session = None

    def _call(self, state: ProviderState, action: str) -> StateValues:
        try:
            status, content = self._send(state, action)
        except (OSError, HttpProtocolError, ValueError) as exc:  # requests' errors are OSErrors
            raise ProviderStateError(
                f"state change {action} of {state.name!r} could not reach {self.url}: {exc}"
            ) from exc
        if status >= 400:
            text = content.decode("utf-8", errors="replace")
            raise ProviderStateError(
                f"state change {action} of {state.name!r}: {self.url} answered "
                f"HTTP {status}: {text[:300]}"
            )
        if action == "setup" and content:
            try:
                values = json.loads(content)
            except ValueError:
                return {}
            return values if isinstance(values, Mapping) else {}
        return {}

    def _send(self, state: ProviderState, action: str) -> tuple[int, bytes]:
        """POST the state change; the answer's status and body."""
        if self.as_query:
            query: dict[str, str] = {"state": state.name, "action": action}
            for key, value in state.params.items():
                query[key] = value if isinstance(value, str) else json.dumps(value)
            response = self.session.post(self.url, params=query, timeout=self.timeout)
            return response.status_code, response.content
        if self.connection is not None:
            ahead, self._ahead = self._ahead, None
            if ahead is not None:
                answer = self.connection.receive()
                if ahead == (state, action):
                    return answer.status, answer.body
            headers, payload = _state_change(state, action)
            answer = self.connection.exchange("POST", self._target, headers, payload)
            return answer.status, answer.body
        headers, payload = _state_change(state, action)
        response = send_prepared(
            self.session, "POST", self.url, headers, payload, timeout=self.timeout
        )
        return response.status_code, response.content

    def send_ahead(self, state: ProviderState) -> None:
        """Send the setup call of ``state`` now; the next :meth:`setup` of ``state`` reads its
        answer instead of making the call.

        The verifier calls this once the provider has answered an interaction's request and
        before it matches that answer, for the first state of the interaction that comes next:
        the provider sets the state up while the verifier compares, and it still sees every
        call in the order a call-by-call run makes them. Only the kept-alive ``http://``
        connection sends ahead; a send that fails is forgotten, and the call is then made in
        full when its turn comes (its error, if any, reported as usual).
        """
        if self.connection is None or self._ahead is not None:
            return
        headers, payload = _state_change(state, "setup")
        try:
            self.connection.send("POST", self._target, headers, payload)
        except (OSError, ValueError):
            return
        self._ahead = (state, "setup")

    def setup(self, state: ProviderState) -> StateValues:
        return self._call(state, "setup")

    def teardown(self, state: ProviderState) -> None:
        self._call(state, "teardown")


def _state_change(state: ProviderState, action: str) -> tuple[dict[str, str], bytes]:
    """The headers and JSON body of a state-change POST."""
    payload = json.dumps({"state": state.name, "params": dict(state.params), "action": action})
    body = payload.encode("utf-8")
    return {"Content-Type": "application/json", "Content-Length": str(len(body))}, body


def unhandled_states_message(names: Iterable[str]) -> str:
    """Why states were not set up, and the two ways to set them up (or to make this fatal)."""
    listed = ", ".join(repr(name) for name in dict.fromkeys(names))
    return (
        f"no provider state callback configured for provider state {listed}: the state was not "
        "set up (pass --state-change-url, or register a handler with @provider_state; "
        "--strict-states makes this an error)"
    )


class StateRunner:
    """Sets up and tears down the states of one interaction with whichever mechanism is set.

    With neither handlers nor a state-change URL, states cannot be set up: ``strict`` makes
    that an error (:meth:`check_configured`), otherwise the verdict carries a warning.
    """

    def __init__(
        self,
        handlers: ProviderStates | None,
        url: StateChangeUrl | None,
        *,
        teardown: bool,
        strict: bool = False,
    ) -> None:
        self.handlers = handlers if handlers else None
        self.url = url
        self.teardown_enabled = teardown
        self.strict = strict

    @property
    def active(self) -> bool:
        return self.handlers is not None or self.url is not None

    def check_configured(self, states: Iterable[ProviderState]) -> str | None:
        """A warning when ``states`` cannot be set up; raises instead when ``strict``."""
        names = [state.name for state in states]
        if self.active or not names:
            return None
        if self.strict:
            raise ProviderStateError(unhandled_states_message(names))
        return unhandled_states_message(names)

    def states_for(self, states: tuple[ProviderState, ...]) -> tuple[ProviderState, ...]:
        """The states to set up for an interaction that names ``states``.

        With a state-change URL (and no in-process handlers) an interaction without states
        still gets a call, for the empty state ``""``, as the Pact verifiers make it: providers
        use that call to reset themselves between interactions.
        """
        if states or self.url is None or self.handlers is not None:
            return states
        return (ProviderState(""),)

    def setup(self, states: Iterable[ProviderState]) -> dict[str, Any]:
        """Set up every state; return the params and handler values generators may use."""
        context: dict[str, Any] = {}
        for state in states:
            context.update(state.params)
            if self.handlers is not None:
                context.update(self.handlers.setup(state))
            elif self.url is not None:
                context.update(self.url.setup(state))
        return context

    def send_ahead(self, states: tuple[ProviderState, ...]) -> None:
        """Start the first state-change call of the interaction verified next (see
        :meth:`StateChangeUrl.send_ahead`): not with in-process handlers, nor when a teardown
        call comes first."""
        if self.handlers is not None or self.url is None or self.teardown_enabled:
            return
        to_set_up = self.states_for(states)
        if to_set_up:
            self.url.send_ahead(to_set_up[0])

    def teardown(self, states: Iterable[ProviderState]) -> None:
        for state in states:
            if self.handlers is not None:
                self.handlers.teardown(state)
            elif self.url is not None and self.teardown_enabled:
                self.url.teardown(state)
