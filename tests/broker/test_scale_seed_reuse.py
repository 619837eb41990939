"""A kept scale-benchmark database is reused only when it holds the whole data set (issue #20).

``--keep`` makes the benchmark seed once and measure many times; a seed that died half-way
(the full-size PostgreSQL seed once died in the rebuild of ``branch_verifications``) must not
be mistaken for a data set, and must be finished rather than inserted again. These tests seed
the smallest shape on both databases."""

import pytest
from sqlalchemy import create_engine, text

from benchmarks.broker_scale.seed import ShapeMismatchError, seed, seeded
from benchmarks.broker_scale.shape import Shape

TINY = Shape.at(0.001)


def _execute(url: str, statement: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def test_an_empty_database_is_not_seeded_and_a_seeded_one_is(database_url: str) -> None:
    assert not seeded(database_url, TINY)
    counts, _ = seed(database_url, TINY)
    assert counts["versions"] == 50 * TINY.consumer_versions + 50 * TINY.provider_versions
    assert seeded(database_url, TINY)


def test_a_seed_that_died_in_the_rebuilds_is_finished_not_inserted_again(
    database_url: str,
) -> None:
    seed(database_url, TINY)
    _execute(database_url, "DELETE FROM tag_heads")
    _execute(database_url, "DELETE FROM branch_verifications")
    assert not seeded(database_url, TINY)
    counts, _ = seed(database_url, TINY)  # inserting the history again would violate its keys
    assert counts["tag_heads"] > 0
    assert counts["branch_verifications"] > 0
    assert seeded(database_url, TINY)


def test_a_database_of_another_shape_is_refused_by_name(database_url: str) -> None:
    seed(database_url, TINY)
    with pytest.raises(ShapeMismatchError, match="drop it"):
        seeded(database_url, Shape.at(0.1))
