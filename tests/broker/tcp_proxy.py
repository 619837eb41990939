"""A TCP proxy on 127.0.0.1 that can stall: connections stay open but no byte moves.

This is what a frozen database server or a network that holds connections looks like to the
broker: the kernel still accepts connections and acknowledges packets (so TCP keepalive sees
nothing wrong), yet no answer ever comes. ``proxy.stall()`` stops forwarding in both
directions (new connections are accepted and held too); ``proxy.resume()`` lets bytes flow
again.
"""

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class StallingProxy:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self._flowing = threading.Event()
        self._flowing.set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._closed = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    @property
    def url_host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stall(self) -> None:
        self._flowing.clear()

    def resume(self) -> None:
        self._flowing.set()

    def serve(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        self._flowing.wait()  # a stalled server does not even answer the start-up packet
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        with self._lock:
            self._sockets.extend((client, upstream))
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                self._flowing.wait()
                data = source.recv(65536)
                if not data:
                    break
                self._flowing.wait()  # stalled between reading and writing: held here
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._closed.set()
        self._flowing.set()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.close()


@contextmanager
def stalling_proxy(target_port: int) -> Iterator[StallingProxy]:
    """A running :class:`StallingProxy` to ``127.0.0.1:target_port`` for the block."""
    proxy = StallingProxy(target_port)
    thread = threading.Thread(target=proxy.serve, name="stalling-proxy", daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.close()
        thread.join(timeout=5)
