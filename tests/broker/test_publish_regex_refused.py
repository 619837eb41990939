"""The broker refuses, at publication, a pact whose regexes the verifier could never run.

The check is the verifier's own (``accord.pact.regex.compile_pact_regex``, RE2): a backreference
or look-around is refused with the JSON path of the regex and the construct, while the Java
spellings the verifier rewrites, and patterns that are merely slow for a backtracking engine,
are accepted (issue #20, finding 7).
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.broker.conftest import RunningBroker, make_pact, start_broker


def _pact_with(rules: dict[str, Any] | None = None, generators: Any = None) -> dict[str, Any]:
    pact = make_pact("Regex UI", "Regex API")
    response = pact["interactions"][0]["response"]
    if rules is not None:
        response["matchingRules"] = {"body": rules}
    if generators is not None:
        response["generators"] = {"body": generators}
    return pact


def _regex(pattern: str) -> dict[str, Any]:
    return {"matchers": [{"match": "regex", "regex": pattern}], "combine": "AND"}


@pytest.fixture(scope="module")
def sqlite_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBroker]:
    """One broker for the module: each test publishes under its own consumer version."""
    path: Path = tmp_path_factory.mktemp("regex") / "broker.sqlite"
    with start_broker(f"sqlite:///{path}") as running:
        yield running


@pytest.mark.parametrize(
    ("version", "pattern", "construct"),
    [("1.0.0", "(a)\\1", "backreference"), ("1.0.1", "a(?=b)", "lookahead")],
)
def test_a_regex_rule_the_verifier_cannot_run_is_refused_with_its_path(
    sqlite_broker: RunningBroker, version: str, pattern: str, construct: str
) -> None:
    answer = sqlite_broker.publish("Regex UI", version, _pact_with({"$.name": _regex(pattern)}))
    assert answer.status_code == 400, answer.text
    text = answer.text
    assert "interactions[0].response.matchingRules.body.$.name.matchers[0].regex" in text
    assert construct in text
    listed = sqlite_broker.get(f"/pacticipants/Regex%20UI/versions/{version}")
    assert listed.status_code == 404  # nothing of the refused publication was kept


def test_a_regex_generator_the_verifier_cannot_run_is_refused(
    sqlite_broker: RunningBroker,
) -> None:
    generators = {"$.name": {"type": "Regex", "regex": "(?<!x)y"}}
    answer = sqlite_broker.publish("Regex UI", "2.0.0", _pact_with(generators=generators))
    assert answer.status_code == 400, answer.text
    assert "generators.body.$.name.regex" in answer.text
    assert "negative lookbehind" in answer.text


@pytest.mark.parametrize(
    ("version", "pattern"),
    [
        ("3.0.0", "\\p{Alpha}+"),  # Java POSIX class, rewritten for RE2
        ("3.0.1", "(?<id>\\d+)"),  # Java named group
        ("3.0.2", "\\Qa.b\\E"),  # quoting
        ("3.0.3", "^(a+)+$"),  # catastrophic for a backtracking engine, linear for RE2
    ],
)
def test_regexes_the_verifier_can_run_are_accepted(
    sqlite_broker: RunningBroker, version: str, pattern: str
) -> None:
    answer = sqlite_broker.publish("Regex UI", version, _pact_with({"$.name": _regex(pattern)}))
    assert answer.status_code in (200, 201), answer.text
