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
from pact.error import Mismatch
from pact.pact import PactServer

from accord.consumer.mismatches import describe_mismatches, describe_unexercised
from accord.errors import ConsumerContractError

MessageHandler = Callable[[str | bytes | None, dict[str, object]], None]
HTTP_KIND = "Synchronous/HTTP"
MESSAGE_KINDS = {"Asynchronous/Messages": "Async", "Synchronous/Messages": "Sync"}


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
                    f'feed them to your message handler with `pact.verify(handler, "{kind}")`',
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
