"""The UI over HTTP on SQLite and PostgreSQL: content negotiation, escaping, fixed query counts."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests
from accord_broker.db import Database
from accord_broker.domain.integrations.integration_status import Status
from accord_broker.domain.integrations.overview import load_overview
from accord_broker.ui import wants_html
from accord_broker.ui.network import Edge, lay_out
from sqlalchemy import event

from tests.broker.conftest import RunningBroker, make_pact
from tests.broker.ui_seed import seed_bank, verify

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_get_slash_is_hal_for_api_clients_and_html_for_browsers(broker: RunningBroker) -> None:
    api = broker.get("/", headers={"Accept": "application/hal+json"})
    bare = broker.get("/")
    page = broker.get("/", headers=BROWSER)

    assert api.headers["content-type"].startswith("application/hal+json")
    assert "pb:latest-pact-versions" in api.json()["_links"]
    assert bare.headers["content-type"].startswith("application/hal+json")
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Integrations</h1>" in page.text


def test_a_pact_is_json_for_clients_and_a_document_for_browsers(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts", "a <b>bold</b> request"))
    path = "/pacts/provider/Accounts/consumer/Web/latest"

    as_json = broker.get(path, headers={"Accept": "application/hal+json, application/json"})
    as_page = broker.get(path, headers=BROWSER)

    assert as_json.json()["consumer"]["name"] == "Web"
    assert "a &lt;b&gt;bold&lt;/b&gt; request" in as_page.text
    assert "<b>bold</b>" not in as_page.text


def test_browsers_see_a_404_page_for_missing_things(broker: RunningBroker) -> None:
    missing_pact = broker.get("/pacts/provider/X/consumer/Y/latest", headers=BROWSER)
    missing_app = broker.get("/ui/pacticipants/Nobody")

    assert missing_pact.status_code == 404
    assert 'id="not-found"' in missing_pact.text
    assert missing_app.status_code == 404
    assert "No pacticipant with name &#39;Nobody&#39; found" in missing_app.text


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        ("text/html,application/xhtml+xml,*/*;q=0.8", True),
        ("application/hal+json", False),
        ("application/hal+json, application/json", False),
        ("*/*", False),
        ("", False),
        (None, False),
        ("text/html, application/json", False),
    ],
)
def test_the_pact_broker_rule_decides_who_gets_html(accept: str | None, html: bool) -> None:
    assert wants_html(accept) is html


def test_every_page_answers_over_both_databases(broker: RunningBroker) -> None:
    seed_bank(broker)

    for path in (
        "/ui/",
        "/ui/?search=web&page=1&pageSize=1",
        "/ui/pacts/provider/Accounts/consumer/Web/version/1.0.0",
        "/ui/matrix/provider/Accounts/consumer/Web?latestby=cvpv&success=false",
        "/ui/matrix/provider/Accounts/consumer/Nobody",
        "/ui/pacticipants/Accounts",
        "/ui/network?pacticipant=Web",
        "/ui/accord.css",
    ):
        response = broker.get(path)
        assert response.status_code == 200, (path, response.text[:500])
    assert (
        "Pacticipant Nobody not found"
        in broker.get("/ui/matrix/provider/Accounts/consumer/Nobody").text
    )
    page = broker.get("/ui/?search=web&pageSize=1").text
    assert page.count('class="integration"') == 1
    assert "?page=2&amp;pageSize=1&amp;search=web" in page


@contextmanager
def _counting(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        if str(args[2]).lstrip().upper().startswith("SELECT"):
            statements.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def _add_integrations(broker: RunningBroker, first: int, last: int) -> None:
    for n in range(first, last):
        pact = make_pact(f"App{n:02d}", "Accounts")
        assert broker.publish(f"App{n:02d}", "1", pact, branch="main", tags=["prod"]).ok
        verify(broker, f"App{n:02d}", "Accounts", pact, str(n), success=n % 2 == 0)


def test_the_index_costs_the_same_queries_for_one_or_many_integrations(
    broker: RunningBroker,
) -> None:
    database = Database(broker.database_url)
    try:
        _add_integrations(broker, 0, 1)
        with _counting(database) as few, database.read_session() as session:
            one = load_overview(session)
        _add_integrations(broker, 1, 25)
        with _counting(database) as many, database.read_session() as session:
            all_rows = load_overview(session)
    finally:
        database.dispose()

    assert len(one.rows) == 1 and len(all_rows.rows) == 25
    assert len(many) == len(few) <= 4
    assert {row.status for row in all_rows.rows} == {Status.SUCCESS, Status.FAILED}


def test_the_diagram_puts_consumers_left_of_their_providers() -> None:
    diagram = lay_out(
        [
            Edge("Web", "Transfers", Status.SUCCESS),
            Edge("Transfers", "Accounts", Status.NEVER),
            Edge("Web", "Accounts", Status.FAILED),
            Edge("Accounts", "Web", Status.STALE),  # a cycle must not loop forever
        ]
    )

    x = {node.name: node.x for node in diagram.nodes}
    assert x["Web"] < x["Transfers"] < x["Accounts"]
    assert len(diagram.arrows) == 4
    assert all(arrow.path.startswith("M") for arrow in diagram.arrows)
    assert diagram.width > max(n.x + n.width for n in diagram.nodes)


def test_the_pages_links_survive_names_with_slashes(broker: RunningBroker) -> None:
    broker.publish("team/web", "1", make_pact("team/web", "Accounts"))

    page = broker.get("/ui/").text
    pact = broker.get("/ui/pacts/provider/Accounts/consumer/team%2Fweb/latest")

    assert "/ui/pacticipants/team%2Fweb" in page
    assert pact.status_code == 200
    assert requests.get(broker.url + "/ui/pacticipants/team%2Fweb", timeout=10).status_code == 200
