"""The UI's long lists come a page at a time, and a page's work does not grow with history.

Issue #22 wants every page within 3x the heartbeat at the benchmark's full size, where the
whole lists (100 integrations, 450 residents, thousands of versions per application) made
pages of 40 to 175 KB. Each long list now shows a short page with previous/next links, and the
pacticipant page counts versions only up to a cap. These tests follow the links over HTTP on
both databases, and pin the pacticipant page's statements (and, on SQLite, its virtual
machine's steps) at two history sizes.

Not pinned here: the page reads all of the pacticipant's branches to pick the ten most recently
updated (no index orders them by update), and the index's shared placement lookup reads the
pacticipant's ended deployments too; both grow with branches and deployments, not versions.
"""

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from accord_broker.db import Database
from accord_broker.domain.deployments import environment_overview
from accord_broker.domain.integrations.integration_status import Status
from accord_broker.domain.integrations.overview import IntegrationRow, Overview
from accord_broker.domain.pacticipants import pacticipant_overview
from accord_broker.domain.pacticipants.pacticipant_list import load_pacticipant_list
from accord_broker.ui.templating import render
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import create_environment, deploy, publish
from tests.broker.statement_counts import select_statements
from tests.broker.test_listing_round_trips import _sqlite_steps

VERSION_ROW = re.compile(r'<tr class="version-row" data-version="([^"]+)"')


def _versions(broker: RunningBroker, count: int) -> None:
    for n in range(1, count + 1):
        publish(broker, "Web", f"{n}.0.0", "Accounts", branch="main")


