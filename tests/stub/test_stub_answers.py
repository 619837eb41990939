"""A stub answers each request with the interaction its request matching rules select."""

import requests

from accord.stub import StubOptions, StubServer, load_pacts
from tests.stub.conftest import STATE_HEADER
from tests.stub.pacts import ID_RANGE

JSON = {"Accept": "application/json"}
TRANSFER = {"from": 7, "to": 8, "amount": 1.25, "reference": "gift", "tags": ["x", "y"]}


def test_a_request_matching_the_path_and_query_regexes_gets_the_interactions_response(
    stub: StubServer, http: requests.Session
) -> None:
    answer = http.get(f"{stub.url}/accounts/77", params={"fields": "some"}, headers=JSON)

    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json()["name"] == "Alice"


def test_the_response_generators_run_for_every_answer(
    stub: StubServer, http: requests.Session
) -> None:
    ids = {
        http.get(f"{stub.url}/accounts/1?fields=all", headers=JSON).json()["id"] for _ in range(5)
    }

    assert all(ID_RANGE[0] <= value <= ID_RANGE[1] for value in ids), ids
    assert 12 not in ids  # the pact's example value is replaced


def test_a_mock_server_url_generator_points_at_the_stub(
    stub: StubServer, http: requests.Session
) -> None:
    assert http.get(f"{stub.url}/").json() == {"accounts": f"{stub.url}/accounts"}


def test_a_json_body_matching_the_body_rules_is_answered(
    stub: StubServer, http: requests.Session
) -> None:
    answer = http.post(f"{stub.url}/transfers", json=TRANSFER)

    assert answer.status_code == 201
    assert answer.headers["Location"] == "/transfers/t-1"
    assert answer.json() == {"id": "t-1", "status": "pending"}


def test_a_body_breaking_a_rule_gets_404_naming_the_nearest_interaction_and_the_difference(
    stub: StubServer, http: requests.Session
) -> None:
    answer = http.post(f"{stub.url}/transfers", json={**TRANSFER, "amount": "lots"})

    assert answer.status_code == 404
    report = answer.json()
    assert report["error"] == "no interaction matched"
    assert report["request"] == {"method": "POST", "path": "/transfers"}
    assert report["nearest"]["description"] == "create a transfer"
    assert report["nearest"]["consumer"] == "Web"
    [difference] = report["differences"]
    assert difference["kind"] == "body"
    assert difference["path"] == "$.body.amount"
    assert difference["actual"] == "lots"
    assert "create a transfer" in report["message"]


def test_a_path_no_rule_allows_is_reported_with_the_expected_path(
    stub: StubServer, http: requests.Session
) -> None:
    report = http.get(f"{stub.url}/accounts/abc?fields=all", headers=JSON).json()

    assert report["nearest"]["request"] == {"method": "GET", "path": "/accounts/12"}
    path_difference = next(d for d in report["differences"] if d["path"] == "$.path")
    assert path_difference["expected"] == "/accounts/12"
    assert path_difference["actual"] == "/accounts/abc"


def test_a_query_value_outside_its_regex_is_not_answered(
    stub: StubServer, http: requests.Session
) -> None:
    answer = http.get(f"{stub.url}/accounts/1?fields=none", headers=JSON)

    assert answer.status_code == 404
    [difference] = answer.json()["differences"]
    assert (difference["kind"], difference["actual"]) == ("query", "none")


def test_a_header_difference_does_not_rule_an_interaction_out_as_in_the_reference(
    stub: StubServer, http: requests.Session
) -> None:
    answer = http.get(f"{stub.url}/accounts/1?fields=all", headers={"Accept": "text/html"})

    assert answer.status_code == 200


def test_without_a_provider_state_the_first_matching_interaction_answers(
    stub: StubServer, http: requests.Session
) -> None:
    assert http.get(f"{stub.url}/accounts/1?fields=all", headers=JSON).status_code == 200


def test_the_provider_state_header_selects_among_matching_interactions(
    stub: StubServer, http: requests.Session
) -> None:
    headers = {**JSON, STATE_HEADER: "no accounts"}
    answer = http.get(f"{stub.url}/accounts/1?fields=all", headers=headers)

    assert answer.status_code == 404
    assert answer.json() == {"error": "no account 12"}


def test_a_state_no_interaction_is_in_falls_back_to_the_first_matching_interaction(
    stub: StubServer, http: requests.Session
) -> None:
    headers = {**JSON, STATE_HEADER: "a closed account"}

    assert http.get(f"{stub.url}/accounts/1?fields=all", headers=headers).status_code == 200


def test_a_provider_state_header_that_is_no_regex_is_a_400_saying_so(
    stub: StubServer, http: requests.Session
) -> None:
    answer = http.get(f"{stub.url}/accounts/1", headers={STATE_HEADER: "no (accounts"})

    assert answer.status_code == 400
    assert "is not a regular expression" in answer.json()["error"]


def test_the_provider_state_option_is_the_default_for_every_request(bank_pact_file) -> None:
    options = StubOptions(provider_state="^no acc")
    with StubServer(load_pacts(files=[bank_pact_file]), options) as stub:
        answer = requests.get(f"{stub.url}/accounts/1?fields=all", headers=JSON, timeout=10)

    assert answer.json() == {"error": "no account 12"}


def test_cors_answers_preflight_requests_and_every_answer_allows_any_origin(
    stub: StubServer, http: requests.Session
) -> None:
    preflight = http.options(
        f"{stub.url}/transfers", headers={"Access-Control-Request-Method": "POST"}
    )
    answer = http.get(f"{stub.url}/accounts?page=2")

    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Headers"] == "*"
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert answer.headers["Access-Control-Allow-Origin"] == "*"


def test_without_cors_a_preflight_is_an_unmatched_request(bank_pact_file) -> None:
    with StubServer(load_pacts(files=[bank_pact_file])) as stub:
        answer = requests.options(f"{stub.url}/transfers", timeout=10)

    assert answer.status_code == 404
    assert answer.json()["error"] == "no interaction matched"


def test_cors_referer_allows_the_calling_page_as_origin(bank_pact_file) -> None:
    options = StubOptions(cors=True, cors_referer=True)
    page = "http://localhost:3000/app"
    with StubServer(load_pacts(files=[bank_pact_file]), options) as stub:
        preflight = requests.options(f"{stub.url}/x", headers={"Referer": page}, timeout=10)

    assert preflight.headers["Access-Control-Allow-Origin"] == page


def test_a_chunked_request_body_is_read_and_matched(
    stub: StubServer, http: requests.Session
) -> None:
    import json

    chunks = iter([json.dumps(TRANSFER).encode()])
    answer = http.post(
        f"{stub.url}/transfers", data=chunks, headers={"Content-Type": "application/json"}
    )

    assert answer.status_code == 201


def test_a_head_request_gets_headers_without_a_body(stub: StubServer) -> None:
    answer = requests.head(f"{stub.url}/nowhere", timeout=10)

    assert answer.status_code == 404
    assert answer.content == b""
