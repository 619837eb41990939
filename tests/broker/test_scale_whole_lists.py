"""The scale benchmark's whole lists list what the catalogue says they list (issue #20).

The report bounds an unpaged list by its cost per item, dividing its time by the number of
items ``benchmarks/broker_scale/whole_lists.py`` counts from the shape's rules. A count that
drifted from the broker's answer would make that bound say nothing, so these tests seed the
smallest shape, serve it, and compare each whole list's answer with its count; and they check
that an unpaged versions list is whole and the paged one is not (the decision recorded in
docs/compatibility.md, "Unpaged lists are whole").
"""

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from benchmarks.broker_scale.catalogue import questions_for
from benchmarks.broker_scale.question import HAL, Question
from benchmarks.broker_scale.seed import seed
from benchmarks.broker_scale.shape import Shape
from tests.broker.conftest import RunningBroker, start_broker

TINY = Shape.at(0.001)
WHOLE_LISTS = [q for q in questions_for(TINY) if q.whole_list is not None]


@pytest.fixture(scope="module")
def seeded_broker(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningBroker]:
    """The smallest shape on a SQLite file, served (seeding it once for the module)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('whole-lists') / 'broker.sqlite'}"
    seed(url, TINY)
    with start_broker(url) as broker:
        yield broker


def _answer(
    broker: RunningBroker, path: str, method: str = "GET", sent: object = None
) -> dict[str, Any]:
    response = requests.request(
        method, broker.url + path, json=sent, headers={"Accept": HAL}, timeout=30
    )
    assert response.status_code == 200, f"{method} {path}: {response.status_code} {response.text}"
    body: dict[str, Any] = response.json()
    return body


def _listed(body: dict[str, Any], member: str) -> list[Any]:
    top, key = member.split(".", 1)
    listed = body.get(top, {}).get(key)
    assert isinstance(listed, list), f"{member} is not a list in {sorted(body)}"
    return listed


def test_the_catalogue_flags_the_lists_that_grow_with_history() -> None:
    names = {q.name for q in WHOLE_LISTS}

    assert {"versions (first page)", "branch versions", "pact versions of the pair"} <= names
    assert {"pair branch heads", "for-verification (every version of a tag)"} <= names
    assert "versions (page 3 of 100)" not in names  # a page is bounded, not a whole list
    assert "for-verification (branch, latest, tag)" not in names  # newest versions only


def test_the_catalogue_pages_are_full_at_every_scale_it_compares() -> None:
    """A page past the end of the short history is empty there: its growth would compare an
    empty answer with a full one (issue #20: "page 5 of 100" at 10 % lists nothing)."""
    for shape in (Shape.at(0.1), Shape.at(1)):
        for question in questions_for(shape):
            if question.template != "/pacticipants/{pacticipant}/versions" or not question.query:
                continue
            asked = dict(part.split("=") for part in question.query.split("&"))
            page, size = int(asked["page"]), int(asked["size"])

            assert page * size <= shape.consumer_versions, (question.name, shape.scale)


@pytest.mark.parametrize("question", WHOLE_LISTS, ids=[q.name for q in WHOLE_LISTS])
def test_each_whole_list_lists_as_many_items_as_the_catalogue_counts(
    seeded_broker: RunningBroker, question: Question
) -> None:
    assert question.whole_list is not None
    body = _answer(seeded_broker, question.path(), question.method, question.body)

    listed = _listed(body, question.whole_list.member)

    assert len(listed) == question.whole_list.items
    assert question.whole_list.items > 1


def test_an_unpaged_versions_list_is_whole_and_a_page_is_bounded(
    seeded_broker: RunningBroker,
) -> None:
    whole = _answer(seeded_broker, "/pacticipants/C00/versions")
    page = _answer(seeded_broker, "/pacticipants/C00/versions?size=5")

    assert len(whole["_embedded"]["versions"]) == TINY.consumer_versions
    assert "page" not in whole and "next" not in whole["_links"]
    assert len(page["_embedded"]["versions"]) == 5
    assert page["page"]["totalElements"] == TINY.consumer_versions
    assert page["_links"]["next"]["href"].endswith("/pacticipants/C00/versions?size=5&page=2")
    assert [v["_links"]["self"] for v in whole["_embedded"]["versions"][:5]] == [
        v["_links"]["self"] for v in page["_embedded"]["versions"]
    ]
