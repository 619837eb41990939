import socket

from accord.testing import free_port, wait_for_port


def test_wait_for_port_returns_once_something_listens() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        wait_for_port("127.0.0.1", sock.getsockname()[1], timeout=2)


def test_wait_for_port_times_out_when_nothing_listens() -> None:
    port = free_port()
    try:
        wait_for_port("127.0.0.1", port, timeout=0.2)
    except TimeoutError as exc:
        assert str(port) in str(exc)
    else:
        raise AssertionError("expected a TimeoutError")
