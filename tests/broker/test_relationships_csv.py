"""``/relationships`` and ``/groups/{name}``: the Pact Broker's network-graph CSV (issue #22 §1).

Each line is ``id, name, 1, 1, 0, position, provider ids…`` padded with ``0`` to the longest
line, served as ``text/csv;charset=utf-8`` by default and refused (406) to a client that
accepts only something else, as the Pact Broker's resources do. Parsed with :mod:`csv` on both
databases.
"""

import csv
import io
from dataclasses import dataclass

import pytest

from tests.broker.conftest import RunningBroker, make_pact


@dataclass(frozen=True)
class Line:
    id: int
    name: str
    fixed: tuple[str, str, str]
    position: int
    provider_ids: tuple[int, ...]


def _lines(text: str) -> list[Line]:
    rows = list(csv.reader(io.StringIO(text)))
    assert len({len(row) for row in rows}) <= 1, "every line is padded to the same width"
    lines = []
    for row in rows:
        providers = tuple(int(cell) for cell in row[6:])
        assert providers == tuple(sorted(providers, key=lambda p: p == 0)), "0s pad the end"
        lines.append(Line(int(row[0]), row[1], (row[2], row[3], row[4]), int(row[5]), providers))
    return lines


def _graph(lines: list[Line]) -> dict[str, list[str]]:
    """name → the names of the providers it consumes, read through the ids."""
    names = {line.id: line.name for line in lines}
    return {line.name: [names[p] for p in line.provider_ids if p] for line in lines}


@pytest.fixture
def network(broker: RunningBroker) -> RunningBroker:
    """Web → Accounts, Web → Ledger, Transfers → Ledger, Mobile → Cards, and Lonely alone."""
    for consumer, provider in (
        ("Web", "Accounts"),
        ("Web", "Ledger"),
        ("Transfers", "Ledger"),
        ("Mobile", "Cards"),
    ):
        assert broker.publish(consumer, "1", make_pact(consumer, provider)).ok
    assert broker.post("/pacticipants", {"name": "Lonely"}).status_code == 201
    return broker


def test_relationships_lists_every_integration_with_a_pact(network: RunningBroker) -> None:
    answer = network.get("/relationships")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv;charset=utf-8"
    lines = _lines(answer.text)
    # by consumer then provider name, each pacticipant where it first appears
    assert [line.name for line in lines] == [
        "Mobile",
        "Cards",
        "Transfers",
        "Ledger",
        "Web",
        "Accounts",
    ]
    assert [line.position for line in lines] == [1, 2, 3, 4, 5, 6]
    assert {line.fixed for line in lines} == {("1", "1", "0")}
    assert _graph(lines) == {
        "Mobile": ["Cards"],
        "Cards": [],
        "Transfers": ["Ledger"],
        "Ledger": [],
        "Web": ["Accounts", "Ledger"],
        "Accounts": [],
    }
    assert len({line.id for line in lines}) == 6  # Lonely has no pact: not a relationship


@pytest.mark.parametrize("accept", [None, "*/*", "text/csv", "text/html,*/*;q=0.8"])
def test_csv_is_served_by_default_and_on_request(
    network: RunningBroker, accept: str | None
) -> None:
    headers = {} if accept is None else {"Accept": accept}

    for path in ("/relationships", "/groups/Web"):
        answer = network.get(path, headers=headers)

        assert answer.status_code == 200, (path, accept)
        assert answer.headers["content-type"] == "text/csv;charset=utf-8"
        assert _lines(answer.text)


def test_an_accept_without_csv_is_refused(network: RunningBroker) -> None:
    for path in ("/relationships", "/groups/Web"):
        answer = network.get(path, headers={"Accept": "application/hal+json"})

        assert answer.status_code == 406, path
        assert "text/csv" in answer.text


def test_a_group_is_the_network_reachable_from_a_pacticipant(network: RunningBroker) -> None:
    web = _lines(network.get("/groups/Web").text)
    cards = _lines(network.get("/groups/Cards").text)

    # Web reaches Transfers through Ledger; Mobile → Cards is another network
    assert [line.name for line in web] == ["Transfers", "Ledger", "Web", "Accounts"]
    assert _graph(web) == {
        "Transfers": ["Ledger"],
        "Ledger": [],
        "Web": ["Accounts", "Ledger"],
        "Accounts": [],
    }
    assert [line.position for line in web] == [1, 2, 3, 4]
    assert _graph(cards) == {"Mobile": ["Cards"], "Cards": []}


def test_max_pacticipants_stops_after_the_ring_that_reaches_it(network: RunningBroker) -> None:
    near = _lines(network.get("/groups/Accounts", params={"maxPacticipants": "2"}).text)
    ignored = _lines(network.get("/groups/Accounts", params={"maxPacticipants": "x"}).text)

    assert _graph(near) == {"Web": ["Accounts"], "Accounts": []}
    assert {line.name for line in ignored} == {"Transfers", "Ledger", "Web", "Accounts"}


def test_a_lonely_or_unknown_pacticipant(network: RunningBroker) -> None:
    lonely = network.get("/groups/Lonely")

    assert lonely.status_code == 200
    assert lonely.headers["content-type"] == "text/csv;charset=utf-8"
    assert lonely.text == ""
    assert network.get("/groups/Nobody").status_code == 404


def test_the_ui_relationships_page_is_the_index(network: RunningBroker) -> None:
    answer = network.get("/ui/relationships?search=Web", headers={"Accept": "text/html"})

    assert answer.status_code == 200
    assert answer.url == f"{network.url}/ui?search=Web"
    assert answer.headers["content-type"].startswith("text/html")
    assert "Accounts" in answer.text
