"""Serve pacts as an HTTP stub of the provider, for consumers' own integration tests.

::

    from accord.pact import load_pact
    from accord.stub import StubServer

    with StubServer([load_pact("pacts/web-accounts.json")]) as stub:
        client = AccountsClient(base_url=stub.url)

Each request is matched with the pacts' request matching rules (``accord.matching``); the
matching interaction's response is sent with its generators applied. ``accord stub`` is the
same from the command line, and ``accord.testing.stub_server`` loads the pacts for you.
"""

from accord.stub.selection import InteractionIndex, Match, NoMatch, StubInteraction
from accord.stub.server import StubApp, StubOptions, StubServer
from accord.stub.sources import BrokerPacts, load_pacts

__all__ = [
    "BrokerPacts",
    "InteractionIndex",
    "Match",
    "NoMatch",
    "StubApp",
    "StubInteraction",
    "StubOptions",
    "StubServer",
    "load_pacts",
]
