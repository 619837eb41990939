"""can-i-deploy: each of the Pact Broker's decision rules, one test per rule, named after it.

Every test builds the history a pipeline would (publish, verify, deploy) and asks the question
the way ``pact broker can-i-deploy -a P -e V --to-environment E`` does.
"""

from tests.broker.conftest import RunningBroker
from tests.broker.release_history import (
    can_i_deploy,
    create_environment,
    deploy,
    ensure_version,
    matrix,
    publish,
    release,
    undeploy,
    verify,
)


def _history(broker: RunningBroker) -> None:
    """Web 1 → Accounts 10 verified it; Accounts 10 is in production."""
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")
    deploy(broker, "Accounts", "10", "production")


def test_rule_a_pact_verified_by_the_provider_version_in_the_environment_is_deployable(
    broker: RunningBroker,
) -> None:
    _history(broker)
    answer = can_i_deploy(broker, "Web", "1", "production")
    assert answer["summary"] == {
        "deployable": True,
        "reason": "All required verification results are published and successful",
        "success": 1,
        "failed": 0,
        "unknown": 0,
    }
    assert answer["notices"] == [
        {
            "type": "success",
            "text": "All required verification results are published and successful",
        }
    ]
    (row,) = answer["matrix"]
    assert row["consumer"]["version"]["number"] == "1"
    assert row["provider"]["version"]["number"] == "10"
    assert row["provider"]["version"]["environments"][0]["name"] == "production"
    assert row["verificationResult"]["success"] is True


def test_rule_a_failed_verification_is_not_deployable_and_says_which_interactions_failed(
    broker: RunningBroker,
) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1", "Accounts", "a request for account 1")
    results = [{"interactionId": "x", "success": False, "interactionDescription": "get account"}]
    url = verify(broker, "Accounts", "10", "Web", "1", success=False, test_results=results)
    deploy(broker, "Accounts", "10", "production")
    answer = can_i_deploy(broker, "Web", "1", "production")
    summary = answer["summary"]
    assert summary["deployable"] is False
    assert (summary["success"], summary["failed"], summary["unknown"]) == (0, 1, 0)
    expected = (
        "The verification for the pact between version 1 of Web and the version of Accounts "
        "currently in production (10) failed: 1 of 1 interactions failed against Accounts 10: "
        "'get account'"
    )
    assert summary["reason"].startswith(expected)
    number = url.rsplit("/", 1)[1]
    assert summary["reason"].endswith(f"/verification-results/{number})")
    assert answer["notices"][0]["type"] == "error"


def test_rule_a_missing_verification_is_unknown(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    ensure_version(broker, "Accounts", "10")
    deploy(broker, "Accounts", "10", "production")
    answer = can_i_deploy(broker, "Web", "1", "production")
    assert answer["summary"]["deployable"] is None
    assert answer["summary"]["unknown"] == 1
    assert answer["summary"]["reason"].startswith(
        "There is no verified pact between version 1 of Web and the version of Accounts "
        "currently in production (10): no version of Accounts has verified this pact content yet"
    )
    (row,) = answer["matrix"]
    assert row["provider"]["version"] is None
    assert row["verificationResult"] is None


def test_rule_a_result_by_another_provider_version_does_not_count(
    broker: RunningBroker,
) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "11", "Web", "1")
    ensure_version(broker, "Accounts", "10")
    deploy(broker, "Accounts", "10", "production")
    answer = can_i_deploy(broker, "Web", "1", "production")
    assert answer["summary"]["deployable"] is None
    assert "the newest result for it is from Accounts 11 (passed)" in answer["summary"]["reason"]


