"""Merging the pieces of one pair: identity by kind, description and states; conflicts refused."""

import pytest

from accord.consumer.merge import PactPiece, interaction_identity, merge_pieces
from accord.errors import PactMergeConflictError


def piece(origin: str, *interactions: dict, version: str = "4.0") -> PactPiece:
    document = {
        "consumer": {"name": "web"},
        "provider": {"name": "accounts"},
        "interactions": list(interactions),
        "metadata": {"pactSpecification": {"version": version}},
    }
    return PactPiece(document=document, origin=origin)


def http(description: str, status: int = 200, state: str | None = None) -> dict:
    interaction: dict = {
        "type": "Synchronous/HTTP",
        "description": description,
        "request": {"method": "GET", "path": "/"},
        "response": {"status": status},
    }
    if state:
        interaction["providerStates"] = [{"name": state}]
    return interaction


def test_interactions_of_all_pieces_are_kept_sorted_by_identity() -> None:
    merged = merge_pieces([piece("t::b", http("b")), piece("t::a", http("a"))])

    assert [i["description"] for i in merged["interactions"]] == ["a", "b"]
    assert merged["metadata"] == {"pactSpecification": {"version": "4.0"}}


def test_the_same_description_under_another_state_is_another_interaction() -> None:
    merged = merge_pieces(
        [piece("t::1", http("a", state="s1")), piece("t::2", http("a", state="s2"))]
    )

    assert len(merged["interactions"]) == 2
    assert interaction_identity(http("a", state="s1")) != interaction_identity(http("a"))


def test_an_identical_interaction_written_twice_is_kept_once() -> None:
    merged = merge_pieces([piece("t::1", http("a")), piece("t::2", http("a"))])

    assert merged["interactions"] == [http("a")]


def test_a_differing_interaction_names_both_tests() -> None:
    with pytest.raises(PactMergeConflictError) as conflict:
        merge_pieces([piece("t::one", http("a")), piece("t::two", http("a", status=404))])

    assert "'a' is defined differently by t::one and t::two" in str(conflict.value)


def test_mixed_specification_versions_for_one_pair_are_refused() -> None:
    with pytest.raises(PactMergeConflictError) as conflict:
        merge_pieces([piece("t::v4", http("a")), piece("t::v3", http("b"), version="3.0.0")])

    assert "specification version 3.0.0 in t::v3 but 4.0 in t::v4" in str(conflict.value)
