"""for-verification: what each consumer version selector selects, merged by content and sorted."""

from typing import Any

from tests.broker.conftest import RunningBroker
from tests.broker.test_for_verification_support import (
    deploy,
    descriptions,
    environment,
    for_verification,
    publish,
    release,
    sha_of,
    shas,
)


def test_main_branch_selects_the_pact_of_each_consumers_main_branch_head(
    broker: RunningBroker,
) -> None:
    publish(broker, "Web", "1", branch="main")
    web_2 = publish(broker, "Web", "2", branch="main")
    publish(broker, "Web", "3", branch="feat")
    mobile = publish(broker, "Mobile", "1", branch="master")

    pacts = for_verification(broker, consumerVersionSelectors=[{"mainBranch": True}])

    assert shas(pacts) == [mobile, web_2]
    assert {p["shortDescription"] for p in pacts} == {"latest from main branch"}


def test_main_branch_head_without_a_pact_for_this_provider_selects_nothing(
    broker: RunningBroker,
) -> None:
    publish(broker, "Web", "1", branch="main")
    publish(broker, "Web", "2", branch="main", provider="Ledger")

    assert for_verification(broker, consumerVersionSelectors=[{"mainBranch": True}]) == []


def test_branch_selects_the_head_of_the_named_branch(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="feat")
    head = publish(broker, "Web", "2", branch="feat")
    publish(broker, "Web", "3", branch="main")

    pacts = for_verification(broker, consumerVersionSelectors=[{"branch": "feat"}])

    assert shas(pacts) == [head]
    assert pacts[0]["shortDescription"] == "latest from branch feat"


def test_branch_true_with_latest_selects_every_branch_head(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="feat")
    feat = publish(broker, "Web", "2", branch="feat")
    main = publish(broker, "Web", "3", branch="main")

    pacts = for_verification(broker, consumerVersionSelectors=[{"branch": True, "latest": True}])

    assert descriptions(pacts) == {feat: "latest from branch feat", main: "latest from branch main"}


def test_matching_branch_selects_the_consumer_branch_named_like_the_provider_branch(
    broker: RunningBroker,
) -> None:
    same = publish(broker, "Web", "1", branch="feat-x")
    publish(broker, "Web", "2", branch="main")

    pacts = for_verification(
        broker, consumerVersionSelectors=[{"matchingBranch": True}], providerVersionBranch="feat-x"
    )

    assert shas(pacts) == [same]


def test_fallback_branch_is_used_for_consumers_without_a_pact_on_the_branch(
    broker: RunningBroker,
) -> None:
    web_feat = publish(broker, "Web", "1", branch="feat")
    publish(broker, "Web", "2", branch="main", content="web main")
    mobile_main = publish(broker, "Mobile", "1", branch="main")

    pacts = for_verification(
        broker, consumerVersionSelectors=[{"branch": "feat", "fallbackBranch": "main"}]
    )

    assert descriptions(pacts) == {
        mobile_main: "latest from branch main",
        web_feat: "latest from branch feat",
    }
    mobile_notice = pacts[0]["verificationProperties"]["notices"][0]["text"]
    assert "fallback" in mobile_notice and "'feat'" in mobile_notice


def test_latest_tag_selects_the_pact_of_the_newest_version_with_the_tag(
    broker: RunningBroker,
) -> None:
    publish(broker, "Web", "1", tags=["prod"])
    newest = publish(broker, "Web", "2", tags=["prod"])
    publish(broker, "Web", "3", tags=["dev"])

    pacts = for_verification(broker, consumerVersionSelectors=[{"tag": "prod", "latest": True}])

    assert descriptions(pacts) == {newest: "latest with tag prod"}


def test_latest_tag_whose_newest_version_has_no_pact_for_this_provider_selects_nothing(
    broker: RunningBroker,
) -> None:
    publish(broker, "Web", "1", tags=["prod"])
    publish(broker, "Web", "2", tags=["prod"], provider="Ledger")

    assert (
        for_verification(broker, consumerVersionSelectors=[{"tag": "prod", "latest": True}]) == []
    )


