"""The official `pact broker` CLI publishing to and reading from our broker.

Each exchange asserts on what the broker stored, not only on exit codes (traps 1-3: some CLI
commands exit 0 after a failed request).
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from accord.pact import content_sha
from tests.broker.conftest import RunningBroker, make_pact, start_broker

pytestmark = pytest.mark.interop


PACT = Path(sys.executable).parent / "pact"


def pact_cli(*args: str, broker_url: str) -> subprocess.CompletedProcess[str]:
    """Run `pact broker …` against ``broker_url`` and return its result (never raises)."""
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true", "NO_COLOR": "1"}
    for variable in (
        "PACT_BROKER_BASE_URL",
        "PACT_BROKER_USERNAME",
        "PACT_BROKER_PASSWORD",
        "PACT_BROKER_TOKEN",
    ):
        env.pop(variable, None)
    return subprocess.run(
        [str(PACT), "broker", *args, "-b", broker_url],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _write(directory: Path, pact: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{pact['consumer']['name']}-{pact['provider']['name']}.json"
    path.write_text(json.dumps(pact))
    return path


def test_publish_with_branch_tags_and_build_url_stores_all_of_them(
    broker: RunningBroker,
    tmp_path: Path,
) -> None:
    accounts = make_pact("Web", "Accounts", "get account", "list accounts")
    transfers = make_pact("Web", "Transfers", "make a transfer")
    _write(tmp_path / "pacts", accounts)
    _write(tmp_path / "pacts", transfers)

    result = pact_cli(
        "publish",
        str(tmp_path / "pacts"),
        "--consumer-app-version",
        "1.0.0",
        "--branch",
        "feat/x",
        "--tag",
        "dev,qa",
        "--build-url",
        "http://ci/1",
        broker_url=broker.url,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "Pact successfully published for Web version 1.0.0 and provider Accounts." in result.stdout
    )
    version = broker.get("/pacticipants/Web/versions/1.0.0").json()
    assert version["buildUrl"] == "http://ci/1"
    assert sorted(t["name"] for t in version["_embedded"]["tags"]) == ["dev", "qa"]
    assert [b["name"] for b in version["_embedded"]["branchVersions"]] == ["feat/x"]
    served = broker.get("/pacts/provider/Accounts/consumer/Web/branch/feat%2Fx/latest").json()
    assert sorted(i["description"] for i in served["interactions"]) == [
        "get account",
        "list accounts",
    ]
    assert served["_links"]["pb:pact-version"]["name"] == content_sha(accounts)
    assert broker.get("/pacts/provider/Transfers/consumer/Web/latest/qa").status_code == 200


def test_republishing_the_same_pact_is_accepted_and_stores_nothing_new(
    broker: RunningBroker,
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, make_pact("Web", "Accounts"))
    args = ("publish", str(path), "--consumer-app-version", "1.0.0", "--branch", "main")

    first = pact_cli(*args, broker_url=broker.url)
    second = pact_cli(*args, broker_url=broker.url)

    assert first.returncode == 0 and second.returncode == 0, second.stdout + second.stderr
    assert "same content" in second.stdout
    versions = broker.get("/pacticipants/Web/versions").json()["_embedded"]["versions"]
    assert [v["number"] for v in versions] == ["1.0.0"]


def test_publishing_changed_content_for_a_version_fails_with_the_explanation(
    broker: RunningBroker,
    tmp_path: Path,
) -> None:
    pact_cli(
        "publish",
        str(_write(tmp_path / "a", make_pact("Web", "Accounts", "one"))),
        "-a",
        "1",
        broker_url=broker.url,
    )

    changed = pact_cli(
        "publish",
        str(_write(tmp_path / "b", make_pact("Web", "Accounts", "two"))),
        "-a",
        "1",
        broker_url=broker.url,
    )

    assert changed.returncode == 1
    assert "Cannot change the content of the pact" in changed.stdout + changed.stderr
    served = broker.get("/pacts/provider/Accounts/consumer/Web/version/1").json()
    assert served["interactions"][0]["description"] == "one"


def test_list_latest_pact_versions_shows_each_integration(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts"))
    broker.publish("Web", "2", make_pact("Web", "Accounts", "newer"))
    broker.publish("Mobile", "7", make_pact("Mobile", "Accounts"))

    result = pact_cli("list-latest-pact-versions", "-o", "json", broker_url=broker.url)

    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    rows = {
        (
            p["_embedded"]["consumer"]["name"],
            p["_embedded"]["consumer"]["_embedded"]["version"]["number"],
        )
        for p in body["pacts"]
    }
    assert rows == {("Web", "2"), ("Mobile", "7")}
    table = pact_cli("list-latest-pact-versions", broker_url=broker.url)
    assert '"Mobile"' in table.stdout and '"7"' in table.stdout


def test_get_pacts_downloads_each_consumers_main_branch_pact(
    broker: RunningBroker,
    tmp_path: Path,
) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts", "on main"), branch="main")
    broker.publish("Web", "2", make_pact("Web", "Accounts", "on feature"), branch="feat")

    result = pact_cli(
        "get-pacts",
        "--provider",
        "Accounts",
        "--download",
        "--download-dir",
        str(tmp_path / "dl"),
        broker_url=broker.url,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    downloaded = json.loads((tmp_path / "dl" / "Web-Accounts-1.json").read_text())
    assert downloaded["interactions"][0]["description"] == "on main"
    assert downloaded["interactions"][0]["_id"]


def test_get_pacts_for_a_consumer_branch(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts", "on main"), branch="main")
    broker.publish("Web", "2", make_pact("Web", "Accounts", "on feature"), branch="feat/y")

    result = pact_cli(
        "get-pacts",
        "--provider",
        "Accounts",
        "--consumer",
        "Web",
        "--branch",
        "feat/y",
        "--latest",
        "-o",
        "json",
        broker_url=broker.url,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["interactions"][0]["description"] == "on feature"


def test_publish_with_credentials_works_and_without_them_fails_fast(
    database_url: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, make_pact("Web", "Accounts"))
    secured = {"basic_auth_username": "ci", "basic_auth_password": "s3cret"}
    with start_broker(database_url, **secured) as running:
        anonymous = pact_cli("publish", str(path), "-a", "1", broker_url=running.url)
        authorised = pact_cli(
            "publish", str(path), "-a", "1", "-u", "ci", "-p", "s3cret", broker_url=running.url
        )
        stored = running.get("/pacts/provider/Accounts/consumer/Web/version/1")

    assert anonymous.returncode == 1
    assert "authentication required" in anonymous.stdout + anonymous.stderr
    assert authorised.returncode == 0, authorised.stdout + authorised.stderr
    assert stored.status_code == 200
