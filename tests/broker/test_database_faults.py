"""The broker under database faults, with real processes and a real PostgreSQL (issue #20).

When PostgreSQL goes away (connections cut, the server stopped) or stalls (connections open,
no byte moving), every request is answered 503 with a JSON reason within a bounded time, never
500 and never a hang; the broker recovers by itself when the database answers again. A
webhook delivery claimed by a process that is killed goes out from another process within
seconds, exactly once where the target acknowledged it.
"""

import base64
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from accord_broker import Settings, create_app
from accord_broker.db.engine import ConnectionBounds, Database
from accord_broker.db.migrate import migrate
from accord_broker.domain.unit_of_work import UnitOfWork
from accord_broker.errors import DatabaseUnavailableError
from sqlalchemy import text

from accord.testing import PostgresServer, free_port, start_postgres, wait_for_port
from tests.broker.conftest import make_pact
from tests.broker.tcp_proxy import stalling_proxy
from tests.broker.webhook_receiver import webhook_body

USER, PASSWORD = "ci", "Wr1te-Pa55word"
AUTH = (USER, PASSWORD)
FAST_BOUNDS = {
    "ACCORD_BROKER_DATABASE_STATEMENT_TIMEOUT_MS": "1000",
    "ACCORD_BROKER_DATABASE_STALL_GRACE_SECONDS": "1",
    "ACCORD_BROKER_DATABASE_CONNECT_TIMEOUT_SECONDS": "2",
    "ACCORD_BROKER_DATABASE_POOL_TIMEOUT_SECONDS": "2",
}
"""A statement timeout of 1 s plus 1 s of grace: a stalled request ends within ~2-4 s."""
BOUND_SECONDS = 10.0
"""What the test allows one request on a failing database (the bounds above, on a loaded
machine); without the bounds a stalled request waits for as long as the stall lasts."""


@dataclass
class BrokerProcess:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("auth", AUTH)
        kwargs.setdefault("timeout", 60)
        return requests.request(method, self.url + path, **kwargs)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def broker_process(database_url: str, log: Path, **env: str) -> Iterator[BrokerProcess]:
    """``python -m accord_broker`` on a free port; its output goes to ``log``."""
    port = free_port()
    argv = [sys.executable, "-m", "accord_broker", "--port", str(port), "--no-access-log"]
    full_env = {
        **os.environ,
        "ACCORD_BROKER_BASIC_AUTH_USERNAME": USER,
        "ACCORD_BROKER_BASIC_AUTH_PASSWORD": PASSWORD,
        "ACCORD_BROKER_MIGRATE_ON_START": "false",
        **env,
    }
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [*argv, "--database-url", database_url],
            env=full_env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        try:
            wait_for_port("127.0.0.1", port, timeout=90)
        except TimeoutError:
            process.kill()
            raise AssertionError(log.read_text(errors="replace")) from None
        yield BrokerProcess(f"http://127.0.0.1:{port}", process, log)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _publish_body(version: str) -> dict[str, Any]:
    pact = make_pact("Web", "Accounts")
    content = base64.b64encode(json.dumps(pact).encode()).decode()
    return {
        "pacticipantName": "Web",
        "pacticipantVersionNumber": version,
        "contracts": [
            {
                "consumerName": "Web",
                "providerName": "Accounts",
                "specification": "pact",
                "contentType": "application/json",
                "content": content,
            }
        ],
    }


def _every_kind_of_request(
    broker: BrokerProcess, *, together: bool = False
) -> list[tuple[str, requests.Response, float]]:
    """A read, a write, a publication, a UI page, the matrix and a bearer-token lookup (done
    by the auth middleware, before any route); each with how long it took. ``together``
    sends them at once (each then waits on a connection of its own)."""
    calls: list[tuple[str, Callable[[], requests.Response]]] = [
        ("read", lambda: broker.request("GET", "/pacticipants/Web")),
        ("write", lambda: broker.request("POST", "/pacticipants", json={"name": "Mobile"})),
        ("publish", lambda: broker.request("POST", "/contracts/publish", json=_publish_body("9"))),
        ("ui", lambda: broker.request("GET", "/ui/", headers={"Accept": "text/html"})),
        (
            "matrix",
            lambda: broker.request(
                "GET", "/matrix?q[][pacticipant]=Web&q[][latest]=true&latestby=cvp"
            ),
        ),
        (
            "token",
            lambda: broker.request(
                "GET",
                "/pacticipants/Web",
                auth=None,
                headers={"Authorization": "Bearer accord_k3y_s3cret"},
            ),
        ),
    ]

    def timed(named: tuple[str, Callable[[], requests.Response]]) -> Any:
        started = time.monotonic()
        response = named[1]()
        return (named[0], response, time.monotonic() - started)

    if not together:
        return [timed(named) for named in calls]
    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(timed, calls))