def test_tag_without_latest_selects_every_tagged_version(broker: RunningBroker) -> None:
    first = publish(broker, "Web", "1", tags=["prod"])
    second = publish(broker, "Web", "2", tags=["prod"])
    publish(broker, "Web", "3", tags=["dev"])

    pacts = for_verification(broker, consumerVersionSelectors=[{"tag": "prod"}])

    assert shas(pacts) == [first, second]
    assert {p["shortDescription"] for p in pacts} == {"one of prod"}


def test_fallback_tag_is_used_when_no_version_has_the_tag(broker: RunningBroker) -> None:
    dev = publish(broker, "Web", "1", tags=["dev"])

    pacts = for_verification(
        broker, consumerVersionSelectors=[{"tag": "feat", "latest": True, "fallbackTag": "dev"}]
    )

    assert descriptions(pacts) == {dev: "latest with tag dev"}


def test_latest_selects_each_consumers_newest_pact(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="main")
    web = publish(broker, "Web", "2", branch="feat")
    mobile = publish(broker, "Mobile", "7")

    pacts = for_verification(broker, consumerVersionSelectors=[{"latest": True}])

    assert descriptions(pacts) == {mobile: "latest", web: "latest"}


def test_consumer_narrows_a_selector_to_one_consumer(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="main")
    mobile = publish(broker, "Mobile", "1", branch="main")

    pacts = for_verification(
        broker, consumerVersionSelectors=[{"mainBranch": True, "consumer": "Mobile"}]
    )

    assert shas(pacts) == [mobile]


def test_deployed_selects_the_currently_deployed_versions_only(broker: RunningBroker) -> None:
    environment(broker, "production", production=True)
    environment(broker, "test")
    gone = publish(broker, "Web", "1")
    live = publish(broker, "Web", "2")
    testing = publish(broker, "Web", "3")
    deploy(broker, "Web", "1", "production", undeployed=True)
    deploy(broker, "Web", "2", "production")
    deploy(broker, "Web", "3", "test")

    everywhere = for_verification(broker, consumerVersionSelectors=[{"deployed": True}])
    in_production = for_verification(
        broker, consumerVersionSelectors=[{"deployed": True, "environment": "production"}]
    )

    assert gone not in shas(everywhere)
    assert descriptions(everywhere) == {live: "deployed to production", testing: "deployed to test"}
    assert shas(in_production) == [live]


def test_released_selects_the_releases_still_supported(broker: RunningBroker) -> None:
    environment(broker, "production", production=True)
    publish(broker, "Web", "1")
    supported = publish(broker, "Web", "2")
    release(broker, "Web", "1", "production", ended=True)
    release(broker, "Web", "2", "production")

    pacts = for_verification(broker, consumerVersionSelectors=[{"released": True}])

    assert descriptions(pacts) == {supported: "released in production"}


def test_deployed_or_released_and_environment_alone_select_both(broker: RunningBroker) -> None:
    environment(broker, "production", production=True)
    deployed = publish(broker, "Web", "1")
    released = publish(broker, "Web", "2")
    deploy(broker, "Web", "1", "production")
    release(broker, "Web", "2", "production")

    either = for_verification(broker, consumerVersionSelectors=[{"deployedOrReleased": True}])
    in_env = for_verification(broker, consumerVersionSelectors=[{"environment": "production"}])

    expected = {deployed: "deployed to production", released: "released in production"}
    assert descriptions(either) == expected
    assert descriptions(in_env) == expected


def test_the_same_content_selected_twice_is_one_entry_with_merged_selectors(
    broker: RunningBroker,
) -> None:
    environment(broker, "production", production=True)
    publish(broker, "Web", "1", content="same", tags=["prod"])
    sha = publish(broker, "Web", "2", content="same", branch="main")
    deploy(broker, "Web", "1", "production")

    pacts = for_verification(
        broker,
        consumerVersionSelectors=[
            {"mainBranch": True},
            {"tag": "prod", "latest": True},
            {"deployed": True},
        ],
    )

    assert shas(pacts) == [sha]
    entry = pacts[0]
    assert entry["shortDescription"] == (
        "latest from main branch, latest with tag prod, deployed to production"
    )
    assert entry["_links"]["self"]["name"] == "Pact between Web (2) and Accounts"
    reasons = entry["verificationProperties"]["notices"][0]["text"]
    assert "(2)" in reasons and "(1)" in reasons and reasons.count("\n    * ") == 3


