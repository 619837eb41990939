"""The broker's listening socket answers keep-alive requests without Nagle's delay.

asyncio turns Nagle's algorithm off only on connections whose socket names the TCP protocol;
a listener made with protocol 0 (``socket.create_server``) left it on, and every answer on a
reused keep-alive connection then waited for the client's delayed ACK (40 ms on Linux): the
broker's heartbeat took 44 ms instead of about 1 ms for a ``requests.Session``.
"""

import asyncio
import socket

import pytest
from accord_broker.serve import bind

from accord.errors import BrokerConfigError


def _nodelay_of_an_accepted_connection(listener: socket.socket) -> int:
    """TCP_NODELAY of the server side of one connection accepted by an asyncio server on
    ``listener``, as uvicorn serves it (``loop.create_server(sock=...)``)."""

    async def accept_one() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Protocol(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Protocol, sock=listener)
        async with server:
            port = listener.getsockname()[1]
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                return await asyncio.wait_for(seen, 10)
            finally:
                writer.close()

    return asyncio.run(accept_one())


def test_connections_the_broker_accepts_send_each_write_at_once() -> None:
    listener = bind("127.0.0.1", 0)

    assert listener.proto == socket.IPPROTO_TCP
    assert _nodelay_of_an_accepted_connection(listener) != 0


def test_the_standard_librarys_listener_would_have_left_nagle_on() -> None:
    """The control: the same accept on a protocol-0 listener keeps Nagle's algorithm, so the
    test above fails if ``bind`` goes back to ``socket.create_server``."""
    listener = socket.create_server(("127.0.0.1", 0))

    assert _nodelay_of_an_accepted_connection(listener) == 0


def test_a_busy_port_is_a_clear_error() -> None:
    with bind("127.0.0.1", 0) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(BrokerConfigError, match=f"port {port} on 127.0.0.1 is already in use"):
            bind("127.0.0.1", port)
