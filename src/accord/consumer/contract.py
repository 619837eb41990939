"""A ``pact.Pact`` that remembers what the test exercised and fails with a readable message.

:class:`ConsumerPact` *is* a pact-python ``Pact`` (all of its DSL works unchanged); it adds two
things the plugin needs:

* ``serve()`` binds to 127.0.0.1 on a port the mock server picks itself (port 0, never probed
  first) and, when the block ends, raises :class:`~accord.errors.ConsumerContractError` listing
  unexpected requests with the closest expected interaction, and interactions never exercised;
* it records whether its HTTP interactions were served and its message interactions verified, so
  the plugin can fail a test that declared interactions it never used.
"""

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from pact import Pact
from pact.error import InteractionVerificationError, Mismatch
from pact.pact import PactServer

from accord.consumer.messages import SyncMessageHandler, sync_messages
from accord.consumer.mismatches import (
    MockServerProblem,
    describe_mismatches,
    describe_unexercised,
    mock_server_problems,
)
from accord.consumer.pact_dir import pact_file_name
from accord.errors import ConsumerContractError

MessageHandler = Callable[[str | bytes | None, dict[str, object]], None]
HTTP_KIND = "Synchronous/HTTP"
MESSAGE_KINDS = {"Asynchronous/Messages": "Async", "Synchronous/Messages": "Sync"}
_VERIFY_HINTS = {
    "Async": 'feed them to your message handler with `pact.verify(handler, "Async")`',
    "Sync": "feed them to your message handler with `pact.verify_sync(handler)`, which"
    ' hands it each request and its responses (or `pact.verify(handler, "Sync")`)',
}


class ConsumerPact(Pact):
    """pact-python's ``Pact`` with bookkeeping for the accord pytest plugin."""

    def __init__(self, consumer: str, provider: str, specification: str = "V4") -> None:
        super().__init__(consumer, provider)
        self.with_specification(specification)
        self.served = False
        self.verified_kinds: set[str] = set()

    @property
    def pair(self) -> str:
        return f"{self.consumer} → {self.provider}"

    def serve(
        self,
        addr: str = "127.0.0.1",
        port: int = 0,
        transport: str = "http",
        transport_config: str | None = None,
        *,
        raises: bool = True,
        verbose: bool = False,
    ) -> "MockServer":
        """Serve the mock server for a ``with`` block (see pact-python's ``Pact.serve``)."""
        self.served = True
        return MockServer(self, addr, port, transport, transport_config, raises=raises)

    def verify(
        self,
        handler: MessageHandler,
        kind: Literal["Async", "Sync"],
        *,
        raises: bool = True,
    ) -> Any:
        """Feed every message interaction of ``kind`` to ``handler`` (the message consumer).

        A handler that raises fails the test with the message description and the error.
        """
        __tracebackhide__ = True
        self.verified_kinds.add(kind)
        errors = super().verify(handler, kind, raises=False)
        if raises and errors:
            lines = [f"the message consumer for {self.pair} failed on the pact's messages:"]
            lines.extend(f"  - {str(error.description)!r}: {error.error!r}" for error in errors)
            raise ConsumerContractError("\n".join(lines)) from errors[0].error
        return None if raises else errors

    def verify_sync(
        self, handler: SyncMessageHandler, *, raises: bool = True
    ) -> list[InteractionVerificationError] | None:
        """Feed every synchronous message, request *and* responses, to ``handler``.

        ``verify(handler, "Sync")`` gives the handler the request only; a synchronous message
        consumer is tested on the responses it gets back, so this hands it the whole
        :class:`~accord.consumer.messages.SyncMessage` (generators applied). A handler that
        raises fails the test as in :meth:`verify`.
        """
        __tracebackhide__ = True
        self.verified_kinds.add("Sync")
        errors: list[InteractionVerificationError] = []
        for message in sync_messages(self):
            try:
                handler(message)
            except Exception as error:  # any handler failure fails the test
                errors.append(InteractionVerificationError(message.description, error))
        if raises and errors:
            lines = [f"the message consumer for {self.pair} failed on the pact's messages:"]
            lines.extend(f"  - {str(error.description)!r}: {error.error!r}" for error in errors)
            raise ConsumerContractError("\n".join(lines)) from errors[0].error
        return None if raises else errors

    def as_json(self) -> dict[str, Any]:
        """The pact as pact-python would write it right now."""
        with tempfile.TemporaryDirectory(prefix="accord-pact-") as directory:
            self.write_file(directory, overwrite=True)
            (written,) = Path(directory).glob("*.json")
            document: dict[str, Any] = json.loads(written.read_text(encoding="utf-8"))
            return document

    def unexercised_problems(self) -> list[str]:
        """Messages for interactions declared but never exercised by the test."""
        return unexercised_problems(self.pair, self.as_json(), self.served, self.verified_kinds)


