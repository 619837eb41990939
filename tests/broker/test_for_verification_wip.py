"""for-verification: work-in-progress pacts, rule by rule (research broker.md §3.5)."""

from typing import Any

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.test_for_verification_support import (
    age_publications,
    for_verification,
    provider_version,
    publish,
    sha_of,
    stored_verifications,
    verify,
)

SINCE = "2000-01-01"
MAIN = [{"mainBranch": True}]


def _wip(broker: RunningBroker, **body: Any) -> list[dict[str, Any]]:
    body.setdefault("includeWipPactsSince", SINCE)
    body.setdefault("includePendingStatus", True)
    pacts = for_verification(broker, consumerVersionSelectors=MAIN, **body)
    return [p for p in pacts if p["verificationProperties"].get("wip")]


def test_wip_needs_a_provider_branch_or_provider_tags(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="feat")

    assert _wip(broker) == []


def test_a_recent_unverified_branch_head_is_wip_and_pending(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="main")
    feat = publish(broker, "Web", "2", branch="feat")

    [entry] = _wip(broker, providerVersionBranch="main")

    assert sha_of(entry) == feat
    assert entry["shortDescription"] == "latest from branch feat"
    assert entry["verificationProperties"]["pending"] is True
    assert "work in progress" in entry["verificationProperties"]["notices"][0]["text"]


def test_wip_pacts_come_after_the_selected_ones(broker: RunningBroker) -> None:
    main = publish(broker, "Web", "1", branch="main")
    feat = publish(broker, "Web", "2", branch="feat")

    pacts = for_verification(
        broker,
        consumerVersionSelectors=MAIN,
        includePendingStatus=True,
        includeWipPactsSince=SINCE,
        providerVersionBranch="main",
    )

    assert [sha_of(p) for p in pacts] == [main, feat]
    assert [p["verificationProperties"].get("wip", False) for p in pacts] == [False, True]


def test_a_pact_published_before_the_since_date_is_not_wip(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="feat")
    age_publications(broker, "Web", days=30)

    recent_only = _wip(broker, providerVersionBranch="main", includeWipPactsSince="2099-01-01")

    assert recent_only == []


def test_a_pact_chosen_by_the_selectors_is_not_wip(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="main")

    assert _wip(broker, providerVersionBranch="main") == []


def test_an_older_version_of_a_branch_is_not_wip_only_the_head(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="feat", content="old")
    head = publish(broker, "Web", "2", branch="feat", content="new")

    assert [sha_of(p) for p in _wip(broker, providerVersionBranch="main")] == [head]


def test_a_tag_head_is_a_wip_candidate(database_url: str) -> None:
    # Only a tag: with use_first_tag_as_branch on, "dev" would be a branch head as well.
    with start_broker(database_url, use_first_tag_as_branch=False) as broker:
        publish(broker, "Web", "1", tags=["dev"], content="old")
        head = publish(broker, "Web", "2", tags=["dev"], content="new")

        [entry] = _wip(broker, providerVersionBranch="main")

        assert sha_of(entry) == head
        assert entry["shortDescription"] == "latest with tag dev"


def test_a_pact_verified_successfully_by_the_provider_branch_is_not_wip(
    broker: RunningBroker,
) -> None:
    feat = publish(broker, "Web", "1", branch="feat")
    verify(broker, "Web", feat, "p1", branch="main")

    assert _wip(broker, providerVersionBranch="main") == []


def test_a_failed_verification_leaves_the_pact_wip(broker: RunningBroker) -> None:
    feat = publish(broker, "Web", "1", branch="feat")
    verify(broker, "Web", feat, "p1", branch="main", success=False)

    assert [sha_of(p) for p in _wip(broker, providerVersionBranch="main")] == [feat]


def test_a_wip_verification_does_not_take_a_pact_out_of_wip(broker: RunningBroker) -> None:
    feat = publish(broker, "Web", "1", branch="feat")
    [entry] = _wip(broker, providerVersionBranch="main")

    verify(broker, "Web", feat, "p1", branch="main", href=entry["_links"]["self"]["href"])

    assert stored_verifications(broker) == [(True, True, None)]
    assert [sha_of(p) for p in _wip(broker, providerVersionBranch="main")] == [feat]


def test_a_verification_by_another_branch_before_the_provider_branch_existed_ends_wip(
    broker: RunningBroker,
) -> None:
    feat = publish(broker, "Web", "1", branch="feat")
    verify(broker, "Web", feat, "p1", branch="main")
    provider_version(broker, "p2", branch="provider-feat")

    assert _wip(broker, providerVersionBranch="provider-feat") == []


def test_a_verification_by_another_branch_after_the_provider_branch_existed_keeps_it_wip(
    broker: RunningBroker,
) -> None:
    feat = publish(broker, "Web", "1", branch="feat")
    provider_version(broker, "p0", branch="provider-feat")
    verify(broker, "Web", feat, "p1", branch="main")

    assert [sha_of(p) for p in _wip(broker, providerVersionBranch="provider-feat")] == [feat]


def test_with_provider_tags_a_pact_is_wip_for_the_tags_that_have_not_verified_it(
    broker: RunningBroker,
) -> None:
    feat = publish(broker, "Web", "1", branch="feat")
    provider_version(broker, "p0", tags=("prod",))
    verify(broker, "Web", feat, "p1", tags=("dev",))

    assert _wip(broker, providerVersionTags=["dev"]) == []
    [entry] = _wip(broker, providerVersionTags=["dev", "prod"])
    assert sha_of(entry) == feat
    assert "'prod'" in entry["verificationProperties"]["notices"][0]["text"]


def test_the_same_wip_content_on_two_heads_is_one_entry(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="feat-a", content="same")
    sha = publish(broker, "Web", "2", branch="feat-b", content="same")

    [entry] = _wip(broker, providerVersionBranch="main")

    assert sha_of(entry) == sha
    assert entry["shortDescription"] == "latest from branch feat-a, latest from branch feat-b"