def test_entries_are_sorted_by_consumer_name_then_consumer_version(broker: RunningBroker) -> None:
    web_1 = publish(broker, "web", "1", tags=["prod"])
    web_2 = publish(broker, "web", "2", tags=["prod"])
    alpha = publish(broker, "Alpha", "9", tags=["prod"])

    pacts = for_verification(broker, consumerVersionSelectors=[{"tag": "prod"}])

    assert shas(pacts) == [alpha, web_1, web_2]


def test_no_selectors_means_main_branch_else_main_tag_else_latest_plus_deployed_and_released(
    broker: RunningBroker,
) -> None:
    environment(broker, "production", production=True)
    publish(broker, "Web", "1", branch="main")
    web_main = publish(broker, "Web", "2", branch="main")
    publish(broker, "Web", "3", branch="feat")
    assert broker.post("/pacticipants", {"name": "Tagged", "mainBranch": "trunk"}).ok
    # A branch of its own, so the "trunk" tag does not become the trunk branch as well.
    tagged = publish(broker, "Tagged", "1", branch="feat", tags=["trunk"])
    publish(broker, "Tagged", "2", tags=["other"])
    plain = publish(broker, "Plain", "5")
    old_web = publish(broker, "Web", "0.9", content="deployed web")
    deploy(broker, "Web", "0.9", "production")

    bodies: list[dict[str, Any]] = [{}, {"consumerVersionSelectors": []}]
    for body in bodies:
        pacts = for_verification(broker, **body)

        assert descriptions(pacts) == {
            plain: "latest",
            tagged: "latest with tag trunk",
            old_web: "deployed to production",
            web_main: "latest from main branch",
        }


def test_an_unknown_provider_is_404(broker: RunningBroker) -> None:
    response = broker.post("/pacts/provider/Nobody/for-verification", {})

    assert response.status_code == 404
    assert "Nobody" in response.json()["error"]


def test_each_entry_has_a_short_description_notices_and_a_pact_version_permalink(
    broker: RunningBroker,
) -> None:
    sha = publish(broker, "Web", "1", branch="main")

    [entry] = for_verification(broker, consumerVersionSelectors=[{"mainBranch": True}])

    assert isinstance(entry["shortDescription"], str)
    assert entry["verificationProperties"]["notices"][0]["when"] == "before_verification"
    assert "pending" not in entry["verificationProperties"]
    href = entry["_links"]["self"]["href"]
    assert href.startswith(
        f"{broker.url}/pacts/provider/Accounts/consumer/Web/pact-version/{sha}/metadata/"
    )
    pact = broker.get(href.removeprefix(broker.url)).json()
    assert pact["consumer"]["name"] == "Web"
    publish_href = pact["_links"]["pb:publish-verification-results"]["href"]
    assert publish_href == href + "/verification-results"


def test_get_answers_with_the_link_to_post_to(broker: RunningBroker) -> None:
    sha = publish(broker, "Web", "1")

    body = broker.get("/pacts/provider/Accounts/for-verification").json()

    assert (
        body["_links"]["self"]["href"] == f"{broker.url}/pacts/provider/Accounts/for-verification"
    )
    assert [sha_of(p) for p in body["_embedded"]["pacts"]] == [sha]


def test_snake_case_keys_are_accepted(broker: RunningBroker) -> None:
    sha = publish(broker, "Web", "1", branch="main")

    pacts = for_verification(
        broker, consumer_version_selectors=[{"main_branch": True}], include_pending_status=True
    )

    assert shas(pacts) == [sha]
    assert pacts[0]["verificationProperties"]["pending"] is True