def _next_href(html: str) -> str | None:
    found = re.search(r'<a rel="next" class="next" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_a_pacticipants_versions_come_a_page_at_a_time(broker: RunningBroker) -> None:
    shown = pacticipant_overview.VERSIONS_SHOWN
    _versions(broker, shown + 3)

    first = broker.get("/ui/pacticipants/Web").text
    older = _next_href(first)
    assert older is not None and older.endswith("/ui/pacticipants/Web?page=2")
    second = broker.get(older.removeprefix(broker.url)).text

    newest = [f"{n}.0.0" for n in range(shown + 3, 0, -1)]
    assert VERSION_ROW.findall(first) == newest[:shown]
    assert VERSION_ROW.findall(second) == newest[shown:]
    assert _next_href(second) is None
    assert 'rel="prev" class="prev" href="' in second
    assert f'id="version-count">{shown + 3}</dd>' in first
    dash = "\N{EN DASH}"
    assert f"(newest 1{dash}{shown})" in first and f"({shown + 1}{dash}{shown + 3})" in second


def test_the_version_count_stops_at_the_cap(
    broker: RunningBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pacticipant_overview, "COUNT_CAP", 4)
    _versions(broker, 6)

    page = broker.get("/ui/pacticipants/Web").text

    assert 'id="version-count">4+</dd>' in page


def test_the_pacticipants_page_links_to_the_next_page(broker: RunningBroker) -> None:
    for name in ("Alpha", "Beta", "Gamma"):
        publish(broker, name, "1.0.0", "Accounts")

    first = broker.get("/ui/pacticipants?pageSize=2").text
    older = _next_href(first)
    assert older is not None
    second = broker.get(older.removeprefix(broker.url)).text

    names = re.compile(r'<tr class="pacticipant" data-name="(\w+)"')
    assert names.findall(first) == ["Accounts", "Alpha"]
    assert names.findall(second) == ["Beta", "Gamma"]
    assert "4 pacticipants" in first and "4 pacticipants" in second


def test_the_index_links_to_the_previous_and_next_pages(broker: RunningBroker) -> None:
    for name in ("Alpha", "Beta", "Gamma"):
        publish(broker, name, "1.0.0", "Accounts")

    middle = broker.get("/ui/?page=2&pageSize=1").text

    assert middle.count('class="integration"') == 1
    assert 'href="' + broker.url + '/ui/?page=1&amp;pageSize=1"' in middle
    assert _next_href(middle) == broker.url + "/ui/?page=3&pageSize=1"


def test_an_environment_lists_a_page_now_and_a_page_before(
    broker: RunningBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(environment_overview, "CURRENT_SHOWN", 2)
    monkeypatch.setattr(environment_overview, "HISTORY_SHOWN", 2)
    monkeypatch.setattr(environment_overview, "CARD_SHOWN", 2)
    create_environment(broker, "production", production=True)
    for name in ("Alpha", "Beta", "Gamma"):
        for n in (1, 2):  # version 2 replaces version 1: one resident, one in history
            publish(broker, name, f"{n}.0.0", "Accounts")
            deploy(broker, name, f"{n}.0.0", "production")

    card = broker.get("/ui/environments").text
    now = broker.get("/ui/environments/production?page=2").text
    before = broker.get("/ui/environments/production?history=2").text

    residents = re.compile(r'<tr class="resident" data-pacticipant="(\w+)"')
    assert residents.findall(card) == ["Alpha", "Beta"]
    assert "all 3 in Production →" in card
    assert residents.findall(now)[0] == "Gamma"
    history = before.split('id="history"')[1]
    assert len(residents.findall(history)) == 1  # three ended, two a page
    assert 'rel="prev"' in history and _next_href(history) is None


def test_the_matrix_offers_more_rows_when_the_limit_is_reached(broker: RunningBroker) -> None:
    _versions(broker, 3)

    limited = broker.get("/ui/matrix/provider/Accounts/consumer/Web?latestby=cvpv&limit=2").text
    everything = broker.get("/ui/matrix/provider/Accounts/consumer/Web").text

    assert limited.count('class="matrix-row"') == 2
    assert 'id="more-rows" href="?latestby=cvpv&amp;limit=4"' in limited
    assert everything.count('class="matrix-row"') == 3 and 'id="more-rows"' not in everything


def _build(database_url: str, versions: int, first: int = 1) -> None:
    """Web publishes versions ``first`` to ``versions`` on main; the first is deployed to
    production. (Only the versions grow: the pacticipant's branches and deployments are read
    whole, see the module's note.)"""
    with start_broker(database_url) as broker:
        if first == 1:
            create_environment(broker, "production", production=True)
        for n in range(first, versions + 1):
            publish(broker, "Web", f"{n}.0.0", "Accounts", branch="main")
            if n == 1:
                deploy(broker, "Web", "1.0.0", "production")


def _pacticipant_page(session: Session) -> object:
    page = pacticipant_overview.load_pacticipant_page(session, "Web")
    assert page is not None and len(page.versions) == pacticipant_overview.VERSIONS_SHOWN
    assert page.count_capped and page.has_older
    return page


def _small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of two versions, counts capped at three: a short history (4 versions) and a
    longer one (12) are both beyond every bound."""
    monkeypatch.setattr(pacticipant_overview, "VERSIONS_SHOWN", 2)
    monkeypatch.setattr(pacticipant_overview, "BRANCHES_SHOWN", 2)
    monkeypatch.setattr(pacticipant_overview, "COUNT_CAP", 3)


def test_the_pacticipant_page_runs_the_same_statements_for_any_history(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _small_pages(monkeypatch)
    _build(database_url, 4)
    short = select_statements(database_url, _pacticipant_page)
    _build(database_url, 12, first=5)  # the same database, eight versions more

    assert select_statements(database_url, _pacticipant_page) == short


def test_the_pacticipant_page_does_not_read_every_version_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _small_pages(monkeypatch)
    short, longer = (f"sqlite:///{tmp_path / f'{n}.sqlite'}" for n in (4, 12))
    _build(short, 4)
    _build(longer, 12)

    question: Callable[[Session], object] = _pacticipant_page
    assert _sqlite_steps(short, question) == _sqlite_steps(longer, question)


def test_the_page_lists_ask_for_one_page(database_url: str) -> None:
    with start_broker(database_url) as broker:
        for name in ("Alpha", "Beta", "Gamma"):
            publish(broker, name, "1.0.0", "Accounts")
    database = Database(database_url)
    try:
        with database.read_session() as session:
            page = load_pacticipant_list(session, page=2, page_size=3)
            every = load_pacticipant_list(session)
    finally:
        database.dispose()

    assert [row.name for row in page.rows] == ["Gamma"] and page.total == 4 and page.pages == 2
    assert [row.name for row in every.rows] == ["Accounts", "Alpha", "Beta", "Gamma"]


def test_a_pager_keeps_the_query_and_escapes_it() -> None:
    html = render(
        "index.html",
        base="http://b",
        ui="http://b/ui",
        now=datetime.now(UTC),
        title="t",
        overview=_overview(search='a"&<b', page=3, total=100, page_size=10),
    )

    assert "?page=4&amp;pageSize=10&amp;search=a%22%26%3Cb" in html
    assert "<strong>3</strong>" in html and "…" in html  # 1 2 3 4 5 … 10


def _overview(*, search: str, page: int, total: int, page_size: int) -> Overview:
    row = IntegrationRow("Web", "Accounts", None, None, None, None, Status.NEVER)
    return Overview([row], [], total, page, page_size, search)
