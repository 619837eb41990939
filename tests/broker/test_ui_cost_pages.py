"""The index, the network and the pacticipants pages: a few statements each, however long the
history (issue #22: each statement costs SQLAlchemy's Python, more than SQLite spends).

The index is its page of integrations with their count and their newest pacts and results
(one statement, ``integration_heads.page_of_heads``) and everything shown beside them (one,
``page_chips``); the
network its listing, the integrations' statuses and the names around them; the pacticipants
page its page with their count, and their labels and newest versions; a pacticipant's page the
pacticipant with its facts, its integrations and its shown versions' facts. Each count is
pinned at two history sizes on both databases, and on SQLite the virtual machine's steps too.
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from accord_broker.db import Database
from accord_broker.domain.integrations.network import load_network
from accord_broker.domain.integrations.overview import load_overview
from accord_broker.domain.pacticipants import pacticipant_overview
from accord_broker.domain.pacticipants.pacticipant_list import (
    DeployFormChoices,
    deploy_form_choices,
    load_pacticipant_list,
)
from accord_broker.domain.pacticipants.pacticipant_overview import load_pacticipant_page
from sqlalchemy.orm import Session

from tests.broker.conftest import start_broker
from tests.broker.release_history import create_environment, deploy, publish, verify
from tests.broker.sqlite_work import url_steps
from tests.broker.statement_counts import select_statements

SHORT, LONG = range(1, 3), range(3, 11)


def _grow(url: str, versions: range) -> None:
    """Web and Mobile publish ``versions`` to Accounts (Web on main, tagged), Accounts verifies
    each from a version of its own (Mobile's fail); the first of each runs in production.
    (Only versions, pacts and results grow: the placement lookups read an application's
    ended deployments too where SQLite has no statistics, see ``test_ui_paging``'s note.)"""
    with start_broker(url) as broker:
        for n in versions:
            for consumer in ("Web", "Mobile"):
                branch = "main" if consumer == "Web" else None
                tags = ["dev"] if consumer == "Web" else None
                publish(broker, consumer, f"{n}.0.0", "Accounts", branch=branch, tags=tags)
                ok = consumer == "Web"
                verify(broker, "Accounts", f"a{n}", consumer, f"{n}.0.0", success=ok, branch="main")
        if versions.start == 1:
            create_environment(broker, "production", production=True)
            for name, version in (("Web", "1.0.0"), ("Mobile", "1.0.0"), ("Accounts", "a1")):
                deploy(broker, name, version, "production")
            assert broker.put("/pacticipants/Web/labels/team-a").ok


def _index(session: Session) -> object:
    overview = load_overview(session)
    assert len(overview.rows) == 2
    return overview


def _network(session: Session) -> object:
    network = load_network(session)
    assert len(network.links) == 2
    return network


def _network_of_a_team(session: Session) -> object:
    network = load_network(session, label="team-a", environment="production")
    assert len(network.links) == 1 and network.placed
    return network


def _pacticipants(session: Session) -> object:
    found = load_pacticipant_list(session, page_size=50)
    assert len(found.rows) == 3 and found.labels == ["team-a"]
    return found


def _pacticipant(session: Session) -> object:
    page = load_pacticipant_page(session, "Accounts")
    assert page is not None and len(page.as_provider) == 2 and page.versions
    return page


QUESTIONS: dict[str, Callable[[Session], object]] = {
    "index": _index,
    "network": _network,
    "network of a team": _network_of_a_team,
    "pacticipants": _pacticipants,
    "pacticipant": _pacticipant,
}
BUDGET = {
    "index": 2,
    "network": 3,
    "network of a team": 3,
    "pacticipants": 2,
    "pacticipant": 3,
}
"""The statements each question runs (the pacticipant's page finds the pacticipant by name in
its first)."""


def test_the_pages_run_a_few_statements_for_any_history(database_url: str) -> None:
    _grow(database_url, SHORT)
    short = {name: select_statements(database_url, ask) for name, ask in QUESTIONS.items()}
    _grow(database_url, LONG)
    longer = {name: select_statements(database_url, ask) for name, ask in QUESTIONS.items()}

    assert short == longer == BUDGET


def test_the_pages_do_not_read_the_history_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a pacticipant's page shows one version, counted to one: both histories are longer
    monkeypatch.setattr(pacticipant_overview, "VERSIONS_SHOWN", 1)
    monkeypatch.setattr(pacticipant_overview, "COUNT_CAP", 1)
    short, longer = (f"sqlite:///{tmp_path / f'{n}.sqlite'}" for n in ("short", "long"))
    _grow(short, SHORT)
    _grow(longer, SHORT)
    _grow(longer, LONG)

    for name, ask in QUESTIONS.items():
        assert url_steps(short, ask, per_callback=1) == url_steps(longer, ask, per_callback=1), name


def test_the_can_i_deploy_form_reads_its_choices_in_one_statement(database_url: str) -> None:
    _grow(database_url, SHORT)
    with start_broker(database_url) as broker:
        publish(broker, "mobile-lite", "1", "Accounts")  # sorts by lower name, among the M's
    database = Database(database_url)
    try:
        with database.read_session() as session:
            web = deploy_form_choices(session, "Web")
            others = [deploy_form_choices(session, name) for name in ("Mobile", "Nobody", "")]
    finally:
        database.dispose()

    assert web == DeployFormChoices(
        ["Accounts", "Mobile", "mobile-lite", "Web"], ["production"], ["main"]
    )
    assert [choices.branches for choices in others] == [[], [], []]
    assert select_statements(database_url, lambda session: deploy_form_choices(session, "Web")) == 1
