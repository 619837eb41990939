"""A provider stub from pacts, for a consumer's integration and end-to-end tests.

``stub_server`` loads the pacts, starts :class:`accord.stub.StubServer` on a free loopback port
and stops it when the block ends. The stub package is imported on first use, so importing
``accord.testing`` stays cheap.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.pact import Pact
    from accord.stub import BrokerPacts, StubServer


@contextmanager
def stub_server(
    *,
    files: Sequence[str | Path] = (),
    dirs: Sequence[str | Path] = (),
    urls: Sequence[str] = (),
    extension: str = "json",
    broker: "BrokerPacts | None" = None,
    pacts: Sequence["Pact"] = (),
    provider_state: str | None = None,
    provider_state_header: str | None = None,
    empty_provider_state: bool = False,
    cors: bool = False,
    host: str = "127.0.0.1",
    port: int = 0,
) -> Iterator["StubServer"]:
    """Serve the interactions of pact files, directories, URLs, a broker or parsed ``pacts``::

        with stub_server(files=["pacts/web-accounts.json"]) as stub:
            assert AccountsClient(stub.url).balance(1) == 100

    ``extension`` is the file extension of pacts in ``dirs``. ``provider_state`` (a regex)
    picks among interactions that match the same request; ``provider_state_header`` names a
    request header that does the same per request.
    """
    from accord.stub import StubOptions, StubServer, load_pacts

    loaded = [
        *pacts,
        *load_pacts(files=files, dirs=dirs, urls=urls, extension=extension, broker=broker),
    ]
    options = StubOptions(
        cors=cors,
        provider_state=provider_state,
        provider_state_header=provider_state_header,
        empty_provider_state=empty_provider_state,
    )
    with StubServer(loaded, options, host=host, port=port) as server:
        yield server
