"""can-i-merge: is this version compatible with the main branch head of every integration?

``pact broker can-i-merge -a Web -e 2`` asks ``/matrix`` with ``mainBranch=true&latest=true``.
"""

from tests.broker.conftest import RunningBroker
from tests.broker.release_history import matrix, publish, verify

CAN_I_MERGE = "q[][pacticipant]=Web&q[][version]={v}&latestby=cvp&latest=true&mainBranch=true"


def _main_lines(broker: RunningBroker) -> None:
    publish(broker, "Web", "1", branch="main")
    verify(broker, "Accounts", "10", "Web", "1", branch="main")


def test_rule_a_version_verified_by_the_main_branch_heads_can_merge(
    broker: RunningBroker,
) -> None:
    _main_lines(broker)
    publish(broker, "Web", "2", branch="feat-x")
    verify(broker, "Accounts", "10", "Web", "2")
    answer = matrix(broker, CAN_I_MERGE.format(v="2"))
    assert answer["summary"]["deployable"] is True
    assert answer["matrix"][0]["provider"]["version"]["number"] == "10"


def test_rule_a_failure_against_the_main_branch_head_blocks_the_merge(
    broker: RunningBroker,
) -> None:
    _main_lines(broker)
    publish(broker, "Web", "2", "Accounts", "a changed request", branch="feat-x")
    verify(broker, "Accounts", "10", "Web", "2", success=False)
    summary = matrix(broker, CAN_I_MERGE.format(v="2"))["summary"]
    assert summary["deployable"] is False
    assert summary["reason"].startswith(
        "The verification for the pact between version 2 of Web and the latest version of "
        "Accounts from branch main (10) failed"
    )


def test_rule_a_result_from_a_feature_branch_of_the_provider_does_not_count(
    broker: RunningBroker,
) -> None:
    _main_lines(broker)
    publish(broker, "Web", "2", "Accounts", "a changed request", branch="feat-x")
    verify(broker, "Accounts", "11", "Web", "2", branch="feat-y")
    assert matrix(broker, CAN_I_MERGE.format(v="2"))["summary"]["deployable"] is None


def test_the_main_branch_head_is_asked_about_when_no_version_is_given(
    broker: RunningBroker,
) -> None:
    _main_lines(broker)
    response = broker.get("/pacticipants/Web/main-branch/can-i-merge")
    assert response.status_code == 200
    assert response.json()["summary"]["deployable"] is True
    publish(broker, "Orphan", "1")
    assert broker.get("/pacticipants/Orphan/main-branch/can-i-merge").status_code == 404
