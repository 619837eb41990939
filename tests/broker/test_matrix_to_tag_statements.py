"""can-i-deploy ``--to TAG`` (and ``--latest``) finds every other pacticipant's newest version
(with the tag) in one statement, however many they are (issue #20: one statement each before),
and finds the same versions as asking each alone."""

from collections.abc import Callable

import pytest
from accord_broker.api.hal import Urls
from accord_broker.api.matrix import render_answer
from accord_broker.db.engine import Database
from accord_broker.domain import matrix
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import publish, seg, verify
from tests.broker.statement_counts import select_statements

PROVIDERS = ("Accounts", "Billing", "Search")


def _tag(broker: RunningBroker, pacticipant: str, version: str, tag: str) -> None:
    path = f"/pacticipants/{seg(pacticipant)}/versions/{seg(version)}/tags/{seg(tag)}"
    response = broker.put(path, {})
    assert response.status_code in (200, 201), response.text


def _history(database_url: str, providers: int) -> None:
    """Web 1.0.0 has a pact with each provider; each provider verified it with two versions,
    both tagged ``prod``, the last provider's newer one failing."""
    with start_broker(database_url) as broker:
        for n, provider in enumerate(PROVIDERS[:providers]):
            publish(broker, "Web", "1.0.0", provider)
            last = n == providers - 1
            for number, success in ((f"{n}.1", True), (f"{n}.2", not last)):
                verify(broker, provider, number, "Web", "1.0.0", success=success)
                _tag(broker, provider, number, "prod")


def _asking(destination: str) -> Callable[[Session], dict[str, object]]:
    """can-i-deploy Web 1.0.0 ``--to prod`` (``latest=true&tag=prod``) or ``--latest``."""

    def ask(session: Session) -> dict[str, object]:
        query = matrix.parse_matrix_query(
            f"q[][pacticipant]=Web&q[][version]=1.0.0&latestby=cvpv&{destination}"
        )
        return render_answer(session, Urls("http://broker"), matrix.answer(session, query))

    return ask


_ask = _asking("latest=true&tag=prod")
DESTINATIONS = ["latest=true&tag=prod", "latest=true"]


def _provider_versions(answer: dict[str, object]) -> dict[str, str]:
    rows = answer["matrix"]
    assert isinstance(rows, list)
    return {row["provider"]["name"]: row["provider"]["version"]["number"] for row in rows}


TO_TAG_BUDGET = 6
"""The pacticipants with the version asked about, the integrations, the other sides' newest
``prod`` versions (one statement for all: it was one each), the rows, the failure's evidence,
the rows' labels."""


@pytest.mark.parametrize("destination", DESTINATIONS, ids=["to-tag", "latest"])
@pytest.mark.parametrize("providers", [1, 3], ids=["one-provider", "three-providers"])
def test_the_newest_version_of_every_other_side_takes_one_statement(
    database_url: str, providers: int, destination: str
) -> None:
    _history(database_url, providers)

    assert select_statements(database_url, _asking(destination)) == TO_TAG_BUDGET


@pytest.mark.parametrize("destination", DESTINATIONS, ids=["to-tag", "latest"])
def test_each_side_s_newest_version_is_the_one_asked_about(
    database_url: str, destination: str
) -> None:
    _history(database_url, 3)

    database = Database(database_url)
    try:
        with database.read_session() as session:
            answer = _asking(destination)(session)
    finally:
        database.dispose()
    assert _provider_versions(answer) == {"Accounts": "0.2", "Billing": "1.2", "Search": "2.2"}
    summary = answer["summary"]
    assert isinstance(summary, dict)
    assert summary["deployable"] is False


def _ask_latest(session: Session) -> dict[str, object]:
    query = matrix.parse_matrix_query(
        "q[][pacticipant]=Web&q[][latest]=true&latestby=cvp&latest=true&tag=prod"
    )
    return render_answer(session, Urls("http://broker"), matrix.answer(session, query))


def _shortcut(session: Session) -> dict[str, object]:
    """What ``…/latest-version/{tag}/can-i-deploy/to/{to}`` and its badge do: a 404 check of
    the pacticipant, then the question, in one session."""
    assert matrix.pacticipant_named(session, "Web") is not None
    return _ask_latest(session)


def test_a_shortcut_s_pacticipant_check_costs_no_statement(database_url: str) -> None:
    _history(database_url, 2)

    assert select_statements(database_url, _shortcut) == select_statements(
        database_url, _ask_latest
    )
