"""The last line of defence (issue #20): a value the database refuses answers 400, never 500.

Routes validate their input first (``test_hostile_values.py``); what slips past reaches the
database, whose refusal the unit of work turns into a 400 naming the request and what was
refused, in the driver's words without SQL or parameters. Races keep their retries and real
faults stay 5xx. The refusals are reached through a test-only route that hands a value
straight to the unit of work, on both databases, since no public route lets them through (a NUL
in a for-verification selector, the last one that did, is now refused by the body's model).
"""

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from accord_broker import Settings, create_app
from fastapi import Request
from sqlalchemy import text

from accord.testing import serve_app
from tests.broker.conftest import RunningBroker, make_pact

SECRET = "s3cr3t-token-value"


def test_a_nul_in_a_for_verification_selector_is_refused_before_the_database(
    broker: RunningBroker,
) -> None:
    """The same 400 naming the selector on both databases (SQLite would find no such branch,
    PostgreSQL would refuse the NUL): the body's model applies the broker's name rules."""
    assert broker.publish("Web", "1", make_pact(), branch="main").status_code == 200
    body = {"consumerVersionSelectors": [{"branch": "ma\x00in"}], "providerVersionBranch": "main"}
    response = broker.post("/pacts/provider/Accounts/for-verification", body)

    assert response.status_code == 400, response.text
    assert response.json()["errors"] == {
        "consumerVersionSelectors": [
            "branch cannot contain the control character U+0000 (at index 0)"
        ]
    }


@pytest.fixture
def refusing_broker(database_url: str) -> Iterator[str]:
    """A broker with one extra, test-only route: ``POST /test-only/store`` runs a statement
    with the JSON body's ``value`` as its parameter, through the request's unit of work, as a
    write (``{"write": true}``) or a read."""
    app = create_app(Settings(database_url=database_url))

    @app.post("/test-only/store")
    async def store(request: Request) -> dict[str, str]:
        body = await request.json()
        value = _decoded(body["value"])
        statement = text(body.get("sql", "SELECT CAST(:value AS TEXT)"))
        uow = request.app.state.broker.uow
        if body.get("write"):
            uow.write(lambda session: session.execute(statement, {"value": value}))
        else:
            with uow.read() as session:
                session.execute(statement, {"value": value})
        return {"stored": "yes"}

    with serve_app(app) as server:
        yield server.url


def _decoded(value: Any) -> Any:
    """JSON cannot carry a lone surrogate or a NUL that survives every layer: spelled out."""
    if value == "<surrogate>":
        return "ok \ud800"
    if value == "<nul>":
        return "a\x00b"
    return value


def _store(url: str, **body: Any) -> requests.Response:
    return requests.post(url + "/test-only/store", json=body, timeout=30)


def _refusal(response: requests.Response) -> str:
    assert response.status_code == 400, (response.status_code, response.text)
    message: str = response.json()["error"]
    assert message.startswith("POST /test-only/store was refused: the database cannot hold"), (
        message
    )
    assert response.json()["errors"] == {"request": [message]}
    return message


def test_an_integer_beyond_64_bits_is_refused_with_a_400(refusing_broker: str) -> None:
    message = _refusal(_store(refusing_broker, value=2**70, sql="SELECT CAST(:value AS BIGINT)"))
    assert "out of range" in message or "too large" in message, message
    assert str(2**70) not in message


def test_a_lone_surrogate_is_refused_with_a_400_in_a_write_too(refusing_broker: str) -> None:
    message = _refusal(_store(refusing_broker, value="<surrogate>", write=True))
    assert "U+D800" in message, message


def test_a_value_too_long_or_holding_nul_is_refused_on_postgresql(
    refusing_broker: str, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite stores text of any length, and NUL, as given")
    insert = (
        "INSERT INTO pacticipants (name, created_at, updated_at) "
        "VALUES (:value, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    too_long = _refusal(_store(refusing_broker, value="x" * 300, sql=insert, write=True))
    assert "value too long for type character varying(255)" in too_long
    assert "SELECT" not in too_long
    nul = _refusal(_store(refusing_broker, value="<nul>"))
    assert "NUL" in nul


def test_a_refused_value_is_never_repeated_in_the_answer(
    refusing_broker: str, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite casts any text to an integer without complaint")
    message = _refusal(_store(refusing_broker, value=SECRET, sql="SELECT CAST(:value AS INTEGER)"))
    assert "invalid input syntax for type integer" in message
    assert SECRET not in message


def test_a_statement_the_broker_got_wrong_is_still_a_500(refusing_broker: str) -> None:
    response = _store(refusing_broker, value=1, sql="SELECT no_such_column FROM no_such_table")
    assert response.status_code == 500
    assert "no_such" not in response.text
