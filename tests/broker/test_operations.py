"""Operating the broker: Prometheus metrics, request ids, JSON logs without secrets, readiness,
graceful shutdown and several worker processes (issue #19)."""

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from accord_broker.db.engine import Database
from accord_broker.domain.webhooks.queue import claim_due, release_claims
from prometheus_client.parser import text_string_to_metric_families

from accord.testing import free_port, start_postgres, wait_for_port
from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.webhook_receiver import Receiver, running_receiver, webhook_body

PROMETHEUS_ACCEPT = (
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
    "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
)
WEBHOOK_ENV = {
    "webhook_allowed_hosts": ["127.0.0.1"],
    "webhook_allowed_schemes": ["http"],
    "webhook_poll_interval_seconds": 0.05,
}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def scrape(url: str, **kwargs: Any) -> dict[str, Any]:
    """``{family name: family}`` of a Prometheus scrape of ``url``."""
    answer = requests.get(url, headers={"Accept": "text/plain;version=0.0.4"}, timeout=10, **kwargs)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/plain")
    return {family.name: family for family in text_string_to_metric_families(answer.text)}


def sample(families: dict[str, Any], family: str, name: str, **labels: str) -> float:
    """The value of the sample ``name`` of ``family`` with ``labels`` (0 when absent)."""
    for s in families[family].samples:
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
            return float(s.value)
    return 0.0


def verify(broker: RunningBroker, consumer_version: str, success: bool) -> None:
    pact = broker.get(f"/pacts/provider/Accounts/consumer/Web/version/{consumer_version}").json()
    href = pact["_links"]["pb:publish-verification-results"]["href"]
    body = {"success": success, "providerApplicationVersion": f"p-{consumer_version}"}
    answer = requests.post(href, json=body, auth=broker.auth, timeout=10)
    assert answer.status_code == 201, answer.text


def make_pact_named(description: str) -> dict[str, Any]:
    return make_pact("Web", "Accounts", description)


def test_a_scrape_shows_every_family_after_a_scripted_history(
    database_url: str, receiver: Receiver
) -> None:
    with start_broker(database_url, **WEBHOOK_ENV) as broker:
        assert broker.post("/webhooks", webhook_body(receiver.url + "/hook")).status_code == 201
        for version in ("1", "2"):
            pact = make_pact_named(f"request {version}")
            assert broker.publish("Web", version, pact).status_code == 200
        verify(broker, "1", True)
        verify(broker, "2", False)
        for version in ("1", "2"):
            query = f"/matrix?q[][pacticipant]=Web&q[][version]={version}&latestby=cvp"
            assert broker.get(query).status_code == 200
        receiver.wait_for(2)
        deadline = time.monotonic() + 10
        while True:
            families = scrape(broker.url + "/metrics")
            delivered = sample(
                families,
                "accord_broker_webhook_delivery_attempts",
                "accord_broker_webhook_delivery_attempts_total",
                outcome="success",
            )
            if delivered >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.05)

    requests_family = families["accord_broker_http_requests"]
    routes = {s.labels["route"] for s in requests_family.samples}
    assert "/contracts/publish" in routes
    assert "/pacts/provider/{provider}/consumer/{consumer}/version/{number}" in routes
    assert not any("Web" in route or "Accounts" in route for route in routes), routes
    assert (
        sample(
            families,
            "accord_broker_http_requests",
            "accord_broker_http_requests_total",
            route="/contracts/publish",
            method="POST",
            status="2xx",
        )
        == 2
    )
    latency = "accord_broker_http_request_duration_seconds"
    assert sample(families, latency, latency + "_count", route="/matrix", method="GET") == 2
    assert sample(families, latency, latency + "_bucket", route="/matrix", le="+Inf") == 2
    publications = "accord_broker_pact_publications"
    assert sample(families, publications, publications + "_total", outcome="created") == 2
    results = "accord_broker_verification_results"
    assert sample(families, results, results + "_total", outcome="success") == 1
    assert sample(families, results, results + "_total", outcome="failure") == 1
    answers = "accord_broker_can_i_deploy_answers"
    assert sample(families, answers, answers + "_total", outcome="deployable") == 1
    assert sample(families, answers, answers + "_total", outcome="not_deployable") == 1
    assert delivered == 2
    depth = "accord_broker_webhook_queue_depth"
    assert sample(families, depth, depth) == 0
    age = "accord_broker_webhook_queue_oldest_age_seconds"
    assert sample(families, age, age) == 0
    in_use = "accord_broker_db_pool_connections_in_use"
    assert sample(families, in_use, in_use) >= 0
    assert "accord_broker_db_pool_overflow" in families
    assert sample(families, "process_cpu_seconds", "process_cpu_seconds_total") > 0


