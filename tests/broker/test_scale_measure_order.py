"""The scale benchmark asks the whole lists in rounds of their own, after every other question
(``benchmarks/broker_scale/run.measure``): mixed in, each one's megabytes slowed the question
asked right after it, which then read as that question's growth."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from benchmarks.broker_scale.question import Question, WholeList
from benchmarks.broker_scale.run import WARM_UP_ROUNDS, measure


class _Recorder(BaseHTTPRequestHandler):
    asked: list[str] = []

    def do_GET(self) -> None:
        self.asked.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    asked: list[str] = []
    handler = type("Recorder", (_Recorder,), {"asked": asked})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def test_whole_lists_are_asked_after_every_other_question(
    recorder: tuple[str, list[str]],
) -> None:
    base, asked = recorder
    whole = WholeList(member="_embedded.versions", items=3)
    questions = [
        Question("heartbeat", "GET", "/heartbeat"),
        Question("all versions", "GET", "/versions", whole_list=whole),
        Question("one version", "GET", "/version"),
    ]

    results, errors = measure(base, questions, rounds=2)

    rounds = 2 + WARM_UP_ROUNDS
    assert not errors
    assert asked == ["/heartbeat", "/version"] * rounds + ["/versions"] * rounds
    assert {name: int(r["n"]) for name, r in results.items()} == {
        "heartbeat": 2,
        "all versions": 2,
        "one version": 2,
    }