def _assert_all_unavailable(answered: list[tuple[str, requests.Response, float]]) -> None:
    for name, response, seconds in answered:
        assert response.status_code == 503, (name, response.status_code, response.text)
        body = response.json()
        assert "database" in body["error"], (name, body)
        assert body["errors"], (name, body)
        assert seconds < BOUND_SECONDS, (name, seconds)


def _wait_until_ok(broker: BrokerProcess, path: str, timeout: float = 30.0) -> requests.Response:
    deadline = time.monotonic() + timeout
    while True:
        response = broker.request("GET", path, timeout=BOUND_SECONDS * 2)
        assert response.status_code in (200, 503), response.text
        if response.status_code == 200 or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


# --- the server: one of this module's own, since the tests stop and cut it -------------------


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    try:
        running = start_postgres()
    except (RuntimeError, OSError) as exc:  # pragma: no cover - the machine has no PostgreSQL
        pytest.fail(f"these fault tests need PostgreSQL server binaries: {exc}")
    try:
        yield running
    finally:
        running.stop()


def _pg_ctl(server: PostgresServer, *args: str) -> None:
    command = [*server._as_user, f"{server.bin_dir}/pg_ctl", "-D", f"{server.data_dir}/data"]
    subprocess.run([*command, *args], check=True, capture_output=True, timeout=60)


def _start_again(server: PostgresServer) -> None:
    options = (
        f"-p {server.port} -k {server.data_dir} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c max_connections=200"
    )
    _pg_ctl(server, "start", "-w", "-l", f"{server.data_dir}/log", "-o", options)


def _admin(server: PostgresServer, statement: str, *params: Any) -> list[Any]:
    dsn = f"postgresql://postgres@127.0.0.1:{server.port}/postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        cursor = conn.execute(statement, params)
        return list(cursor.fetchall()) if cursor.description is not None else []


def _fresh_database(server: PostgresServer, name: str) -> str:
    _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(server, f'CREATE DATABASE "{name}"')
    url = server.url.rsplit("/", 1)[0] + f"/{name}"
    migrate(url)
    return url


def _seed(broker: BrokerProcess) -> None:
    answer = broker.request("POST", "/contracts/publish", json=_publish_body("1"))
    assert answer.status_code == 200, answer.text


# --- PostgreSQL goes away and comes back ---------------------------------------------------


@pytest.mark.slow
def test_connections_cut_by_the_server_answer_503_never_500_and_the_next_requests_succeed(
    server: PostgresServer, tmp_path: Path
) -> None:
    url = _fresh_database(server, "cut")
    with broker_process(url, tmp_path / "broker.log", **FAST_BOUNDS) as broker:
        _seed(broker)
        with ThreadPoolExecutor(4) as pool:  # several pooled connections in use
            list(pool.map(lambda _: broker.request("GET", "/pacticipants/Web"), range(8)))
        cut = _admin(
            server,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            "cut",
        )
        statuses = [broker.request("GET", "/pacticipants/Web").status_code for _ in range(12)]
        written = broker.request("POST", "/pacticipants", json={"name": "After"})

    assert cut, "the broker held no connection to cut"
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[-1] == 200, statuses
    assert written.status_code == 201, written.text


@pytest.mark.slow
def test_a_stopped_server_gets_503_with_a_reason_everywhere_then_the_broker_recovers_by_itself(
    server: PostgresServer, tmp_path: Path
) -> None:
    url = _fresh_database(server, "stopped")
    with broker_process(url, tmp_path / "broker.log", **FAST_BOUNDS) as broker:
        _seed(broker)
        _pg_ctl(server, "stop", "-m", "fast")
        try:
            down = _every_kind_of_request(broker)
            heartbeat = broker.request("GET", "/diagnostic/status/heartbeat")
        finally:
            _start_again(server)
        back = _wait_until_ok(broker, "/pacticipants/Web")
        written = broker.request("POST", "/contracts/publish", json=_publish_body("2"))
        log = broker.output()

    _assert_all_unavailable(down)
    assert heartbeat.status_code == 200  # liveness needs no database
    assert back.status_code == 200, back.text
    assert written.status_code == 200, written.text
    assert "Internal Server Error" not in log and "unexpected error" not in log, log[-3000:]


# --- PostgreSQL stalls: connections open, no byte moving ------------------------------------


