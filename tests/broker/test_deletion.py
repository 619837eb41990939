"""Deleting versions and pacticipants: everything they own goes, everything else stays."""

from tests.broker.conftest import RunningBroker
from tests.broker.release_history import (
    can_i_deploy,
    create_environment,
    deploy,
    matrix,
    publish,
    verify,
)


def _history(broker: RunningBroker) -> str:
    uuid = create_environment(broker, "production", production=True)
    publish(broker, "Web", "1", branch="main")
    publish(broker, "Web", "2", branch="main")
    verify(broker, "Accounts", "10", "Web", "1")
    deploy(broker, "Accounts", "10", "production")
    return uuid


def test_deleting_a_consumer_version_removes_its_pacts_from_the_matrix(
    broker: RunningBroker,
) -> None:
    _history(broker)
    assert broker.delete("/pacticipants/Web/versions/1").status_code == 204
    assert broker.get("/pacts/provider/Accounts/consumer/Web/version/1").status_code == 404
    summary = can_i_deploy(broker, "Web", "1", "production")["summary"]
    assert summary["deployable"] is False
    assert "No pacts or verifications have been published for version 1" in summary["reason"]
    rows = matrix(broker, "q[][pacticipant]=Web&q[][pacticipant]=Accounts")["matrix"]
    assert [r["consumer"]["version"]["number"] for r in rows] == ["2"]


def test_deleting_a_provider_version_removes_its_results_and_deployments(
    broker: RunningBroker,
) -> None:
    uuid = _history(broker)
    assert broker.delete("/pacticipants/Accounts/versions/10").status_code == 204
    listed = broker.get(f"/environments/{uuid}/deployed-versions/currently-deployed").json()
    assert listed["_embedded"]["deployedVersions"] == []
    (row,) = matrix(broker, "q[][pacticipant]=Web&q[][version]=1")["matrix"]
    assert row["verificationResult"] is None
    assert can_i_deploy(broker, "Web", "1", "production")["summary"]["deployable"] is None


def test_deleting_the_branch_head_makes_the_previous_version_the_head(
    broker: RunningBroker,
) -> None:
    _history(broker)
    assert broker.delete("/pacticipants/Web/versions/2").status_code == 204
    head = broker.get("/pacticipants/Web/branches/main/latest-version")
    assert head.status_code == 200
    assert head.json()["number"] == "1"


def test_deleting_a_pacticipant_removes_everything_it_owns_only(broker: RunningBroker) -> None:
    uuid = _history(broker)
    publish(broker, "Mobile", "7")
    verify(broker, "Accounts", "10", "Mobile", "7")
    assert broker.delete("/pacticipants/Web").status_code == 204
    assert broker.get("/pacticipants/Web").status_code == 404
    assert broker.get("/pacts/provider/Accounts/consumer/Web/latest").status_code == 404
    listed = broker.get(f"/environments/{uuid}/deployed-versions/currently-deployed").json()
    assert [
        d["_embedded"]["pacticipant"]["name"] for d in listed["_embedded"]["deployedVersions"]
    ] == ["Accounts"]
    assert can_i_deploy(broker, "Accounts", "10", "production")["summary"]["deployable"] is True
    assert can_i_deploy(broker, "Mobile", "7", "production")["summary"]["deployable"] is True


def test_deleting_a_provider_leaves_its_consumers_with_nothing_to_wait_for(
    broker: RunningBroker,
) -> None:
    _history(broker)
    assert broker.delete("/pacticipants/Accounts").status_code == 204
    answer = can_i_deploy(broker, "Web", "1", "production")
    assert answer["summary"]["deployable"] is True
    assert answer["matrix"] == []
