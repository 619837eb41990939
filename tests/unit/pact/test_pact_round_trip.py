"""parse → write V4 → parse keeps a pact's meaning, on real pacts from pact-python and pact-js."""

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from accord.pact import (
    AsynchronousMessage,
    Pact,
    SynchronousHttp,
    SynchronousMessages,
    content_sha,
    load_pact,
    message_to_json,
    pact_to_json,
    parse_pact,
    request_to_json,
    response_to_json,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pacts"
ALL_PACTS = sorted(p for p in FIXTURES.rglob("*.json") if p.name != "package.json")
V4_PACTS = [
    p
    for p in ALL_PACTS
    if json.loads(p.read_text("utf-8-sig"))["metadata"].get("pactSpecification", {}).get("version")
    == "4.0"
]
OFFICIAL_V4_PACTS = [p for p in V4_PACTS if p.parent.name != "handwritten"]


def _id(path: Path) -> str:
    return str(path.relative_to(FIXTURES))


def _rewritten(pact: Pact) -> Pact:
    # through real JSON text, as a file or a broker would carry it
    return parse_pact(json.loads(json.dumps(pact_to_json(pact))), source=pact.source)


def test_the_fixtures_cover_every_version_and_both_official_clients() -> None:
    specs = {load_pact(p).spec for p in ALL_PACTS}
    assert specs == {"V1", "V1.1", "V2", "V3", "V4"}
    assert any(p.parent.name == "pact_python" for p in ALL_PACTS)
    assert any(p.parent.parent.name == "pact_js" for p in ALL_PACTS)


@pytest.mark.parametrize("path", ALL_PACTS, ids=_id)
def test_round_trip_through_v4_gives_the_same_model(path: Path) -> None:
    pact = load_pact(path)
    again = _rewritten(pact)
    assert again.spec == "V4"
    assert replace(again, spec=pact.spec, metadata=pact.metadata) == pact


@pytest.mark.parametrize("path", V4_PACTS, ids=_id)
def test_a_v4_pact_round_trips_to_an_equal_model_including_metadata(path: Path) -> None:
    pact = load_pact(path)
    assert _rewritten(pact) == pact


@pytest.mark.parametrize("path", ALL_PACTS, ids=_id)
def test_writing_is_stable_once_written(path: Path) -> None:
    written = pact_to_json(load_pact(path))
    assert pact_to_json(parse_pact(json.loads(json.dumps(written)))) == written
    assert content_sha(pact_to_json(parse_pact(written))) == content_sha(written)


def _without_rules(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_rules(v) for k, v in value.items() if k != "matchingRules"}
    if isinstance(value, list):
        return [_without_rules(v) for v in value]
    return value


@pytest.mark.parametrize("path", OFFICIAL_V4_PACTS, ids=_id)
def test_a_v4_pact_from_an_official_client_is_written_back_as_it_was(path: Path) -> None:
    # Matching rules are compared through the model above: matcher aliases may be respelled
    # (``datetime`` and ``timestamp`` are one matcher).
    original = json.loads(path.read_text("utf-8-sig"))
    assert _without_rules(pact_to_json(load_pact(path))) == _without_rules(original)


def _matching_views(pact: Pact) -> list[Any]:
    views: list[Any] = []
    for interaction in pact.interactions:
        if isinstance(interaction, SynchronousHttp):
            views.append(request_to_json(interaction.request))
            views.append(response_to_json(interaction.response))
        elif isinstance(interaction, AsynchronousMessage):
            views.append(message_to_json(interaction.message))
        elif isinstance(interaction, SynchronousMessages):
            views.append(message_to_json(interaction.request))
            views.extend(message_to_json(r) for r in interaction.response)
    return views


@pytest.mark.parametrize("path", ALL_PACTS, ids=_id)
def test_what_the_matching_engine_is_given_is_the_same_after_a_round_trip(path: Path) -> None:
    pact = load_pact(path)
    assert _matching_views(_rewritten(pact)) == _matching_views(pact)


def test_the_written_v2_pact_says_v4_and_drops_the_legacy_version_key() -> None:
    pact = load_pact(FIXTURES / "handwritten" / "v2-billing-invoices.json")
    metadata = pact_to_json(pact)["metadata"]
    assert metadata["pactSpecification"] == {"version": "4.0"}
    assert "pactSpecificationVersion" not in metadata
    assert metadata["pact-jvm"] == {"version": "3.5.0"}


def test_pending_comments_keys_states_ids_and_extensions_survive_writing() -> None:
    pact = load_pact(FIXTURES / "handwritten" / "v4-billing-invoices.json")
    first = pact_to_json(pact)["interactions"][0]
    assert first["key"] == "inv-7"
    assert first["_id"] == "0b4ad5b6c7e8f9a0"
    assert first["pending"] is True
    assert first["comments"] == {"testname": "test_fetch_invoice", "text": ["written by hand"]}
    assert first["providerStates"] == [{"name": "invoice exists", "params": {"id": 7}}]
    assert first["transport"] == "http"


@pytest.mark.interop
def test_a_pact_freshly_written_by_pact_python_round_trips(tmp_path: Path) -> None:
    script = FIXTURES / "generate_pact_python.py"
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true"}
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    written = sorted(tmp_path.glob("*.json"))
    assert {p.name for p in written} == {p.name for p in (FIXTURES / "pact_python").glob("*.json")}
    for path in written:
        pact = load_pact(path)
        again = _rewritten(pact)
        assert replace(again, spec=pact.spec, metadata=pact.metadata) == pact
        committed = load_pact(FIXTURES / "pact_python" / path.name)
        assert replace(pact, source=committed.source) == committed