@pytest.mark.slow
def test_a_stalled_database_gets_503_within_the_bound_then_the_broker_recovers_by_itself(
    server: PostgresServer, tmp_path: Path
) -> None:
    url = _fresh_database(server, "stalled")
    with stalling_proxy(server.port) as proxy:
        through_proxy = url.replace(f"127.0.0.1:{server.port}", proxy.url_host)
        with broker_process(through_proxy, tmp_path / "broker.log", **FAST_BOUNDS) as broker:
            _seed(broker)
            assert broker.request("GET", "/pacticipants/Web").status_code == 200
            proxy.stall()
            try:
                alone = _every_kind_of_request(broker, together=True)
                with ThreadPoolExecutor(8) as pool:  # more at once than one connection
                    started = time.monotonic()
                    together = list(
                        pool.map(lambda _: broker.request("GET", "/pacticipants/Web"), range(8))
                    )
                    together_seconds = time.monotonic() - started
            finally:
                proxy.resume()
            back = _wait_until_ok(broker, "/pacticipants/Web")
            written = broker.request("POST", "/pacticipants", json={"name": "After"})

    _assert_all_unavailable(alone)
    assert [r.status_code for r in together] == [503] * 8, [r.text for r in together]
    assert together_seconds < 2 * BOUND_SECONDS
    assert back.status_code == 200, back.text
    assert written.status_code == 201, written.text


# --- a delivery claimed by a killed process -------------------------------------------------


class HoldingTarget:
    """A webhook target that holds the first request open (never answers it) and
    acknowledges every later one with 200; it counts what it acknowledged."""

    def __init__(self) -> None:
        self.arrived: list[str] = []
        self.acknowledged: list[str] = []
        self.first_arrived = threading.Event()
        self.acknowledged_one = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    def handle(self, body: str) -> bool:
        """Whether to acknowledge this request (``False``: hold it until released)."""
        with self._lock:
            self.arrived.append(body)
            first = len(self.arrived) == 1
        if first:
            self.first_arrived.set()
            self.release.wait(60)
            return False
        with self._lock:
            self.acknowledged.append(body)
        self.acknowledged_one.set()
        return True


@contextmanager
def holding_target() -> Iterator[tuple[HoldingTarget, str]]:
    target = HoldingTarget()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            if not target.handle(body):
                return  # the client (the killed broker) is gone; nothing to answer
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    http.daemon_threads = True
    thread = threading.Thread(target=http.serve_forever, name="holding-target", daemon=True)
    thread.start()
    try:
        yield target, f"http://127.0.0.1:{http.server_address[1]}/hook"
    finally:
        target.release.set()
        http.shutdown()
        http.server_close()


WEBHOOK_ENV = {
    "ACCORD_BROKER_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    "ACCORD_BROKER_WEBHOOK_ALLOWED_SCHEMES": "http",
    "ACCORD_BROKER_WEBHOOK_POLL_INTERVAL_SECONDS": "0.1",
    "ACCORD_BROKER_WEBHOOK_TIMEOUT_SECONDS": "30",
    "ACCORD_BROKER_WEBHOOK_LEASE_SECONDS": "3",
}
"""The target holds the request longer than the lease (3 s): only the heartbeat keeps the
claim with the first process while it lives."""


@pytest.mark.slow
def test_a_delivery_claimed_by_a_killed_process_goes_out_from_another_within_seconds(
    server: PostgresServer, tmp_path: Path
) -> None:
    url = _fresh_database(server, "hooks")
    with holding_target() as (target, hook_url):
        with broker_process(url, tmp_path / "first.log", **WEBHOOK_ENV) as first:
            hook = webhook_body(hook_url, "contract_published")
            hook["request"]["body"] = {"v": "${pactbroker.consumerVersionNumber}"}
            assert first.request("POST", "/webhooks", json=hook).status_code == 201
            _seed(first)
            assert target.first_arrived.wait(30), first.output()[-3000:]
            time.sleep(4)  # past one lease: the heartbeat keeps the claim with the live process
            held_by_live_process = _delivery_row(url)
            first.process.send_signal(signal.SIGKILL)
            first.process.wait(10)
        killed_at = time.monotonic()
        with broker_process(url, tmp_path / "second.log", **WEBHOOK_ENV) as second:
            delivered = target.acknowledged_one.wait(30)
            took = time.monotonic() - killed_at
            time.sleep(1)  # room for a duplicate, if there were one
            triggered = second.request(
                "GET", "/pacts/provider/Accounts/consumer/Web/version/1/triggered-webhooks"
            ).json()["_embedded"]["triggeredWebhooks"]

    assert held_by_live_process["lease_owner"] is not None
    assert held_by_live_process["lease_current"] is True  # renewed past its first 3 s
    assert held_by_live_process["attempts_made"] == 0
    assert delivered, (tmp_path / "second.log").read_text()[-3000:]
    assert took < 25, took  # the new process starts, then the dead one's lease (3 s) runs out
    assert [json.loads(body)["v"] for body in target.acknowledged] == ["1"]
    assert len(target.arrived) == 2  # the held one (never acknowledged) and the delivery
    assert [(t["status"], t["attemptsMade"]) for t in triggered] == [("success", 1)]


