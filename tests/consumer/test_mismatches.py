"""Which expected interaction is "closest" to an unexpected request."""

from pact.error import MissingRequest, RequestMismatch, RequestNotFound

from accord.consumer.mismatches import closest_interaction, mock_server_problems

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


def test_a_request_that_differs_becomes_one_problem_per_difference() -> None:
    differing = RequestMismatch(
        "GET",
        "/accounts",
        [
            {
                "type": "QueryMismatch",
                "parameter": "page",
                "expected": '["2"]',
                "actual": "",
                "mismatch": "Expected query parameter 'page' but was missing",
            },
            {
                "type": "BodyTypeMismatch",
                "expected": "application/json",
                "actual": "text/plain",
                "mismatch": "Expected a body of 'application/json'",
            },
        ],
    )

    problems = mock_server_problems([differing])

    assert [(p.kind, p.method, p.request_path, p.location) for p in problems] == [
        ("query", "GET", "/accounts", "page"),
        ("body-type", "GET", "/accounts", ""),
    ]
    assert problems[0].message == "Expected query parameter 'page' but was missing"


def test_missing_and_unexpected_requests_are_problems_of_their_own_kind() -> None:
    problems = mock_server_problems(
        [
            MissingRequest("GET", "/a", {"method": "GET", "path": "/a"}),
            RequestNotFound("POST", "/b", {"method": "POST", "path": "/b"}),
        ]
    )

    assert [(p.kind, p.method, p.request_path) for p in problems] == [
        ("missing-request", "GET", "/a"),
        ("unexpected-request", "POST", "/b"),
    ]
