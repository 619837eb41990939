"""content_sha: one hash per contract, whatever the spelling of the JSON around it."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from accord.pact import content_sha, interaction_id, spec_version_of

PACT_PYTHON = Path(__file__).resolve().parents[2] / "fixtures" / "pacts" / "pact_python"


@pytest.fixture
def pact_json() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (PACT_PYTHON / "accord-web-accord-accounts.json").read_text("utf-8")
    )
    return loaded


def _reordered(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reordered(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reordered(v) for v in value]
    return value


def test_key_order_does_not_change_the_hash(pact_json: dict[str, Any]) -> None:
    assert content_sha(_reordered(pact_json)) == content_sha(pact_json)


def test_whitespace_does_not_change_the_hash(pact_json: dict[str, Any]) -> None:
    compact = json.loads(json.dumps(pact_json, separators=(",", ":")))
    pretty = json.loads(json.dumps(pact_json, indent=4))
    assert content_sha(compact) == content_sha(pretty) == content_sha(pact_json)


def test_interaction_order_does_not_change_the_hash(pact_json: dict[str, Any]) -> None:
    shuffled = {**pact_json, "interactions": list(reversed(pact_json["interactions"]))}
    assert content_sha(shuffled) == content_sha(pact_json)


def test_client_metadata_does_not_change_the_hash(pact_json: dict[str, Any]) -> None:
    # the official CLIs rewrite metadata.pactRust on every publish (clients.md trap 7)
    republished = copy.deepcopy(pact_json)
    republished["metadata"]["pactRust"] = {"ffi": "0.5.4", "models": "1.3.11"}
    republished["metadata"]["pact-js"] = {"version": "16.5.0"}
    assert content_sha(republished) == content_sha(pact_json)


def test_consumer_and_provider_blocks_do_not_change_the_hash(pact_json: dict[str, Any]) -> None:
    renamed = {**pact_json, "consumer": {"name": "other"}}
    assert content_sha(renamed) == content_sha(pact_json)


def test_a_change_inside_an_interaction_changes_the_hash(pact_json: dict[str, Any]) -> None:
    changed = copy.deepcopy(pact_json)
    changed["interactions"][0]["response"]["status"] = 201
    assert content_sha(changed) != content_sha(pact_json)


def test_array_order_inside_an_interaction_matters(pact_json: dict[str, Any]) -> None:
    changed = copy.deepcopy(pact_json)
    states = changed["interactions"][3]["providerStates"]
    states.append({"name": "another state"})
    reversed_states = copy.deepcopy(changed)
    reversed_states["interactions"][3]["providerStates"].reverse()
    assert content_sha(changed) != content_sha(reversed_states)


def test_the_spec_version_changes_the_hash(pact_json: dict[str, Any]) -> None:
    v3 = copy.deepcopy(pact_json)
    v3["metadata"]["pactSpecification"]["version"] = "3.0.0"
    assert content_sha(v3) != content_sha(pact_json)


def test_the_spec_version_is_read_from_every_metadata_spelling() -> None:
    assert spec_version_of({"metadata": {"pactSpecification": {"version": "4.0"}}}) == "4.0"
    assert spec_version_of({"metadata": {"pact-specification": {"version": "1.1.0"}}}) == "1.1.0"
    assert spec_version_of({"metadata": {"pactSpecificationVersion": "2.0.0"}}) == "2.0.0"
    assert spec_version_of({"metadata": "nonsense"}) is None


def test_messages_are_hashed_like_interactions() -> None:
    base = {"messages": [{"description": "a"}, {"description": "b"}], "metadata": {}}
    swapped = {"messages": [{"description": "b"}, {"description": "a"}], "metadata": {}}
    changed = {"messages": [{"description": "a"}, {"description": "c"}], "metadata": {}}
    assert content_sha(base) == content_sha(swapped)
    assert content_sha(base) != content_sha(changed)


def test_the_hash_is_hex_sha1(pact_json: dict[str, Any]) -> None:
    digest = content_sha(pact_json)
    assert len(digest) == 40
    assert int(digest, 16) >= 0


def test_interaction_id_ignores_an_injected_id_and_key_order() -> None:
    interaction = {"description": "d", "request": {"method": "GET", "path": "/"}}
    served = {"_id": "abc", **_reordered(interaction)}
    assert interaction_id(served) == interaction_id(interaction)
    assert interaction_id({**interaction, "description": "e"}) != interaction_id(interaction)