def _delivery_row(database_url: str) -> dict[str, Any]:
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(
            "SELECT lease_owner, attempts_made, lease_expires_at > now() FROM triggered_webhooks"
        ).fetchone()
    assert row is not None
    return {"lease_owner": row[0], "attempts_made": row[1], "lease_current": row[2]}


# --- no free connection ----------------------------------------------------------------------


def test_a_request_waiting_for_a_pooled_connection_gives_up_with_503_after_the_pool_timeout(
    postgres_database_url: str,
) -> None:
    migrate(postgres_database_url)
    bounds = ConnectionBounds(pool_timeout_seconds=0.5)
    database = Database(postgres_database_url, pool_size=1, bounds=bounds)
    held = [database.engine.connect() for _ in range(3)]  # the pool and its overflow (2)
    try:
        started = time.monotonic()
        with (
            pytest.raises(DatabaseUnavailableError) as refused,
            UnitOfWork(database).read() as session,
        ):
            session.execute(text("SELECT 1"))
        waited = time.monotonic() - started
    finally:
        for connection in held:
            connection.close()
        database.dispose()

    assert "pool timeout" in str(refused.value)
    assert 0.4 < waited < 5


# --- SIGKILL during a publication storm (holds today; must not regress) ------------------------


def _storm(
    broker: BrokerProcess, client: int, acknowledged: list[str], stop: threading.Event
) -> None:
    """Publish new versions until the broker dies; record each one it acknowledged."""
    n = 0
    while not stop.is_set():
        version = f"{client}.{n}"
        try:
            answer = broker.request(
                "POST", "/contracts/publish", json=_publish_body(version), timeout=30
            )
        except requests.RequestException:
            return  # killed: this one was never acknowledged
        if answer.status_code == 200:
            acknowledged.append(version)
        n += 1


@pytest.mark.slow
def test_sigkill_mid_publication_storm_loses_no_acknowledged_write_and_leaves_nothing_half_made(
    database_url: str, tmp_path: Path
) -> None:
    migrate(database_url)
    acknowledged: list[str] = []
    stop = threading.Event()
    with broker_process(database_url, tmp_path / "first.log") as first:
        clients = [
            threading.Thread(target=_storm, args=(first, c, acknowledged, stop)) for c in range(4)
        ]
        for client in clients:
            client.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        first.process.send_signal(signal.SIGKILL)  # in the middle of publications
        first.process.wait(10)
        stop.set()
        for client in clients:
            client.join(30)
    with broker_process(database_url, tmp_path / "second.log") as second:
        missing = [
            version
            for version in acknowledged
            if second.request(
                "GET", f"/pacts/provider/Accounts/consumer/Web/version/{version}"
            ).status_code
            != 200
        ]
    half_made = _versions_without_a_pact(database_url)

    assert len(acknowledged) >= 40, "the storm never got going"
    assert missing == []
    assert half_made == []


def _versions_without_a_pact(database_url: str) -> list[str]:
    database = Database(database_url)
    try:
        with database.read_session() as session:
            rows = session.execute(
                text(
                    "SELECT v.number FROM versions v LEFT JOIN pact_publications p "
                    "ON p.consumer_version_id = v.id WHERE p.id IS NULL"
                )
            ).all()
    finally:
        database.dispose()
    return [str(row[0]) for row in rows]


# --- SQLite: an acknowledged write survives a power loss --------------------------------------


def _sqlite_settings(database: Database) -> tuple[str, int]:
    with database.read_session() as session:
        mode = session.scalar(text("PRAGMA journal_mode"))
        synchronous = session.scalar(text("PRAGMA synchronous"))
    return str(mode), int(synchronous or 0)


def test_sqlite_syncs_every_commit_by_default_and_normal_is_an_explicit_choice(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'broker.sqlite'}"
    migrate(url)
    default = create_app(Settings(database_url=url, webhook_worker_enabled=False))
    chosen = create_app(
        Settings(database_url=url, sqlite_synchronous="NORMAL", webhook_worker_enabled=False)
    )
    try:
        by_default = _sqlite_settings(default.state.broker.uow.database)
        when_chosen = _sqlite_settings(chosen.state.broker.uow.database)
    finally:
        default.state.broker.uow.database.dispose()
        chosen.state.broker.uow.database.dispose()

    assert by_default == ("wal", 2)  # FULL: the log is synced before a commit returns
    assert when_chosen == ("wal", 1)  # NORMAL: synced at checkpoints only
