"""The public face of accord.matching: other code and external checks import exactly these."""

import dataclasses

import pytest

import accord.matching
from accord.matching import Mismatch


def test_public_names_are_pinned() -> None:
    assert sorted(accord.matching.__all__) == [
        "ActualMessage",
        "ActualRequest",
        "ActualResponse",
        "Mismatch",
        "MismatchKind",
        "apply_generators",
        "match_message",
        "match_request",
        "match_response",
    ]


def test_mismatch_is_a_frozen_dataclass_with_the_documented_fields() -> None:
    mismatch = Mismatch("body", "$.body.id", 1, "x", "Expected 'id' to be 1 but got 'x'")
    assert [f.name for f in dataclasses.fields(mismatch)] == [
        "kind",
        "path",
        "expected",
        "actual",
        "message",
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        mismatch.kind = "path"  # type: ignore[misc]
    assert str(mismatch) == "$.body.id: Expected 'id' to be 1 but got 'x'"
