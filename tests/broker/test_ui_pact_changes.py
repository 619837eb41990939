"""The pact page's "changes since the previous version" (issue #22 §1): a semantic diff of the
interactions, fields and matching rules, rendered from ``accord.pact.diff`` on both databases."""

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.broker.conftest import RunningBroker, make_pact, start_broker

CHANGES = "/ui/pacts/provider/Accounts/consumer/Web/version/{}/changes"


def _pact(*descriptions: str, body: dict[str, Any], rules: dict[str, Any]) -> dict[str, Any]:
    pact = make_pact("Web", "Accounts", *descriptions)
    for interaction in pact["interactions"]:
        response = interaction["response"]
        response["body"]["content"] = body
        if rules:
            response["matchingRules"] = {
                "body": {
                    path: {"combine": "AND", "matchers": matchers}
                    for path, matchers in rules.items()
                }
            }
    return pact


OLD = _pact(
    "get account",
    "list accounts",
    body={"id": 1, "name": "Ann", "nickname": "A", "items": [1]},
    rules={"$.name": [{"match": "type"}], "$.items": [{"match": "type", "min": 1}]},
)
NEW = _pact(
    "get account",
    "get a <b>bold</b> account",
    body={"id": 1, "name": "Ann", "email": "a@b.c", "items": [1]},
    rules={"$.items": [{"match": "type", "min": 2}]},
)


def _rows(html: str) -> list[tuple[str, str, str, str]]:
    """(interaction, effect, location, message) of every change row, in page order."""
    rows = []
    for section in re.findall(r'<section class="interaction changes">(.*?)</section>', html, re.S):
        name = re.search(r"<h3>(.*?)</h3>", section, re.S)
        assert name is not None
        for effect, location, message in re.findall(
            r'<tr class="change (asks-more|asks-less)">.*?<code class="location">(.*?)</code>'
            r'.*?<td class="message">(.*?)</td>',
            section,
            re.S,
        ):
            rows.append((name.group(1), effect, location, message))
    return rows


def test_the_pact_page_links_to_the_changes_since_the_previous_version(
    broker: RunningBroker,
) -> None:
    assert broker.publish("Web", "1", OLD).status_code == 200
    page = broker.get("/ui/pacts/provider/Accounts/consumer/Web/version/1")

    link = f'<a id="changes-previous" href="{broker.url}{CHANGES.format(1)}">'
    assert link + "changes since the previous version</a>" in page.text


def test_the_changes_are_interactions_fields_and_matchers_not_lines(broker: RunningBroker) -> None:
    assert broker.publish("Web", "1", OLD).status_code == 200
    assert broker.publish("Web", "2", NEW).status_code == 200

    page = broker.get(CHANGES.format(2))

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    between = f"{broker.url}/pacts/provider/Accounts/consumer/Web"
    ui_between = f"{broker.url}/ui/pacts/provider/Accounts/consumer/Web"
    assert f'id="older-version" href="{ui_between}/version/1">1</a>' in page.text
    assert f'id="text-diff" href="{between}/version/2/diff/previous-distinct"' in page.text
    rows = _rows(page.text)
    assert sorted(rows) == sorted(
        [
            ("get account", "asks-more", "response.body.email", "field email now expected"),
            (
                "get account",
                "asks-less",
                "response.body.nickname",
                "field nickname no longer expected",
            ),
            (
                "get account",
                "asks-more",
                "response.matchingRules.body[&#39;$.name&#39;]",
                "the rule at $.name was removed (exact value now)",
            ),
            (
                "get account",
                "asks-more",
                "response.matchingRules.body[&#39;$.items&#39;]",
                "the rule at $.items now requires at least 2 items",
            ),
            (
                "get a &lt;b&gt;bold&lt;/b&gt; account",
                "asks-more",
                "interaction",
                "the interaction was added",
            ),
            ("list accounts", "asks-less", "interaction", "the interaction was removed"),
        ]
    )
    # grouped by interaction, in the diff's order: what asks more of the provider first
    assert [(name, effect) for name, effect, _, _ in rows] == [
        ("get account", "asks-more"),
        ("get account", "asks-more"),
        ("get account", "asks-more"),
        ("get account", "asks-less"),
        ("get a &lt;b&gt;bold&lt;/b&gt; account", "asks-more"),
        ("list accounts", "asks-less"),
    ]
    assert "<b>bold</b>" not in page.text
    summary = re.search(r'<p id="changes-summary">(.*?)</p>', page.text, re.S)
    assert summary is not None
    assert (
        " ".join(summary.group(1).split()) == "6 changes; <strong>4</strong> ask more of Accounts."
    )


def test_the_previous_version_is_the_previous_distinct_content(broker: RunningBroker) -> None:
    for number, pact in (("1", OLD), ("2", OLD), ("3", NEW)):
        assert broker.publish("Web", number, pact).status_code == 200

    first = broker.get(CHANGES.format(1))
    same = broker.get(CHANGES.format(2))
    third = broker.get(CHANGES.format(3))

    assert 'id="no-previous"' in first.text
    assert 'id="no-previous"' in same.text  # version 1 has the same content: nothing to compare
    assert 'id="older-version"' in third.text
    assert ">2</a>" in third.text.split('id="older-version"', 1)[1].split("</dd>", 1)[0]
    assert len(_rows(third.text)) == 6


def test_a_content_change_outside_the_provider_s_obligations_says_so(
    broker: RunningBroker,
) -> None:
    relabelled = _pact(
        "get account",
        "list accounts",
        body={"id": 1, "name": "Ann", "nickname": "A", "items": [1]},
        rules={"$.name": [{"match": "type"}], "$.items": [{"match": "type", "min": 1}]},
    )
    # a comment is new content (another pact version) but no part of the interaction
    relabelled["interactions"][0]["comments"] = {"text": ["reviewed by the accounts team"]}
    assert broker.publish("Web", "1", OLD).status_code == 200
    assert broker.publish("Web", "2", relabelled).status_code == 200

    page = broker.get(CHANGES.format(2))

    assert 'id="no-changes"' in page.text
    assert _rows(page.text) == []


def test_an_unknown_version_is_a_404_page(broker: RunningBroker) -> None:
    assert broker.publish("Web", "1", OLD).status_code == 200

    page = broker.get(CHANGES.format("9"))

    assert page.status_code == 404
    assert 'id="not-found"' in page.text
    assert "9" in page.text


@pytest.fixture
def small_limit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBroker]:
    database = tmp_path_factory.mktemp("limit") / "broker.sqlite"
    with start_broker(f"sqlite:///{database}", diff_max_bytes=200) as running:
        yield running


def test_pacts_over_the_diff_limit_are_not_compared(small_limit: RunningBroker) -> None:
    assert small_limit.publish("Web", "1", OLD).status_code == 200
    assert small_limit.publish("Web", "2", NEW).status_code == 200

    page = small_limit.get(CHANGES.format(2))

    assert page.status_code == 200
    assert 'id="changes-problem"' in page.text
    assert "ACCORD_BROKER_DIFF_MAX_BYTES" in page.text
    assert _rows(page.text) == []
