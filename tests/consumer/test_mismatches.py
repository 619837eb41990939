"""Which expected interaction is "closest" to an unexpected request."""

from accord.consumer.mismatches import closest_interaction

INTERACTIONS = [
    {"description": "login", "request": {"method": "POST", "path": "/login"}},
    {"description": "balance", "request": {"method": "GET", "path": "/accounts/1/balance"}},
    {"description": "accounts", "request": {"method": "GET", "path": "/accounts"}},
]


def test_a_typo_in_the_path_points_at_the_intended_interaction() -> None:
    closest = closest_interaction("GET", "/accounts/1/balanse", INTERACTIONS)

    assert closest is not None and closest["description"] == "balance"


def test_the_method_weighs_more_than_a_similar_path() -> None:
    closest = closest_interaction("POST", "/accounts", INTERACTIONS)

    assert closest is not None and closest["description"] == "login"


def test_no_interactions_means_nothing_is_closest() -> None:
    assert closest_interaction("GET", "/", []) is None