def test_the_pact_broker_json_metrics_stay_for_hal_clients(tmp_path: Path) -> None:
    with start_broker(f"sqlite:///{tmp_path / 'b.sqlite'}") as broker:
        assert broker.post("/pacticipants", {"name": "Web"}).status_code == 201
        hal = broker.get("/metrics", headers={"Accept": "application/hal+json"})
        anything = broker.get("/metrics")
        openmetrics = broker.get("/metrics", headers={"Accept": PROMETHEUS_ACCEPT})

    assert hal.json()["pacticipants"]["count"] == 1
    assert anything.json()["pacticipants"]["count"] == 1
    assert openmetrics.headers["Content-Type"].startswith("application/openmetrics-text")
    assert openmetrics.text.rstrip().endswith("# EOF")


def test_a_waiting_delivery_shows_in_the_queue_depth_and_age(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    with start_broker(url, webhook_worker_enabled=False, **WEBHOOK_ENV) as broker:
        hook = webhook_body("http://127.0.0.1:9/hook", "contract_published")
        assert broker.post("/webhooks", hook).status_code == 201
        assert broker.publish("Web", "1", make_pact()).status_code == 200
        time.sleep(0.05)
        families = scrape(broker.url + "/metrics")

    depth = "accord_broker_webhook_queue_depth"
    age = "accord_broker_webhook_queue_oldest_age_seconds"
    assert sample(families, depth, depth) == 1
    assert sample(families, age, age) > 0


def test_metrics_are_guarded_like_the_api_or_served_on_their_own_port(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    auth = {
        "basic_auth_username": "ci",
        "basic_auth_password": "write-secret",
        "basic_auth_read_only_username": "reader",
        "basic_auth_read_only_password": "read-secret",
    }
    with start_broker(url, **auth) as broker:
        anonymous = requests.get(
            broker.url + "/metrics", headers={"Accept": PROMETHEUS_ACCEPT}, timeout=10
        )
        families = scrape(broker.url + "/metrics", auth=("reader", "read-secret"))
    port = free_port()
    with start_broker(url, metrics_port=port, **auth) as broker:
        separate = scrape(f"http://127.0.0.1:{port}/metrics")
        main_port = broker.get("/metrics", headers={"Accept": PROMETHEUS_ACCEPT})

    assert anonymous.status_code == 401
    assert "accord_broker_http_requests" in families
    assert "accord_broker_webhook_queue_depth" in separate
    assert main_port.headers["Content-Type"].startswith("application/hal+json")


def test_a_request_id_is_echoed_or_made(tmp_path: Path) -> None:
    with start_broker(f"sqlite:///{tmp_path / 'b.sqlite'}") as broker:
        given = broker.get("/", headers={"X-Request-Id": "ci-run-42"})
        made = broker.get("/diagnostic/status/heartbeat")
        forged = broker.get("/", headers={"X-Request-Id": 'x" level="error'})

    assert given.headers["X-Request-Id"] == "ci-run-42"
    assert len(made.headers["X-Request-Id"]) == 32
    assert forged.headers["X-Request-Id"] != 'x" level="error'


def test_readiness_follows_postgresql_down_and_back_without_a_restart() -> None:
    server = start_postgres()
    try:
        with start_broker(server.url, readiness_timeout_seconds=2.0) as broker:
            up = broker.get("/diagnostic/status/dependencies")
            _pg_ctl(server, "stop", "-m", "fast")
            down = broker.get("/diagnostic/status/dependencies")
            heartbeat = broker.get("/diagnostic/status/heartbeat")
            _pg_ctl(server, "start", "-w", "-l", f"{server.data_dir}/log", "-o", _options(server))
            deadline = time.monotonic() + 15
            back = broker.get("/diagnostic/status/dependencies")
            while back.status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
                back = broker.get("/diagnostic/status/dependencies")
    finally:
        server.stop()

    assert up.status_code == 200 and up.json()["ok"] is True
    assert down.status_code == 503
    assert down.json()["ok"] is False
    assert "database" in down.json()["database"]["error"]
    assert heartbeat.status_code == 200
    assert back.status_code == 200, back.text


def _options(server: Any) -> str:
    return (
        f"-p {server.port} -k {server.data_dir} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c max_connections=200"
    )


def _pg_ctl(server: Any, *args: str) -> None:
    command = [*server._as_user, f"{server.bin_dir}/pg_ctl", "-D", f"{server.data_dir}/data"]
    subprocess.run([*command, *args], check=True, capture_output=True)


def test_a_stopping_worker_returns_its_claimed_deliveries(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    with start_broker(url, webhook_worker_enabled=False, **WEBHOOK_ENV) as broker:
        assert broker.post("/webhooks", webhook_body("http://127.0.0.1:9/h")).status_code == 201
        assert broker.publish("Web", "1", make_pact()).status_code == 200
    database = Database(url)
    try:
        claimed = claim_due(database, "stopping-worker", limit=10, lease_seconds=600)
        blocked = claim_due(database, "other-worker", limit=10, lease_seconds=600)
        released = release_claims(database, "stopping-worker")
        taken_over = claim_due(database, "other-worker", limit=10, lease_seconds=600)
    finally:
        database.dispose()

    assert len(claimed) == 1
    assert blocked == []
    assert released == 1
    assert taken_over == claimed


# --- real processes -------------------------------------------------------------------------

SECRETS = {
    "ACCORD_BROKER_BASIC_AUTH_USERNAME": "ci",
    "ACCORD_BROKER_BASIC_AUTH_PASSWORD": "Wr1te-Pa55word",
    "ACCORD_BROKER_BASIC_AUTH_READ_ONLY_USERNAME": "reader",
    "ACCORD_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD": "Re4d-Pa55word",
    "ACCORD_BROKER_WEBHOOK_SECRET_CI_TOKEN": "hook-t0ken-value",
    "ACCORD_BROKER_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    "ACCORD_BROKER_WEBHOOK_ALLOWED_SCHEMES": "http",
    "ACCORD_BROKER_WEBHOOK_POLL_INTERVAL_SECONDS": "0.05",
    "ACCORD_BROKER_LOG_FORMAT": "json",
    "ACCORD_BROKER_SHUTDOWN_GRACE_SECONDS": "10",
}
WEBHOOK_PASSWORD = "h00k-basic-pass"


def _start(argv: list[str], env: dict[str, str], port: int, cwd: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        argv,
        env={**os.environ, **env},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port("127.0.0.1", port, timeout=60)
    except TimeoutError:
        process.kill()
        raise AssertionError(process.communicate()[0].decode()) from None
    return process


def _stop(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    output = process.communicate(timeout=60)[0].decode()
    return process.returncode, output


def test_json_logs_carry_request_ids_and_no_secret_then_sigterm_exits_0(
    tmp_path: Path, receiver: Receiver
) -> None:
    port = free_port()
    argv = [sys.executable, "-m", "accord_broker", "--port", str(port)]
    argv += ["--database-url", f"sqlite:///{tmp_path / 'b.sqlite'}"]
    process = _start(argv, SECRETS, port, tmp_path)
    base = f"http://127.0.0.1:{port}"
    auth = ("ci", SECRETS["ACCORD_BROKER_BASIC_AUTH_PASSWORD"])
    try:
        broker = RunningBroker(url=base, database_url="", username=auth[0], password=auth[1])
        hook = webhook_body(receiver.url + "/hook", "contract_published")
        hook["request"]["username"] = "hook-user"
        hook["request"]["password"] = WEBHOOK_PASSWORD
        hook["request"]["headers"]["Authorization"] = "Bearer ${user.CI_TOKEN}"
        assert broker.post("/webhooks", hook).status_code == 201
        path = "/pacts/provider/Accounts/consumer/Web/version/1"
        published = broker.put(path, make_pact(), headers={"X-Request-Id": "pub-1"})
        assert published.status_code == 201
        wrong = requests.get(base + "/", auth=("ci", "Wr0ng-Pa55word"), timeout=10)
        assert wrong.status_code == 401
        token = base64.b64encode(b"ci:" + auth[1].encode()).decode()
        assert requests.get(base + "/", headers={"Authorization": f"Basic {token}"}, timeout=10)
        receiver.wait_for(1)
        time.sleep(0.2)
        in_flight = _slow_upload(port, auth)
        process.send_signal(signal.SIGTERM)
        time.sleep(0.5)  # the broker is shutting down, waiting for the upload to finish
        in_flight_status = in_flight()
    finally:
        code, output = _stop(process)

    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    access = [line for line in lines if line["logger"] == "accord_broker.access"]
    assert code == 0, output[-3000:]
    assert in_flight_status == 201
    assert {"method", "route", "status", "duration_ms", "request_id"} <= set(access[0])
    published_line = next(line for line in access if line["request_id"] == "pub-1")
    assert (
        published_line["route"] == "/pacts/provider/{provider}/consumer/{consumer}/version/{number}"
    )
    assert published_line["status"] == 201
    assert published_line["consumer"] == "Web" and published_line["provider"] == "Accounts"
    assert any(line["logger"] == "accord_broker.webhooks" for line in lines)
    assert any(line["logger"] == "accord_broker.migrations" for line in lines)
    forbidden = [
        *(SECRETS[k] for k in SECRETS if "PASSWORD" in k or "SECRET" in k),
        WEBHOOK_PASSWORD,
        "Wr0ng-Pa55word",
        token,
    ]
    assert not [secret for secret in forbidden if secret in output]


def _slow_upload(port: int, auth: tuple[str, str]) -> Any:
    """Start a PUT whose body is still being sent; a function finishing it gives the status."""
    body = json.dumps(make_pact("Web", "Accounts", "slow")).encode()
    credentials = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    head = (
        "PUT /pacts/provider/Accounts/consumer/Web/version/2 HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Authorization: Basic {credentials}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)
    connection.sendall(head + body[:10])
    time.sleep(0.2)

    def finish() -> int:
        connection.sendall(body[10:])
        status_line = connection.makefile("rb").readline().decode()
        connection.close()
        return int(status_line.split()[1])

    return finish


def test_two_workers_share_one_port_deliver_each_webhook_once_and_add_up_metrics(
    database_url: str, receiver: Receiver, tmp_path: Path
) -> None:
    port = free_port()
    argv = [sys.executable, "-m", "accord_broker", "--port", str(port), "--workers", "2"]
    argv += ["--database-url", database_url]
    env = {k: v for k, v in SECRETS.items() if "WEBHOOK" in k}
    process = _start(argv, env, port, tmp_path)
    broker = RunningBroker(url=f"http://127.0.0.1:{port}", database_url=database_url)
    try:
        hook = webhook_body(receiver.url + "/hook", "contract_published")
        hook["request"]["body"] = {"v": "${pactbroker.consumerVersionNumber}"}
        assert broker.post("/webhooks", hook).status_code == 201
        for n in range(12):
            # a new connection each time: the kernel spreads them over both workers
            assert broker.publish("Web", str(n), make_pact()).status_code == 200
        received = receiver.wait_for(12, timeout=60)
        time.sleep(0.5)  # a duplicate delivery would arrive by now
        families = scrape(broker.url + "/metrics")
    finally:
        code, output = _stop(process)

    assert code == 0, output[-3000:]
    assert sorted(int(r.json()["v"]) for r in received) == list(range(12))
    assert receiver.count() == 12
    publications = "accord_broker_pact_publications"
    assert sample(families, publications, publications + "_total", outcome="created") == 12
    deliveries = "accord_broker_webhook_delivery_attempts"
    assert sample(families, deliveries, deliveries + "_total", outcome="success") == 12


def test_without_otel_variables_no_tracing_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord_broker.observability.tracing import tracing_requested

    for name in ("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    # A fresh interpreter: other tests of this worker may have imported the SDK themselves.
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    script = (
        "import sys\n"
        "from fastapi.testclient import TestClient\n"
        "from accord_broker.app import create_app\n"
        "from accord_broker.settings import Settings\n"
        f"settings = Settings(database_url={url!r})\n"
        "with TestClient(create_app(settings)) as client:\n"
        "    assert client.get('/').status_code == 200\n"
        "print('opentelemetry.sdk' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    done = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
    assert not tracing_requested({})
    assert tracing_requested({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    assert not tracing_requested({"OTEL_TRACES_EXPORTER": "none"})
