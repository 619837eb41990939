"""The semantic diff covers every part of an interaction (issue #22 §1): request query,
headers and body, matching rules and generators on either side, provider state params, message
contents and metadata, and both sides of a V4 synchronous message. Real pacts are published to
a real broker on both databases, and the page, the CLI's ``accord pact diff`` and Chromium
must all show the same changes (one implementation, :mod:`accord.pact.diff`)."""

import html
import json
from pathlib import Path

from click.testing import CliRunner

from accord.cli.app import cli
from tests.broker.conftest import RunningBroker
from tests.broker.pact_changes_seed import EXPECTED, NEW, OLD
from tests.broker.test_ui_pact_changes import CHANGES, _rows

Change = tuple[str, bool, str, str]


def _page_changes(page_html: str) -> set[Change]:
    return {
        (html.unescape(name), effect == "asks-more", html.unescape(where), html.unescape(what))
        for name, effect, where, what in _rows(page_html)
    }


def test_every_part_of_every_kind_of_interaction_is_compared(broker: RunningBroker) -> None:
    assert broker.publish("Web", "1", OLD).status_code == 200
    assert broker.publish("Web", "2", NEW).status_code == 200

    page = broker.get(CHANGES.format(2))

    assert page.status_code == 200
    shown = _page_changes(page.text)
    assert shown - EXPECTED == set(), "changes the test did not expect"
    assert EXPECTED - shown == set(), "changes the page did not show"
    # the reverse direction: what asked more now asks less where the provider produces it
    assert broker.publish("Web", "3", OLD).status_code == 200
    reverse = _page_changes(broker.get(CHANGES.format(3)).text)
    assert (
        "an account created event",
        False,
        "message.contents.at",
        "field at no longer expected",
    ) in reverse
    assert (
        "look up an account by message",
        True,
        "request.contents.verbose",
        "field verbose no longer sent",
    ) in reverse
    assert (
        "create an account",
        False,
        "request.matchingRules.body['$.email']",
        "the rule at $.email was removed (exact value now)",
    ) in reverse


def test_the_page_and_accord_pact_diff_give_the_same_changes(
    broker: RunningBroker, tmp_path: Path
) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(OLD))
    new.write_text(json.dumps(NEW))
    assert broker.publish("Web", "1", OLD).status_code == 200
    assert broker.publish("Web", "2", NEW).status_code == 200

    result = CliRunner().invoke(cli, ["pact", "diff", str(old), str(new), "--output", "json"])

    assert result.exit_code == 1, result.output  # the new pact asks more
    listed = json.loads(result.stdout)["changes"]
    from_cli = {(c["interaction"], c["asksMore"], c["location"], c["message"]) for c in listed}
    assert from_cli == EXPECTED == _page_changes(broker.get(CHANGES.format(2)).text)
