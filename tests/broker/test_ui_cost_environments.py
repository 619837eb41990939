"""The environments pages read only the residents they show, in the order they always had.

Issue #22: the environments page read every current deployment and release of every
environment (450 at the benchmark's full size) to show ten per environment, and an
environment's page read all of its residents to show fifty. Now the database ranks them
(``resident_order``) and sends only the ranks shown, unless some application's name has a
character beyond ASCII: the pages order by Python's ``str.lower``, which neither database's
``lower`` reproduces, so then every resident is sent and Python orders them as before.

The order is checked against the old reading (every resident, sorted in Python) on both
databases, with names that differ only by case, several instances and releases of one
application, and, separately, names beyond ASCII; the statements and, on SQLite, the
virtual machine's steps are pinned at two history sizes.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from accord_broker.db import Database
from accord_broker.db.models import (
    DeployedVersion,
    Environment,
    Pacticipant,
    ReleasedVersion,
    Version,
)
from accord_broker.domain.deployments import environment_overview
from accord_broker.domain.deployments.environment_overview import (
    load_environment,
    load_environments,
)
from accord_broker.domain.deployments.resident_order import environment_cards
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import create_environment, deploy, publish, release
from tests.broker.sqlite_work import url_steps
from tests.broker.statement_counts import select_statements

ASCII_NAMES = ["beta", "Alpha", "alpha", "_first", "Zeta", "zeta", "a.b", "123", "Beta-2"]
"""Names that differ only by case (a tie in ``str.lower``), punctuation and digits."""
WIDE_NAMES = ["Émile", "émile", "Zürich", "İstanbul", "ǅemal", "ß", "istanbul", "ZZ", "\u212aelvin"]
"""Names beyond ASCII: ``str.lower`` orders these as no database's ``lower`` does (the Kelvin
sign lowers to an ASCII ``k``; a dotted capital I to an ``i`` and a combining dot)."""

Resident = tuple[str, str, bool]


def _populate(broker: RunningBroker, names: list[str]) -> None:
    """Each application deploys ``1`` to production and test; every third also runs ``2`` in
    production on a second instance, every fourth also releases ``3`` to production. Nothing
    runs in the environment called "empty"."""
    create_environment(broker, "production", production=True)
    create_environment(broker, "test")
    create_environment(broker, "empty")
    for n, name in enumerate(names):
        publish(broker, name, "1", "Accounts")
        deploy(broker, name, "1", "production")
        deploy(broker, name, "1", "test")
        if n % 3 == 0:
            publish(broker, name, "2", "Accounts")
            deploy(broker, name, "2", "production", instance="blue")
        if n % 4 == 0:
            publish(broker, name, "3", "Accounts")
            release(broker, name, "3", "production")


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(environment_overview, "CARD_SHOWN", 3)
    monkeypatch.setattr(environment_overview, "CURRENT_SHOWN", 3)


@pytest.fixture(params=["ascii", "wide"])
def residents(request: pytest.FixtureRequest, database_url: str) -> Iterator[str]:
    names = ASCII_NAMES if request.param == "ascii" else ASCII_NAMES[:4] + WIDE_NAMES
    with start_broker(database_url) as broker:
        _populate(broker, names)
    yield database_url


def _every_resident(session: Session, environment: str, only: str | None = None) -> list[Resident]:
    """What the pages read before: every current deployment (newest first), then every
    supported release, sorted in Python by name and kind."""
    found: list[Resident] = []
    kinds: Any = (
        (False, DeployedVersion, DeployedVersion.undeployed_at),
        (True, ReleasedVersion, ReleasedVersion.support_ended_at),
    )
    for released, record, ended in kinds:
        query = (
            select(Pacticipant.name, Version.number)
            .select_from(record)
            .join(Pacticipant, Pacticipant.id == record.pacticipant_id)
            .join(Version, Version.id == record.version_id)
            .join(Environment, Environment.id == record.environment_id)
            .where(Environment.name == environment, ended.is_(None))
            .order_by(record.created_at.desc(), record.id.desc())
        )
        if only:
            query = query.where(Pacticipant.name == only)
        found += [(name, number, released) for name, number in session.execute(query)]
    found.sort(key=lambda resident: (resident[0].lower(), resident[2]))
    return found


def _shown(residents: Any) -> list[Resident]:
    return [(r.pacticipant, r.version.number, r.released) for r in residents]


def test_the_cards_show_the_first_residents_by_name_as_python_orders_them(
    residents: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(residents)
    try:
        for shown in (3, 9):
            monkeypatch.setattr(environment_overview, "CARD_SHOWN", shown)
            with database.read_session() as session:
                cards = load_environments(session)
                for card in cards:
                    every = _every_resident(session, card.name)
                    assert _shown(card.current) == every[:shown], (card.name, shown)
                    assert card.current_total == len(every)
    finally:
        database.dispose()

    assert [card.name for card in cards] == ["production", "empty", "test"]
    assert cards[1].current == [] and cards[1].current_total == 0


@pytest.mark.usefixtures("small_pages")
def test_an_environments_pages_list_its_residents_by_name_as_python_orders_them(
    residents: str,
) -> None:
    database = Database(residents)
    try:
        with database.read_session() as session:
            every = _every_resident(session, "production")
            pages = [
                _shown(load_environment(session, "production", page=n).current) for n in range(1, 9)
            ]
            alpha = _every_resident(session, "production", "alpha")
            only = load_environment(session, "production", "alpha")
            empty = load_environment(session, "empty")
    finally:
        database.dispose()

    assert [resident for page in pages for resident in page] == every
    assert all(len(page) == 3 for page in pages[: len(every) // 3])
    assert _shown(only.current) == alpha[:3] and only.current_total == len(alpha)
    assert empty.current == [] and empty.history == [] and empty.current_total == 0


@pytest.mark.usefixtures("small_pages")
def test_only_the_shown_residents_leave_the_database_when_names_are_ascii(
    database_url: str,
) -> None:
    with start_broker(database_url) as broker:
        _populate(broker, ASCII_NAMES)
    database = Database(database_url)
    try:
        with database.read_session() as session:
            cards = session.execute(environment_cards(), {"from_rank": 1, "to_rank": 3})
            residents = [row for row in cards if row[6] is not None]
    finally:
        database.dispose()

    assert len(residents) == 6  # three per environment, of the fifteen and nine there


def _grow_history(url: str, rounds: range) -> None:
    """Web and Mobile redeploy to production each round: what runs there stays two
    applications, the ended deployments grow."""
    with start_broker(url) as broker:
        if rounds.start == 1:
            create_environment(broker, "production", production=True)
        for n in rounds:
            for name in ("Web", "Mobile"):
                publish(broker, name, f"{n}.0.0", "Accounts")
                deploy(broker, name, f"{n}.0.0", "production")


def _cards(session: Session) -> object:
    return load_environments(session)


def _environment(session: Session) -> object:
    return load_environment(session, "production")


def test_the_environments_pages_run_two_statements_for_any_history(
    database_url: str,
) -> None:
    _grow_history(database_url, range(1, 3))
    short = {ask.__name__: select_statements(database_url, ask) for ask in (_cards, _environment)}
    _grow_history(database_url, range(3, 9))
    longer = {ask.__name__: select_statements(database_url, ask) for ask in (_cards, _environment)}

    assert short == longer == {"_cards": 2, "_environment": 2}


def test_the_environments_pages_do_not_read_the_history_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(environment_overview, "HISTORY_SHOWN", 1)  # both histories are longer
    short, longer = (f"sqlite:///{tmp_path / f'{n}.sqlite'}" for n in (2, 12))
    _grow_history(short, range(1, 3))
    _grow_history(longer, range(1, 13))

    for ask in (_cards, _environment):
        assert url_steps(short, ask, per_callback=1) == url_steps(longer, ask, per_callback=1)
