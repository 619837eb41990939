"""Broker failures: retries with back-off on 5xx/429, then one clear message; usage errors: 2."""

from urllib.parse import unquote

from cli_support import Accord, recording_broker

from accord.testing import free_port, serve_app

INDEX = {"_links": {"pb:environments": {"href": "/environments"}}}
ENVIRONMENTS = {"_embedded": {"environments": []}}


def test_a_5xx_is_retried_and_then_succeeds() -> None:
    app, seen = recording_broker(
        {"GET /": [(200, INDEX)], "GET /environments": [(503, {}), (502, {}), (200, ENVIRONMENTS)]}
    )
    with serve_app(app) as stub:
        result = Accord(stub.url)("list-environments", "--retry-backoff", "0")

    assert result.exit_code == 0, result.output
    assert [r.path for r in seen] == ["/", "/environments", "/environments", "/environments"]


def test_persistent_failure_names_the_url_status_and_broker_error() -> None:
    app, seen = recording_broker(
        {"GET /": [(200, INDEX)], "GET /environments": [(500, {"error": "database is down"})]}
    )
    with serve_app(app) as stub:
        result = Accord(stub.url)("list-environments", "--retries", "2", "--retry-backoff", "0")

    assert result.exit_code == 1
    assert f"GET {stub.url}/environments failed (HTTP 500): database is down" in result.stderr
    assert len([r for r in seen if r.path == "/environments"]) == 3


def test_a_4xx_is_not_retried() -> None:
    app, seen = recording_broker(
        {"GET /": [(200, INDEX)], "GET /environments": [(403, {"error": "forbidden"})]}
    )
    with serve_app(app) as stub:
        result = Accord(stub.url)("list-environments", "--retry-backoff", "0")

    assert result.exit_code == 1
    assert "HTTP 403" in result.stderr
    assert len([r for r in seen if r.path == "/environments"]) == 1


def test_an_unreachable_broker_is_reported_with_its_url() -> None:
    url = f"http://127.0.0.1:{free_port()}"

    result = Accord(url)("list-environments", "--retries", "0")

    assert result.exit_code == 1
    assert f"GET {url}/ failed (no response)" in result.stderr


def test_credentials_are_sent_and_the_token_wins() -> None:
    app, seen = recording_broker(
        {"GET /": [(200, INDEX)], "GET /environments": [(200, ENVIRONMENTS)]}
    )
    with serve_app(app) as stub:
        accord = Accord(stub.url)
        accord("list-environments", env={"PACT_BROKER_USERNAME": "u", "PACT_BROKER_PASSWORD": "p"})
        accord("list-environments", "-u", "u", "-p", "p", "-k", "tok")

    assert seen[0].headers["authorization"] == "Basic dTpw"
    assert seen[-1].headers["authorization"] == "Bearer tok"


def test_custom_headers_are_sent_with_every_request() -> None:
    app, seen = recording_broker(
        {"GET /": [(200, INDEX)], "GET /environments": [(200, ENVIRONMENTS)]}
    )
    with serve_app(app) as stub:
        Accord(stub.url)("list-environments", "--custom-header", "X-Team: payments")

    assert all(r.headers["x-team"] == "payments" for r in seen)


def test_a_missing_broker_url_is_a_usage_error() -> None:
    result = Accord("")("list-environments", env={"PACT_BROKER_BASE_URL": None})

    assert result.exit_code == 2
    assert "--broker-base-url" in result.stderr


def test_a_broker_url_without_a_scheme_is_a_configuration_error() -> None:
    result = Accord("broker.example.com")("list-environments")

    assert result.exit_code == 2
    assert "http(s) URL" in result.stderr


def test_can_i_deploy_asks_again_while_the_result_is_unknown() -> None:
    unknown = {"summary": {"deployable": None, "reason": "waiting"}, "matrix": []}
    known = {"summary": {"deployable": True}, "matrix": []}
    app, seen = recording_broker({"GET /matrix": [(200, unknown), (200, unknown), (200, known)]})
    with serve_app(app) as stub:
        result = Accord(stub.url)(
            "can-i-deploy", "-a", "Web", "-e", "1", "--to-environment", "prod",
            "--retry-while-unknown", "5", "--retry-interval", "0",
        )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert len(seen) == 3
    # urllib3 percent-encodes the brackets; every broker decodes them before parsing.
    assert unquote(seen[0].query) == (
        "q[][pacticipant]=Web&q[][version]=1&latestby=cvpv&environment=prod"
    )


def test_can_i_deploy_gives_up_after_the_retries_and_says_no() -> None:
    unknown = {"summary": {"deployable": None, "reason": "waiting"}, "matrix": []}
    app, seen = recording_broker(
        {"GET /matrix": [(200, unknown)], "GET /pacticipants/Web/versions/1": [(200, {})]}
    )
    with serve_app(app) as stub:
        result = Accord(stub.url)(
            "can-i-deploy", "-a", "Web", "-e", "1", "--retry-while-unknown", "2",
            "--retry-interval", "0",
        )  # fmt: skip

    assert result.exit_code == 1
    # three questions, then (no row for Web 1) whether that version exists at all
    assert [r.path for r in seen] == ["/matrix"] * 3 + ["/pacticipants/Web/versions/1"]
    assert "waiting" in result.stdout
