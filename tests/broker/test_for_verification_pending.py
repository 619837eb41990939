"""for-verification: the pending status, rule by rule (research broker.md §3.4)."""

from typing import Any

from tests.broker.conftest import RunningBroker
from tests.broker.test_for_verification_support import (
    for_verification,
    provider_version,
    publish,
    verify,
)

MAIN = [{"mainBranch": True}]


def _pending(broker: RunningBroker, **body: Any) -> bool:
    [entry] = for_verification(
        broker, consumerVersionSelectors=MAIN, includePendingStatus=True, **body
    )
    pending = entry["verificationProperties"]["pending"]
    assert isinstance(pending, bool)
    return pending


def _notices(broker: RunningBroker, **body: Any) -> list[dict[str, str]]:
    [entry] = for_verification(
        broker, consumerVersionSelectors=MAIN, includePendingStatus=True, **body
    )
    notices: list[dict[str, str]] = entry["verificationProperties"]["notices"]
    return notices


def test_pending_status_is_left_out_unless_asked_for(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="main")

    [entry] = for_verification(broker, consumerVersionSelectors=MAIN)

    assert "pending" not in entry["verificationProperties"]
    assert len(entry["verificationProperties"]["notices"]) == 1


def test_a_pact_never_verified_is_pending(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="main")

    assert _pending(broker) is True


def test_without_branch_or_tags_any_successful_verification_ends_pending(
    broker: RunningBroker,
) -> None:
    sha = publish(broker, "Web", "1", branch="main")
    verify(broker, "Web", sha, "p1")

    assert _pending(broker) is False


def test_a_failed_verification_leaves_the_pact_pending(broker: RunningBroker) -> None:
    sha = publish(broker, "Web", "1", branch="main")
    verify(broker, "Web", sha, "p1", success=False, branch="main")

    assert _pending(broker, providerVersionBranch="main") is True
    assert _pending(broker) is True


def test_a_pact_verified_by_the_provider_branch_is_not_pending_for_that_branch(
    broker: RunningBroker,
) -> None:
    sha = publish(broker, "Web", "1", branch="main")
    verify(broker, "Web", sha, "p1", branch="main")

    assert _pending(broker, providerVersionBranch="main") is False


def test_a_verification_by_another_branch_after_this_branch_was_created_keeps_it_pending(
    broker: RunningBroker,
) -> None:
    sha = publish(broker, "Web", "1", branch="main")
    provider_version(broker, "f1", branch="feat")
    verify(broker, "Web", sha, "p1", branch="main")

    assert _pending(broker, providerVersionBranch="feat") is True


def test_a_verification_by_another_branch_before_this_branch_was_created_is_inherited(
    broker: RunningBroker,
) -> None:
    sha = publish(broker, "Web", "1", branch="main")
    verify(broker, "Web", sha, "p1", branch="main")
    provider_version(broker, "f1", branch="feat")

    assert _pending(broker, providerVersionBranch="feat") is False


def test_a_provider_branch_that_does_not_exist_yet_inherits_any_branch(
    broker: RunningBroker,
) -> None:
    sha = publish(broker, "Web", "1", branch="main")
    verify(broker, "Web", sha, "p1", branch="main")

    assert _pending(broker, providerVersionBranch="brand-new") is False


def test_with_tags_the_pact_is_pending_for_the_tags_not_yet_verified(
    broker: RunningBroker,
) -> None:
    sha = publish(broker, "Web", "1", branch="main")
    provider_version(broker, "p0", tags=("prod",))
    verify(broker, "Web", sha, "p1", tags=("dev",))

    assert _pending(broker, providerVersionTags=["dev"]) is False
    assert _pending(broker, providerVersionTags=["dev", "prod"]) is True
    before = _notices(broker, providerVersionTags=["dev", "prod"])[1]["text"]
    assert "'prod'" in before and "'dev'" not in before


def test_with_tags_a_verification_before_the_tag_first_existed_is_inherited(
    broker: RunningBroker,
) -> None:
    sha = publish(broker, "Web", "1", branch="main")
    verify(broker, "Web", sha, "p1", tags=("dev",))

    assert _pending(broker, providerVersionTags=["new-tag"]) is False


def test_the_branch_wins_over_tags(broker: RunningBroker) -> None:
    sha = publish(broker, "Web", "1", branch="main")
    # feat exists before the verification: p1's first tag also makes it a "dev" branch version
    # (use_first_tag_as_branch), and a result from another branch only counts before feat began.
    provider_version(broker, "f1", branch="feat")
    verify(broker, "Web", sha, "p1", tags=("dev",))

    assert _pending(broker, providerVersionBranch="feat", providerVersionTags=["dev"]) is True


def test_a_pending_pact_gets_a_notice_for_every_verification_outcome(
    broker: RunningBroker,
) -> None:
    publish(broker, "Web", "1", branch="main")

    notices = _notices(broker, providerVersionBranch="main")

    assert [n["when"] for n in notices] == [
        "before_verification",
        "before_verification",
        "after_verification:success_true_published_false",
        "after_verification:success_false_published_false",
        "after_verification:success_true_published_true",
        "after_verification:success_false_published_true",
    ]
    assert "pending" in notices[1]["text"] and "branch 'main'" in notices[1]["text"]


def test_a_pact_that_is_not_pending_gets_only_the_before_notices(broker: RunningBroker) -> None:
    sha = publish(broker, "Web", "1", branch="main")
    verify(broker, "Web", sha, "p1", branch="main")

    notices = _notices(broker, providerVersionBranch="main")

    assert [n["when"] for n in notices] == ["before_verification", "before_verification"]
    assert "will fail the build" in notices[1]["text"]


def test_the_pending_flag_travels_in_the_url_metadata_to_the_stored_result(
    broker: RunningBroker,
) -> None:
    sha = publish(broker, "Web", "1", branch="main")
    [entry] = for_verification(broker, consumerVersionSelectors=MAIN, includePendingStatus=True)

    verify(broker, "Web", sha, "p1", success=False, href=entry["_links"]["self"]["href"])

    latest = broker.get(
        f"/pacts/provider/Accounts/consumer/Web/pact-version/{sha}/verification-results/latest"
    ).json()
    assert latest["pactPending"] is True
