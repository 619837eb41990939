"""`accord broker serve|migrate|clean` run the broker from the command line."""

import sqlite3
from pathlib import Path

import pytest
import requests
from cli_support import ACCORD, make_pact, run_binary, write_pact
from click.testing import CliRunner

from accord.cli import cli
from accord.testing import free_port, start_process


def test_migrate_creates_the_schema(tmp_path: Path) -> None:
    database = tmp_path / "data" / "broker.sqlite"

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


def test_clean_reports_a_missing_cleanup_or_cleans(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'broker.sqlite'}"

    result = CliRunner().invoke(cli, ["broker", "clean", "--database-url", url, "-o", "json"])

    try:
        import accord_broker.domain.cleanup  # noqa: F401
    except ImportError:
        assert result.exit_code == 2
        assert "accord_broker.domain.cleanup" in result.output
    else:
        assert result.exit_code == 0, result.output


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
