"""The verifier's own HTTP/1.1 client (``accord.verifier.http_connection``) against a real
socket server that answers with scripted bytes and records what it received."""

import gzip
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

from accord.verifier.http_connection import HttpProtocolError, KeepAliveConnection


@dataclass
class Scripted:
    """A one-thread server: each request read gets the next answer (``None``: hang up)."""

    answers: list[bytes | None]
    received: list[bytes] = field(default_factory=list)
    connections: int = 0
    port: int = 0


def _read_request(conn: socket.socket, pending: bytearray) -> bytes | None:
    while b"\r\n\r\n" not in pending:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        pending += chunk
    head, _, _ = bytes(pending).partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    total = len(head) + 4 + length
    while len(pending) < total:
        pending += conn.recv(65536)
    request = bytes(pending[:total])
    del pending[:total]
    return request


def _serve(listener: socket.socket, script: Scripted) -> None:
    while script.answers:
        conn, _ = listener.accept()
        script.connections += 1
        pending = bytearray()
        with conn:
            while script.answers:
                request = _read_request(conn, pending)
                if request is None:
                    break
                script.received.append(request)
                answer = script.answers.pop(0)
                if answer is None:
                    break
                conn.sendall(answer)
                if _ends_the_connection(request, answer):
                    break


def _ends_the_connection(request: bytes, answer: bytes) -> bool:
    """Whether an HTTP/1.1 server closes after ``answer``: when it says so, or when its body
    runs to the close. Answers without a body (to HEAD, 1xx, 204, 304) keep the connection, as
    a real server's do; closing after them raced the client's next request (a reset)."""
    head = answer.split(b"\r\n\r\n")[0]
    if b"Connection: close" in head:
        return True
    status = head.split(b" ", 2)[1] if head.count(b" ") >= 1 else b""
    if request.startswith(b"HEAD ") or status in (b"204", b"304") or status.startswith(b"1"):
        return False
    return b"Content-Length" not in head and b"chunked" not in head


@contextmanager
def scripted(*answers: bytes | None) -> Iterator[tuple[Scripted, KeepAliveConnection]]:
    listener = socket.create_server(("127.0.0.1", 0))
    script = Scripted(list(answers), port=listener.getsockname()[1])
    thread = threading.Thread(target=_serve, args=(listener, script), daemon=True)
    thread.start()
    connection = KeepAliveConnection(f"http://127.0.0.1:{script.port}", timeout=10)
    try:
        yield script, connection
    finally:
        connection.close()
        listener.close()
        thread.join(timeout=10)


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Seen: yes\r\n\r\nok"


def test_a_request_goes_out_whole_with_host_and_identity_encoding_first() -> None:
    with scripted(OK) as (script, connection):
        answer = connection.exchange(
            "POST", "/_pact/state?x=1", {"Content-Type": "application/json"}, b'{"a": 1}'
        )
        assert connection._socket is not None
        nodelay = connection._socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    assert (answer.status, answer.body) == (200, b"ok")
    assert ("X-Seen", "yes") in answer.headers
    assert nodelay
    assert script.received == [
        b"POST /_pact/state?x=1 HTTP/1.1\r\n"
        + f"Host: 127.0.0.1:{script.port}\r\n".encode()
        + b"Accept-Encoding: identity\r\nContent-Type: application/json\r\n"
        b'Content-Length: 8\r\n\r\n{"a": 1}'
    ]


def test_the_connection_is_kept_for_the_next_request() -> None:
    with scripted(OK, OK) as (script, connection):
        connection.exchange("GET", "/a", {}, None)
        connection.exchange("GET", "/b", {"Host": "provider"}, None)
    assert script.connections == 1
    assert (
        script.received[1]
        == b"GET /b HTTP/1.1\r\nAccept-Encoding: identity\r\nHost: provider\r\n\r\n"
    )


def test_connection_close_makes_the_next_request_open_a_new_one() -> None:
    closing = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx"
    with scripted(closing, OK) as (script, connection):
        assert connection.exchange("GET", "/a", {}, None).body == b"x"
        assert connection.exchange("GET", "/b", {}, None).body == b"ok"
    assert script.connections == 2


def test_chunked_gzip_bodies_are_decoded_and_interim_answers_skipped() -> None:
    packed = gzip.compress(b'{"id": 7}')
    chunked = (
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
        + b"%x\r\n" % 5
        + packed[:5]
        + b"\r\n"
        + b"%x;ext=1\r\n" % (len(packed) - 5)
        + packed[5:]
        + b"\r\n0\r\nTrailer: t\r\n\r\n"
    )
    with scripted(chunked, OK) as (script, connection):
        assert connection.exchange("GET", "/a", {}, None).body == b'{"id": 7}'
        assert connection.exchange("GET", "/b", {}, None).body == b"ok"
    assert script.connections == 1


def test_answers_without_a_body_and_bodies_that_run_to_the_close() -> None:
    no_content = b"HTTP/1.1 204 No Content\r\n\r\n"
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n"
    until_close = b"HTTP/1.0 200 OK\r\n\r\nall of it"
    with scripted(no_content, head, until_close) as (_, connection):
        assert connection.exchange("DELETE", "/a", {}, None).body == b""
        assert connection.exchange("HEAD", "/a", {}, None).body == b""
        assert connection.exchange("GET", "/a", {}, None).body == b"all of it"


def test_a_provider_that_hangs_up_is_an_error_not_an_empty_answer() -> None:
    with scripted(None) as (_, connection), pytest.raises(HttpProtocolError, match="without"):
        connection.exchange("GET", "/a", {}, None)


def test_a_header_that_would_split_the_request_is_refused_before_sending() -> None:
    with scripted(OK) as (script, connection):
        with pytest.raises(ValueError, match="Invalid header value"):
            connection.exchange("GET", "/a", {"X-Evil": "a\r\nInjected: yes"}, None)
        assert connection.exchange("GET", "/b", {}, None).body == b"ok"
    assert [r.split(b" ")[1] for r in script.received] == [b"/b"]


def test_an_answer_is_read_after_its_request_was_sent_ahead() -> None:
    with scripted(OK) as (_, connection):
        connection.send("GET", "/a", {}, None)
        with pytest.raises(RuntimeError, match="already waiting"):
            connection.send("GET", "/b", {}, None)
        assert connection.receive().body == b"ok"
        with pytest.raises(RuntimeError, match="no request"):
            connection.receive()