def test_rule_unknown_beats_failed(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1", "Accounts")
    publish(broker, "Web", "1", "Transfers")
    verify(broker, "Accounts", "10", "Web", "1", success=False)
    ensure_version(broker, "Transfers", "5")
    deploy(broker, "Accounts", "10", "production")
    deploy(broker, "Transfers", "5", "production")
    summary = can_i_deploy(broker, "Web", "1", "production")["summary"]
    assert (summary["deployable"], summary["failed"], summary["unknown"]) == (None, 1, 1)
    assert summary["reason"].count("\n") == 1


def test_rule_a_consumer_whose_provider_is_not_in_the_environment_is_unknown(
    broker: RunningBroker,
) -> None:
    """Trap 13: a row with a blank provider version and ``deployable: null``."""
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")
    answer = can_i_deploy(broker, "Web", "1", "production")
    assert answer["summary"]["deployable"] is None
    assert answer["summary"]["reason"].startswith(
        "There is no verified pact between version 1 of Web and a version of Accounts currently "
        "in production (no version is currently recorded as deployed/released in this "
        "environment)"
    )
    (row,) = answer["matrix"]
    assert row["provider"]["name"] == "Accounts"
    assert row["provider"]["version"] is None


def test_rule_a_provider_with_no_consumers_is_deployable(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    ensure_version(broker, "Accounts", "10")
    answer = can_i_deploy(broker, "Accounts", "10", "production")
    assert answer["summary"]["deployable"] is True
    assert answer["summary"]["reason"] == "There are no missing dependencies"
    assert answer["matrix"] == []


def test_rule_a_consumer_version_with_no_pact_against_a_provider_does_not_need_it(
    broker: RunningBroker,
) -> None:
    _history(broker)
    ensure_version(broker, "Web", "2")  # Web 2 dropped its Accounts pact
    answer = can_i_deploy(broker, "Web", "2", "production")
    assert answer["summary"]["deployable"] is True
    assert answer["summary"]["reason"] == "There are no missing dependencies"


def test_rule_a_provider_may_deploy_when_its_consumer_is_not_in_the_environment(
    broker: RunningBroker,
) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    ensure_version(broker, "Accounts", "10")
    answer = can_i_deploy(broker, "Accounts", "10", "production")
    assert answer["summary"]["deployable"] is True
    assert answer["summary"]["unknown"] == 0


def test_rule_a_provider_must_satisfy_the_consumer_versions_in_the_environment(
    broker: RunningBroker,
) -> None:
    _history(broker)
    deploy(broker, "Web", "1", "production")
    verify(broker, "Accounts", "11", "Web", "1", success=False)
    ensure_version(broker, "Accounts", "12")
    failed = can_i_deploy(broker, "Accounts", "11", "production")["summary"]
    assert failed["deployable"] is False
    assert failed["reason"].startswith(
        "The verification for the pact between the version of Web currently in production (1) "
        "and version 11 of Accounts failed"
    )
    assert can_i_deploy(broker, "Accounts", "12", "production")["summary"]["deployable"] is None
    assert can_i_deploy(broker, "Accounts", "10", "production")["summary"]["deployable"] is True


def test_rule_a_failing_result_of_any_co_resident_version_blocks(broker: RunningBroker) -> None:
    """With several instances (or releases) in the environment, every result counts (cvpv)."""
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")
    verify(broker, "Accounts", "9", "Web", "1", success=False)
    deploy(broker, "Accounts", "10", "production", instance="eu")
    deploy(broker, "Accounts", "9", "production", instance="us")
    answer = can_i_deploy(broker, "Web", "1", "production")
    assert answer["summary"]["deployable"] is False
    assert (answer["summary"]["success"], answer["summary"]["failed"]) == (1, 1)
    assert answer["summary"]["reason"].startswith(
        "The verification for the pact between version 1 of Web and one of the versions of "
        "Accounts currently in production (9) failed"
    )


def test_rule_an_undeployed_version_no_longer_counts(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")
    ensure_version(broker, "Accounts", "9")
    deploy(broker, "Accounts", "10", "production", instance="eu")
    old = deploy(broker, "Accounts", "9", "production", instance="us")
    undeploy(broker, old)
    assert can_i_deploy(broker, "Web", "1", "production")["summary"]["deployable"] is True


def test_rule_a_supported_release_counts_like_a_deployment(broker: RunningBroker) -> None:
    create_environment(broker, "app-store", production=True)
    publish(broker, "Mobile", "1")
    verify(broker, "Accounts", "10", "Mobile", "1", success=False)
    release(broker, "Mobile", "1", "app-store")
    ensure_version(broker, "Accounts", "10")
    summary = can_i_deploy(broker, "Accounts", "10", "app-store")["summary"]
    assert summary["deployable"] is False


def test_rule_deployment_to_another_environment_does_not_count(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    create_environment(broker, "test")
    publish(broker, "Web", "1")
    verify(broker, "Accounts", "10", "Web", "1")
    deploy(broker, "Accounts", "10", "test")
    assert can_i_deploy(broker, "Web", "1", "test")["summary"]["deployable"] is True
    assert can_i_deploy(broker, "Web", "1", "production")["summary"]["deployable"] is None


def test_rule_ignore_makes_a_blocking_integration_non_blocking(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    query = (
        "q[][pacticipant]=Web&q[][version]=1&ignore[][pacticipant]=Accounts"
        "&latestby=cvpv&environment=production"
    )
    answer = matrix(broker, query)
    assert answer["summary"]["deployable"] is True
    assert answer["summary"]["ignored"] == 1
    assert answer["summary"]["unknown"] == 0
    assert answer["matrix"][0]["ignored"] is True


def test_rule_ignoring_something_that_does_not_exist_warns(broker: RunningBroker) -> None:
    _history(broker)
    query = (
        "q[][pacticipant]=Web&q[][version]=1&ignore[][pacticipant]=Nope"
        "&latestby=cvpv&environment=production"
    )
    answer = matrix(broker, query)
    assert answer["summary"]["deployable"] is True
    assert answer["notices"][0] == {
        "type": "warning",
        "text": "WARN: Cannot ignore any version of Nope (no such pacticipant exists)",
    }


def test_rule_a_failed_result_of_a_pending_pact_still_blocks_the_consumer(
    broker: RunningBroker,
) -> None:
    """Pending protects the provider's build, not the consumer's release."""
    _history(broker)
    publish(broker, "Web", "2", "Accounts", "a new request")
    verify(broker, "Accounts", "10", "Web", "2", success=False)
    assert can_i_deploy(broker, "Web", "2", "production")["summary"]["deployable"] is False


def test_rule_a_pending_pact_of_a_consumer_not_in_the_environment_does_not_block_the_provider(
    broker: RunningBroker,
) -> None:
    _history(broker)
    deploy(broker, "Web", "1", "production")
    publish(broker, "Web", "2", "Accounts", "a new request", branch="feat-x")
    verify(broker, "Accounts", "11", "Web", "2", success=False)
    verify(broker, "Accounts", "11", "Web", "1")
    assert can_i_deploy(broker, "Accounts", "11", "production")["summary"]["deployable"] is True


def test_rule_the_newest_result_of_a_provider_version_replaces_older_ones(
    broker: RunningBroker,
) -> None:
    _history(broker)
    verify(broker, "Accounts", "10", "Web", "1", success=False)
    assert can_i_deploy(broker, "Web", "1", "production")["summary"]["deployable"] is False
    verify(broker, "Accounts", "10", "Web", "1", success=True)
    assert can_i_deploy(broker, "Web", "1", "production")["summary"]["deployable"] is True


def test_rule_a_version_that_does_not_exist_is_not_deployable(broker: RunningBroker) -> None:
    _history(broker)
    summary = can_i_deploy(broker, "Web", "9", "production")["summary"]
    assert summary["deployable"] is False
    assert summary["reason"] == "No pacts or verifications have been published for version 9 of Web"


def test_rule_without_an_environment_the_answer_warns(broker: RunningBroker) -> None:
    _history(broker)
    answer = matrix(broker, "q[][pacticipant]=Web&q[][version]=1&latestby=cvp&latest=true")
    assert answer["summary"]["deployable"] is True
    assert answer["notices"][0]["text"].startswith(
        "WARN: It is recommended to specify the environment"
    )


def test_can_i_deploy_endpoint_answers_to_an_environment_and_to_a_tag(
    broker: RunningBroker,
) -> None:
    _history(broker)
    put = broker.put("/pacticipants/Accounts/versions/10/tags/prod")
    assert put.status_code in (200, 201)
    by_env = broker.get("/can-i-deploy?pacticipant=Web&version=1&environment=production")
    assert by_env.status_code == 200
    assert by_env.json()["summary"]["deployable"] is True
    by_tag = broker.get("/can-i-deploy?pacticipant=Web&version=1&to=prod")
    assert by_tag.json()["summary"]["deployable"] is True
    missing_tag = broker.get("/can-i-deploy?pacticipant=Web&version=1&to=nope").json()
    assert missing_tag["summary"]["deployable"] is None


def test_can_i_deploy_endpoint_reports_invalid_parameters_by_field(
    broker: RunningBroker,
) -> None:
    _history(broker)
    response = broker.get("/can-i-deploy?pacticipant=Web&environment=nowhere")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"version", "environment"}


def test_the_branch_head_can_be_asked_about_an_environment(broker: RunningBroker) -> None:
    create_environment(broker, "production", production=True)
    publish(broker, "Web", "1", branch="main")
    verify(broker, "Accounts", "10", "Web", "1")
    deploy(broker, "Accounts", "10", "production")
    path = "/pacticipants/Web/branches/main/latest-version/can-i-deploy/to-environment/production"
    answer = broker.get(path)
    assert answer.status_code == 200
    assert answer.json()["summary"]["deployable"] is True
    missing = broker.get(path.replace("production", "nowhere"))
    assert missing.status_code == 404


def test_rule_every_version_of_every_consumer_in_the_environment_is_checked(
    broker: RunningBroker,
) -> None:
    """The inferred side comes with the integrations: each consumer's versions in the target
    environment (deployed or released, one row each, a version both deployed and released
    once), none from another environment, and a consumer with none there adds no row."""
    create_environment(broker, "production", production=True)
    create_environment(broker, "test")
    for number in ("1", "2", "3"):
        publish(broker, "Web", number)
        verify(broker, "Accounts", "10", "Web", number)
    publish(broker, "Mobile", "7")
    verify(broker, "Accounts", "10", "Mobile", "7")
    publish(broker, "Batch", "1")
    verify(broker, "Accounts", "10", "Batch", "1", success=False)
    deploy(broker, "Web", "1", "production", instance="eu")
    deploy(broker, "Web", "2", "production", instance="us")
    release(broker, "Web", "2", "production")
    deploy(broker, "Web", "3", "test")
    release(broker, "Mobile", "7", "production")
    deploy(broker, "Batch", "1", "test")

    answer = can_i_deploy(broker, "Accounts", "10", "production")

    assert answer["summary"]["deployable"] is True
    rows = sorted(
        (row["consumer"]["name"], row["consumer"]["version"]["number"]) for row in answer["matrix"]
    )
    assert rows == [("Mobile", "7"), ("Web", "1"), ("Web", "2")]
    assert can_i_deploy(broker, "Accounts", "10", "test")["summary"]["deployable"] is False


def test_rule_naming_both_sides_with_an_environment_infers_nothing_more(
    broker: RunningBroker,
) -> None:
    _history(broker)
    deploy(broker, "Web", "1", "production")
    verify(broker, "Accounts", "11", "Web", "1", success=False)
    answer = matrix(
        broker,
        "q[][pacticipant]=Web&q[][version]=1&q[][pacticipant]=Accounts&q[][version]=11"
        "&latestby=cvpv&environment=production",
    )
    rows = [
        (r["consumer"]["version"]["number"], r["provider"]["version"]["number"])
        for r in answer["matrix"]
    ]
    assert rows == [("1", "11")]
    assert answer["summary"]["deployable"] is False
