"""`accord broker serve|migrate|clean` run the broker from the command line."""

import json
import sqlite3
from pathlib import Path

import pytest
import requests
from accord_broker import Settings, create_app
from cli_support import ACCORD, Accord, make_pact, run_binary, write_pact
from click.testing import CliRunner

from accord.cli import cli
from accord.testing import free_port, serve_app, start_process


def test_migrate_creates_the_schema(tmp_path: Path) -> None:
    database = tmp_path / "data" / "broker.sqlite"
    database.parent.mkdir()  # a directory that does not exist is an error (issue #21)

    result = CliRunner().invoke(
        cli, ["broker", "migrate", "--database-url", f"sqlite:///{database}"]
    )

    assert result.exit_code == 0, result.output
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "alembic_version" in tables
    assert "pacticipants" in tables


def test_serve_runs_a_broker_that_the_cli_publishes_to(tmp_path: Path) -> None:
    port = free_port()
    argv = [ACCORD, "broker", "serve", "--port", str(port), "--database-url",
            f"sqlite:///{tmp_path / 'broker.sqlite'}"]  # fmt: skip
    pact = write_pact(tmp_path / "pacts", make_pact())
    with start_process(argv, port=port) as broker:
        published = run_binary([ACCORD, "publish", str(pact), "-a", "1.0.0"], broker_url=broker.url)
        index = requests.get(broker.url + "/", timeout=10)

    assert published.returncode == 0, published.stderr
    assert "Pact published successfully" in published.stdout
    assert "pb:publish-contracts" in index.json()["_links"]


def test_serve_uses_the_database_url_from_the_environment(tmp_path: Path) -> None:
    port = free_port()
    database = tmp_path / "env.sqlite"
    with start_process(
        [ACCORD, "broker", "serve", "--port", str(port)],
        port=port,
        env={"ACCORD_BROKER_DATABASE_URL": f"sqlite:///{database}"},
    ) as broker:
        answer = requests.get(broker.url + "/pacticipants", timeout=10)

    assert answer.status_code == 200
    assert database.exists()


def _history_for_cleaning(tmp_path: Path) -> tuple[str, Accord]:
    """Web 1.0.0 (deployed to production), 1.1.0 and 1.2.0 (latest) on branch feat, in a broker
    whose database file the test can then clean."""
    url = f"sqlite:///{tmp_path / 'broker.sqlite'}"
    with serve_app(create_app(Settings(database_url=url))) as server:
        accord = Accord(server.url)
        pact = write_pact(tmp_path / "pacts", make_pact())
        for version in ("1.0.0", "1.1.0", "1.2.0"):
            published = accord("publish", str(pact), "-a", version, "--branch", f"feat-{version}")
            assert published.exit_code == 0, published.output
        assert accord("create-environment", "--name", "production").exit_code == 0
        deployed = accord(
            "record-deployment", "-a", "Web", "-e", "1.0.0", "--environment", "production"
        )
        assert deployed.exit_code == 0, deployed.output
    return url, accord


def _web_versions(url: str) -> list[str]:
    with serve_app(create_app(Settings(database_url=url))) as server:
        listed = requests.get(server.url + "/pacticipants/Web/versions", timeout=10).json()
    return sorted(v["number"] for v in listed["_embedded"]["versions"])


def test_clean_deletes_what_the_keep_selectors_do_not_protect(tmp_path: Path) -> None:
    url, _ = _history_for_cleaning(tmp_path)

    result = CliRunner().invoke(
        cli,
        [
            "broker",
            "clean",
            "--database-url",
            url,
            "-o",
            "json",
            "--keep",
            '[{"deployed": true}, {"latest": true}]',
        ],
    )

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["deleted_versions"] == 1
    assert report["dry_run"] is False
    assert _web_versions(url) == ["1.0.0", "1.2.0"]


def test_clean_with_dry_run_reports_and_deletes_nothing(tmp_path: Path) -> None:
    url, _ = _history_for_cleaning(tmp_path)

    result = CliRunner().invoke(
        cli,
        ["broker", "clean", "--database-url", url, "--dry-run", "--keep", '[{"deployed": true}]'],
    )

    assert result.exit_code == 0, result.output
    assert "Would delete 2 versions" in result.output
    assert _web_versions(url) == ["1.0.0", "1.1.0", "1.2.0"]


def test_clean_by_default_keeps_recent_versions(tmp_path: Path) -> None:
    url, _ = _history_for_cleaning(tmp_path)

    result = CliRunner().invoke(cli, ["broker", "clean", "--database-url", url])

    assert result.exit_code == 0, result.output
    assert "Deleted 0 versions" in result.output
    assert _web_versions(url) == ["1.0.0", "1.1.0", "1.2.0"]


def test_clean_rejects_keep_selectors_that_are_not_a_json_array(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'broker.sqlite'}"

    result = CliRunner().invoke(cli, ["broker", "clean", "--database-url", url, "--keep", "{oops"])

    assert result.exit_code == 2
    assert "--keep" in result.output


@pytest.mark.parametrize("args", [["--help"], ["publish", "--help"], ["verify", "--help"]])
def test_the_installed_console_script_runs(args: list[str]) -> None:
    completed = run_binary([ACCORD, *args])

    assert completed.returncode == 0, completed.stderr
    assert "Examples:" in completed.stdout
