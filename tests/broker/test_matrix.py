"""``GET /matrix``: the Rack query syntax, validation, the row shape and the default limit."""

from accord_broker.domain.matrix import parse_matrix_query

from tests.broker.conftest import RunningBroker
from tests.broker.release_history import (
    create_environment,
    deploy,
    matrix,
    publish,
    verify,
)


def test_selector_keys_start_a_new_selector_only_when_repeated() -> None:
    parsed = parse_matrix_query(
        "q[][pacticipant]=Foo&latestby=cvp&q[][version]=1%2e2&q[][pacticipant]=Bar"
        "&q[][latest]=true&q[][tag]=prod&ignore[][pacticipant]=Baz&ignore[][version]=3"
        "&environment=production&limit=7&success[]=true&success[]="
    )
    foo, bar = parsed.selectors
    assert (foo.pacticipant, foo.version) == ("Foo", "1.2")
    assert (bar.pacticipant, bar.latest, bar.tag) == ("Bar", True, "prod")
    assert parsed.options.latestby == "cvp"
    assert parsed.options.environment == "production"
    assert parsed.options.limit == 7
    assert parsed.options.success == (True, None)
    (ignore,) = parsed.options.ignore
    assert (ignore.pacticipant, ignore.version) == ("Baz", "3")


def test_the_default_limit_is_100() -> None:
    assert parse_matrix_query("q[][pacticipant]=Foo").options.limit == 100


def test_invalid_queries_answer_400_with_every_problem_listed(broker: RunningBroker) -> None:
    publish(broker, "Web", "1")
    body = matrix(
        broker,
        "q[][pacticipant]=Nope&q[][version]=1&q[][latest]=true&q[][pacticipant]=Web"
        "&environment=nowhere&tag=prod&limit=0",
        status=400,
    )
    assert body["errors"] == [
        "A version number and latest flag cannot both be specified for Nope",
        "Pacticipant Nope not found",
        "Cannot specify more than one of tag, environment and mainBranch.",
        "Environment with name 'nowhere' does not exist",
        "The limit must be 1 or greater.",
    ]
    assert matrix(broker, "latestby=cvp", status=400)["errors"] == [
        "Please provide 1 or more version selectors."
    ]


def test_a_row_has_the_pact_broker_fields(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1", branch="main", tags=["dev"])
    verify(broker, "Accounts", "10", "Web", "1", branch="main")
    deploy(broker, "Accounts", "10", "production")
    body = matrix(broker, "q[][pacticipant]=Web&q[][version]=1&q[][pacticipant]=Accounts")
    assert set(body) == {"summary", "notices", "matrix"}
    (row,) = body["matrix"]
    assert set(row) == {"consumer", "provider", "pact", "verificationResult"}
    consumer = row["consumer"]
    assert consumer["name"] == "Web"
    assert consumer["_links"]["self"]["href"].endswith("/pacticipants/Web")
    version = consumer["version"]
    assert set(version) == {
        "number",
        "branch",
        "branches",
        "branchVersions",
        "environments",
        "_links",
        "tags",
    }
    assert version["branch"] == "main"
    assert version["branchVersions"][0]["name"] == "main"
    assert version["branchVersions"][0]["latest"] is True
    assert version["tags"][0]["name"] == "dev"
    assert version["tags"][0]["latest"] is True
    provider_version = row["provider"]["version"]
    assert provider_version["number"] == "10"
    (environment,) = provider_version["environments"]
    assert environment["name"] == "production"
    assert environment["displayName"] == "Production"
    assert row["pact"]["_links"]["self"]["href"].endswith(
        "/pacts/provider/Accounts/consumer/Web/version/1"
    )
    result = row["verificationResult"]
    assert result["success"] is True
    assert "/verification-results/" in result["_links"]["self"]["href"]
    assert "/metadata/" in result["_links"]["self"]["href"]
    assert result["verifiedAt"].endswith("+00:00")


def test_rows_are_ordered_and_capped_by_the_limit(broker: RunningBroker) -> None:
    for number in ("1", "2", "3"):
        publish(broker, "Web", number, "Accounts", f"request {number}")
    every = matrix(broker, "q[][pacticipant]=Web&q[][pacticipant]=Accounts")
    assert [r["consumer"]["version"]["number"] for r in every["matrix"]] == ["3", "2", "1"]
    capped = matrix(broker, "q[][pacticipant]=Web&q[][pacticipant]=Accounts&limit=2")
    assert [r["consumer"]["version"]["number"] for r in capped["matrix"]] == ["3", "2"]


def test_latestby_cvp_keeps_the_newest_provider_version_per_consumer_version(
    broker: RunningBroker,
) -> None:
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1", success=False)
    verify(broker, "Accounts", "11", "Web", "1")
    every = matrix(broker, "q[][pacticipant]=Web&q[][version]=1")
    assert len(every["matrix"]) == 2
    latest = matrix(broker, "q[][pacticipant]=Web&q[][version]=1&latestby=cvp")
    (row,) = latest["matrix"]
    assert row["provider"]["version"]["number"] == "11"


def test_the_success_filter_applies_after_latestby(broker: RunningBroker) -> None:
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1", success=False)
    verify(broker, "Accounts", "11", "Web", "1")
    failed = matrix(broker, "q[][pacticipant]=Web&q[][version]=1&success[]=false")
    assert [r["provider"]["version"]["number"] for r in failed["matrix"]] == ["10"]


def test_the_integration_matrix_lists_every_pair_of_versions(broker: RunningBroker) -> None:
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")
    response = broker.get("/matrix/provider/Accounts/consumer/Web")
    assert response.status_code == 200
    assert response.json()["matrix"][0]["provider"]["version"]["number"] == "10"
