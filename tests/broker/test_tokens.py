"""Bearer API tokens: made by `accord broker token create`, stored hashed, scoped, revocable."""

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from accord_broker.db import Database, migrate
from accord_broker.db.token_models import ApiToken
from accord_broker.domain.operations.tokens import create_token, revoke_token, scope_of
from accord_broker.errors import BrokerInputError
from click.testing import CliRunner
from sqlalchemy import select

from accord.cli import cli
from tests.broker.conftest import RunningBroker, make_pact, start_broker

CREDENTIALS = {"basic_auth_username": "writer", "basic_auth_password": "w-secret"}
ACCORD = str(Path(sys.executable).parent / "accord")


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    db = Database(database_url)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture
def secured(database_url: str) -> Iterator[RunningBroker]:
    with start_broker(database_url, **CREDENTIALS) as running:
        yield running


def _token(database_url: str, scope: str, name: str = "ci") -> str:
    result = CliRunner().invoke(
        cli,
        [
            "broker",
            "token",
            "create",
            "--name",
            name,
            "--scope",
            scope,
            "--database-url",
            database_url,
            "--output",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    token = json.loads(result.output)["token"]
    assert isinstance(token, str)
    return token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_is_stored_as_a_salted_hash_never_in_plaintext(database: Database) -> None:
    first = database.write(lambda s: create_token(s, "ci", "read"))
    second = database.write(lambda s: create_token(s, "ci", "read"))

    with database.read_session() as session:
        rows = session.execute(select(ApiToken).order_by(ApiToken.id)).scalars().all()
    secret = first.secret_token.rsplit("_", 1)[1]
    for row in rows:
        stored = " ".join(str(v) for v in (row.key, row.salt, row.secret_hash, row.name))
        assert secret not in stored and first.secret_token not in stored
    assert rows[0].salt != rows[1].salt
    assert len(rows[0].secret_hash) == 64
    assert first.secret_token != second.secret_token


def test_a_token_grants_its_scope_until_revoked(database: Database) -> None:
    issued = database.write(lambda s: create_token(s, "ci", "write"))

    with database.read_session() as session:
        assert scope_of(session, issued.secret_token) == "write"
        assert scope_of(session, issued.secret_token + "x") is None
        assert scope_of(session, "accord_nothing_here") is None
        assert scope_of(session, "not-a-token") is None
    database.write(lambda s: revoke_token(s, issued.record.key))
    with database.read_session() as session:
        assert scope_of(session, issued.secret_token) is None


def test_an_unknown_scope_is_refused(database: Database) -> None:
    with pytest.raises(BrokerInputError, match="scope must be one of read, write"):
        database.write(lambda s: create_token(s, "ci", "admin"))


def test_a_write_token_publishes_and_reads(secured: RunningBroker) -> None:
    headers = _bearer(_token(secured.database_url, "write"))

    published = requests.post(
        secured.url + "/pacticipants", json={"name": "Web"}, headers=headers, timeout=10
    )
    read = requests.get(secured.url + "/pacticipants/Web", headers=headers, timeout=10)

    assert published.status_code == 201
    assert read.status_code == 200


def test_a_read_token_reads_but_gets_403_on_writes(secured: RunningBroker) -> None:
    secured.publish("Web", "1", make_pact())
    headers = _bearer(_token(secured.database_url, "read"))

    read = requests.get(
        secured.url + "/pacts/provider/Accounts/latest", headers=headers, timeout=10
    )
    verification = requests.post(
        secured.url + "/pacts/provider/Accounts/for-verification",
        json={"consumerVersionSelectors": []},
        headers=headers,
        timeout=10,
    )
    write = requests.put(
        secured.url + "/pacticipants/Web/versions/2/tags/prod", json={}, headers=headers, timeout=10
    )

    assert read.status_code == 200
    assert verification.status_code not in {401, 403}
    assert write.status_code == 403
    assert "read token" in write.json()["error"]


def test_a_wrong_or_revoked_token_is_401(secured: RunningBroker) -> None:
    token = _token(secured.database_url, "write")
    wrong = requests.get(secured.url + "/", headers=_bearer(token[:-2] + "zz"), timeout=10)
    key = token.removeprefix("accord_").split("_", 1)[0]
    revoked = CliRunner().invoke(
        cli, ["broker", "token", "revoke", key, "--database-url", secured.database_url]
    )
    after = requests.get(secured.url + "/", headers=_bearer(token), timeout=10)

    assert wrong.status_code == 401
    assert revoked.exit_code == 0, revoked.output
    assert after.status_code == 401


def test_token_list_shows_keys_and_scopes_but_never_secrets(database_url: str) -> None:
    token = _token(database_url, "read", name="verifier")
    key = token.removeprefix("accord_").split("_", 1)[0]

    listed = CliRunner().invoke(
        cli, ["broker", "token", "list", "--database-url", database_url, "--output", "json"]
    )

    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert [(r["key"], r["name"], r["scope"], r["revoked"]) for r in rows] == [
        (key, "verifier", "read", False)
    ]
    assert token.rsplit("_", 1)[1] not in listed.output


def test_revoking_an_unknown_key_says_how_to_find_keys(database_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["broker", "token", "revoke", "nope", "--database-url", database_url]
    )

    assert result.exit_code != 0
    assert "accord broker token list" in result.output
