"""Version, pacticipant and deployment listings cost a fixed number of statements.

A listing used to read each version's tags, branches and pacts (and each deployment's version)
with statements of their own, so ``GET /pacticipants/{p}/versions`` ran ~3 statements per
version (issue #20: 9,005 for 3,000 versions). These tests answer each listing on a short and
on a longer history of the same shape and require the same statement count, within the budget
each listing is built to: a few statements per page, none per row. On SQLite they also count
the virtual machine's steps for the pacticipant list, whose newest-version lookup once scanned
every version of the listed pacticipants.
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from accord_broker.domain.deployments.deployments import DEPLOYED, RELEASED, Kind
from accord_broker.domain.deployments.placement_views import current_placements
from accord_broker.domain.pacticipants.views import (
    list_pacticipant_views,
    pacticipant_views_with_label,
)
from accord_broker.domain.versions import views as version_views
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import create_environment, deploy, publish, release, seg
from tests.broker.sqlite_work import url_steps
from tests.broker.statement_counts import select_statements

VERSION_PAGE_BUDGET = 3
"""The page with its count (the pacticipant found by name inside it), environments, then the
tags, branches and pact providers of the whole page (one statement,
``domain/versions/version_details.py``)."""
VERSION_LIST_BUDGET = 4
"""The unpaged listing: pacticipant, versions, environments; tags, branches and pact providers
are read for the whole pacticipant in one statement, however many versions it has."""
BRANCH_VERSIONS_BUDGET = 5
"""Pacticipant, branch, its versions, environments, then tags, branches and pact providers
(read for the whole branch in one statement)."""
PACTICIPANTS_BUDGET = 2
"""Pacticipants with their newest version numbers, their labels."""
CURRENT_PLACEMENTS_BUDGET = 2
"""Environment; current records with their versions' numbers and pacticipants."""


SHORT, LONGER = 3, 12


def _build(database_url: str, versions: int) -> str:
    """Web publishes ``versions`` versions on main, tagged ``dev``; each is released to
    production and deployed there on an instance of its own; Web carries a label. The
    environment's uuid."""
    with start_broker(database_url) as broker:
        production = create_environment(broker, "production", production=True)
        for n in range(1, versions + 1):
            number = f"{n}.0.0"
            publish(broker, "Web", number, "Accounts", f"call {n}", branch="main", tags=["dev"])
            release(broker, "Web", number, "production")
            deploy(broker, "Web", number, "production", instance=f"i{n}")
        _label(broker, "Web", "team-web")
    return production


@pytest.fixture(params=[SHORT, LONGER], ids=["short-history", "longer-history"])
def history(request: pytest.FixtureRequest, database_url: str) -> tuple[str, str]:
    return database_url, _build(database_url, request.param)


def _label(broker: RunningBroker, pacticipant: str, label: str) -> None:
    response = broker.put(f"/pacticipants/{seg(pacticipant)}/labels/{seg(label)}", {})
    assert response.status_code in (200, 201), response.text


def _version_page(session: Session) -> object:
    found, total = version_views.list_version_views(session, "Web", page=1, size=2)
    assert len(found) == 2 and total >= 3
    assert found[0].tags == ("dev",) and found[0].pact_providers == ("Accounts",)
    assert found[0].branches[0].latest and not found[1].branches[0].latest
    return found


def _version_list(session: Session) -> object:
    found, _total = version_views.list_version_views(session, "Web")
    assert len(found) >= 3 and all(v.tags == ("dev",) for v in found)
    return found


def _branch_versions(session: Session) -> object:
    found = version_views.branch_version_views(session, "Web", "main")
    assert len(found) >= 3 and all(v.pact_providers == ("Accounts",) for v in found)
    return found


def _pacticipants(session: Session) -> object:
    found = list_pacticipant_views(session)
    assert [p.name for p in found] == ["Accounts", "Web"]
    assert found[0].latest_version is None and found[1].latest_version is not None
    return found


def _pacticipants_by_label(session: Session) -> object:
    found = pacticipant_views_with_label(session, "team-web")
    assert [p.name for p in found] == ["Web"] and found[0].labels == ("team-web",)
    return found


def _current(kind: Kind, environment: str) -> Callable[[Session], object]:
    def ask(session: Session) -> object:
        _env, found = current_placements(session, kind, environment)
        assert len(found) >= 3 and {p.pacticipant for p in found} == {"Web"}
        return found

    return ask


def test_a_page_of_versions_runs_a_fixed_number_of_statements(
    history: tuple[str, str],
) -> None:
    database_url, _production = history

    assert select_statements(database_url, _version_page) == VERSION_PAGE_BUDGET


def test_every_version_is_listed_with_a_fixed_number_of_statements(
    history: tuple[str, str],
) -> None:
    database_url, _production = history

    assert select_statements(database_url, _version_list) == VERSION_LIST_BUDGET


def test_a_branchs_versions_run_a_fixed_number_of_statements(
    history: tuple[str, str],
) -> None:
    database_url, _production = history

    assert select_statements(database_url, _branch_versions) == BRANCH_VERSIONS_BUDGET


def test_whole_lists_are_not_read_in_batches_of_versions(
    history: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of two versions would cost three statements more per two versions: a whole
    list reads its versions' details for the pacticipant or branch, not batch by batch (it
    once ran three statements per 500 versions, ~20 for a history of 3,000)."""
    database_url, _production = history
    monkeypatch.setattr(version_views, "_BATCH", 2)

    assert select_statements(database_url, _version_list) == VERSION_LIST_BUDGET
    assert select_statements(database_url, _branch_versions) == BRANCH_VERSIONS_BUDGET


def test_pacticipant_listings_run_a_fixed_number_of_statements(
    history: tuple[str, str],
) -> None:
    database_url, _production = history

    assert select_statements(database_url, _pacticipants) == PACTICIPANTS_BUDGET
    assert select_statements(database_url, _pacticipants_by_label) == PACTICIPANTS_BUDGET


def test_currently_deployed_and_supported_run_a_fixed_number_of_statements(
    history: tuple[str, str],
) -> None:
    database_url, production = history

    assert (
        select_statements(database_url, _current(DEPLOYED, production)) == CURRENT_PLACEMENTS_BUDGET
    )
    assert (
        select_statements(database_url, _current(RELEASED, production)) == CURRENT_PLACEMENTS_BUDGET
    )


def _sqlite_steps(database_url: str, question: Callable[[Session], object]) -> int:
    """SQLite's virtual-machine steps for one answer, counted step by step."""
    return url_steps(database_url, question, per_callback=1)


def test_the_pacticipant_list_does_not_read_every_version_on_sqlite(tmp_path: Path) -> None:
    short, longer = (f"sqlite:///{tmp_path / f'{n}.sqlite'}" for n in (SHORT, LONGER))
    _build(short, SHORT)
    _build(longer, LONGER)

    for question in (_pacticipants, _pacticipants_by_label):
        assert _sqlite_steps(short, question) == _sqlite_steps(longer, question)
