"""Starting the broker: settings from the environment, ``python -m accord_broker``, migration."""

import sys
from pathlib import Path

import pytest
import requests
from accord_broker import Settings

from accord.testing import free_port, start_process


def test_settings_come_from_accord_broker_environment_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACCORD_BROKER_DATABASE_URL", "sqlite:///elsewhere.sqlite")
    monkeypatch.setenv("ACCORD_BROKER_BASIC_AUTH_USERNAME", "ci")
    monkeypatch.setenv("ACCORD_BROKER_MAX_BODY_BYTES", "1234")
    monkeypatch.setenv("ACCORD_BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION", "true")

    settings = Settings()

    assert settings.database_url == "sqlite:///elsewhere.sqlite"
    assert settings.auth_enabled
    assert settings.max_body_bytes == 1234
    assert settings.allow_dangerous_contract_modification is True


def test_the_defaults_are_a_local_sqlite_file_and_no_modification(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("DATABASE_URL", "ALLOW_DANGEROUS_CONTRACT_MODIFICATION", "BASIC_AUTH_USERNAME"):
        monkeypatch.delenv(f"ACCORD_BROKER_{name}", raising=False)

    settings = Settings()

    assert settings.database_url == "sqlite:///./accord-broker.sqlite"
    assert settings.allow_dangerous_contract_modification is False
    assert not settings.auth_enabled


def test_the_module_serves_a_migrated_broker_on_a_new_database(
    database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "accord_broker",
        "--port",
        str(port),
        "--database-url",
        database_url,
    ]

    with start_process(argv, port=port, cwd=str(tmp_path)) as server:
        heartbeat = requests.get(server.url + "/diagnostic/status/heartbeat", timeout=10)
        created = requests.post(server.url + "/pacticipants", json={"name": "Web"}, timeout=10)

    assert heartbeat.json()["ok"] is True
    assert created.status_code == 201


@pytest.mark.parametrize("quiet", [False, True], ids=["access-log", "no-access-log"])
def test_the_module_logs_a_line_per_request_unless_told_not_to(quiet: bool, tmp_path: Path) -> None:
    import subprocess

    from accord.testing import wait_for_port

    port = free_port()
    argv = [sys.executable, "-m", "accord_broker", "--port", str(port)]
    argv += ["--database-url", f"sqlite:///{tmp_path / 'broker.sqlite'}"]
    argv += ["--no-access-log"] if quiet else []
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        wait_for_port("127.0.0.1", port, timeout=90)
        answer = requests.get(f"http://127.0.0.1:{port}/diagnostic/status/heartbeat", timeout=10)
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()

    assert answer.status_code == 200
    logged = "GET /diagnostic/status/heartbeat" in output
    assert logged is not quiet, output