def unexercised_problems(
    pair: str, document: dict[str, Any], served: bool, verified_kinds: set[str]
) -> list[str]:
    """One message per kind of interaction the test declared but never exercised."""
    interactions = [*document.get("interactions", [])]
    # V3 message pacts keep their (asynchronous) messages in a list of their own, untyped.
    interactions += [{"type": "Asynchronous/Messages", **m} for m in document.get("messages", [])]
    http = [i["description"] for i in interactions if i.get("type", HTTP_KIND) == HTTP_KIND]
    problems = []
    if http and not served:
        problems.append(
            describe_unexercised(
                pair,
                "HTTP",
                http,
                "start the mock server with `with pact.serve() as server:` and call it",
            )
        )
    for type_name, kind in MESSAGE_KINDS.items():
        messages = [i["description"] for i in interactions if i.get("type") == type_name]
        if messages and kind not in verified_kinds:
            problems.append(
                describe_unexercised(
                    pair,
                    "message",
                    messages,
                    _VERIFY_HINTS[kind],
                )
            )
    return problems


class MockServer(PactServer):
    """pact-python's mock server whose exit explains every mismatch (see module docstring)."""

    def __init__(
        self,
        pact: ConsumerPact,
        host: str,
        port: int,
        transport: str,
        transport_config: str | None,
        *,
        raises: bool,
    ) -> None:
        super().__init__(
            pact._handle,
            host,
            port,
            transport,
            transport_config,
            raises=False,
            verbose=False,
        )
        self._pact = pact
        self._raise_on_mismatch = raises

    @property
    def problems(self) -> list[MockServerProblem]:
        """Every difference the mock server saw so far, flat (empty when all went as expected).

        Readable while the server runs (requests that did not match) and after its block
        (then also the interactions never exercised, as ``missing-request`` problems).
        """
        return mock_server_problems(self.mismatches)

    @property
    def ok(self) -> bool:
        """Whether every interaction was exercised and every request matched one of them."""
        return not self.mismatches

    def write_pact(self, directory: Path | str) -> Path:
        """Write the pact file into ``directory`` if the mock server saw what the pact expects.

        The reference mock servers write a pact only for a test that passed, so a broken test
        never publishes its mistakes; code that drives the mock server itself (rather than
        through the pytest plugin, which stages only passing tests' pacts) gets the same rule
        here. Returns the file written; raises :class:`~accord.errors.ConsumerContractError`
        listing the problems, and writes nothing, otherwise.
        """
        __tracebackhide__ = True
        found: list[Mismatch] = self.mismatches
        if found:
            interactions = self._pact.as_json().get("interactions", [])
            message = describe_mismatches(self._pact.pair, found, interactions)
            raise ConsumerContractError(
                f"{message}\nno pact file was written to {directory}: make the test's requests"
                " match the pact (or fix the pact) first"
            )
        target = Path(directory)
        self._pact.write_file(target, overwrite=True)
        return target / pact_file_name(self._pact.consumer, self._pact.provider)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        __tracebackhide__ = True
        super().__exit__(exc_type, exc_value, traceback)
        found: list[Mismatch] = self.mismatches
        if not found or not self._raise_on_mismatch:
            return
        interactions = self._pact.as_json().get("interactions", [])
        message = describe_mismatches(self._pact.pair, found, interactions)
        # Raised from the consumer's own error (if any): that error usually *is* the mock
        # server's 500 answer to the unexpected request, and both belong in the report.
        raise ConsumerContractError(message) from exc_value
