"""What tags and branches imply: first tag as branch, deployments from tags, main branch detection.

The Pact Broker's three switches (``use_first_tag_as_branch``,
``create_deployed_versions_for_tags``, ``auto_detect_main_branch``), each on by default and each
tested on and off, on SQLite and PostgreSQL.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from accord_broker import Settings
from accord_broker.db.models import Pacticipant, Version
from accord_broker.domain.versions.tag_effects import FIRST_TAG_AS_BRANCH_WINDOW
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.release_history import create_environment, ensure_version


def _age_version(broker: RunningBroker, pacticipant: str, number: str, age: timedelta) -> None:
    """Pretend the version was created ``age`` ago (no sleeping through the window)."""
    engine = create_engine(broker.database_url)
    try:
        with Session(engine) as session:
            pacticipant_id = session.scalar(
                select(Pacticipant.id).where(Pacticipant.name == pacticipant)
            )
            session.execute(
                update(Version)
                .where(Version.pacticipant_id == pacticipant_id, Version.number == number)
                .values(created_at=datetime.now(UTC) - age)
            )
            session.commit()
    finally:
        engine.dispose()


def _tag(broker: RunningBroker, pacticipant: str, number: str, tag: str) -> int:
    response = broker.put(f"/pacticipants/{pacticipant}/versions/{number}/tags/{tag}")
    assert response.status_code in (200, 201), response.text
    return response.status_code


def _branches_of(broker: RunningBroker, pacticipant: str, number: str) -> list[tuple[str, bool]]:
    version = broker.get(f"/pacticipants/{pacticipant}/versions/{number}").json()
    return [(b["name"], b["latest"]) for b in version["_embedded"]["branchVersions"]]


def _main_branch(broker: RunningBroker, pacticipant: str) -> Any:
    return broker.get(f"/pacticipants/{pacticipant}").json().get("mainBranch")


def _currently_deployed(broker: RunningBroker, environment_uuid: str) -> list[str]:
    listed = broker.get(f"/environments/{environment_uuid}/deployed-versions/currently-deployed")
    assert listed.status_code == 200, listed.text
    return [
        f"{d['_embedded']['pacticipant']['name']}@{d['_embedded']['version']['number']}"
        for d in listed.json()["_embedded"]["deployedVersions"]
    ]


def _deployments_of(
    broker: RunningBroker, pacticipant: str, number: str, environment_uuid: str
) -> list[dict[str, Any]]:
    listed = broker.get(
        f"/pacticipants/{pacticipant}/versions/{number}/deployed-versions/environment/"
        f"{environment_uuid}"
    )
    assert listed.status_code == 200, listed.text
    found = listed.json()["_embedded"]["deployedVersions"]
    assert isinstance(found, list)
    return found


# use_first_tag_as_branch


def test_the_first_tag_of_a_new_version_becomes_its_branch(broker: RunningBroker) -> None:
    assert _tag(broker, "Web", "1", "feat-x") == 201

    assert _branches_of(broker, "Web", "1") == [("feat-x", True)]
    head = broker.get("/pacticipants/Web/branches/feat-x/latest-version")
    assert head.json()["number"] == "1"


def test_a_branch_from_a_tag_moves_the_branch_head_like_a_branch_put(
    broker: RunningBroker,
) -> None:
    assert broker.put("/pacticipants/Web/branches/feat-x/versions/1").status_code == 201
    _tag(broker, "Web", "2", "feat-x")

    head = broker.get("/pacticipants/Web/branches/feat-x/latest-version").json()
    assert head["number"] == "2"
    listed = broker.get("/pacticipants/Web/branches/feat-x/versions").json()
    assert [v["number"] for v in listed["_embedded"]["versions"]] == ["2", "1"]
    branch_version = broker.get("/pacticipants/Web/branches/feat-x/versions/2")
    assert branch_version.status_code == 200


def test_a_second_tag_does_not_become_a_branch(broker: RunningBroker) -> None:
    _tag(broker, "Web", "1", "feat-x")
    _tag(broker, "Web", "1", "reviewed")

    assert _branches_of(broker, "Web", "1") == [("feat-x", True)]
    assert broker.get("/pacticipants/Web/branches/reviewed").status_code == 404


def test_a_tag_on_a_version_that_is_already_on_a_branch_adds_no_branch(
    broker: RunningBroker,
) -> None:
    broker.put("/pacticipants/Web/branches/feat-x/versions/1")
    _tag(broker, "Web", "1", "feat-y")

    assert _branches_of(broker, "Web", "1") == [("feat-x", True)]


def test_a_tag_added_after_the_ten_second_window_does_not_become_a_branch(
    broker: RunningBroker,
) -> None:
    ensure_version(broker, "Web", "1")
    _age_version(broker, "Web", "1", FIRST_TAG_AS_BRANCH_WINDOW + timedelta(seconds=2))

    _tag(broker, "Web", "1", "feat-x")

    assert _branches_of(broker, "Web", "1") == []
    assert broker.get("/pacticipants/Web/branches/feat-x").status_code == 404


def test_a_tag_added_just_inside_the_ten_second_window_becomes_a_branch(
    broker: RunningBroker,
) -> None:
    ensure_version(broker, "Web", "1")
    _age_version(broker, "Web", "1", FIRST_TAG_AS_BRANCH_WINDOW - timedelta(seconds=2))

    _tag(broker, "Web", "1", "feat-x")

    assert _branches_of(broker, "Web", "1") == [("feat-x", True)]


def test_the_first_tag_is_only_a_tag_when_use_first_tag_as_branch_is_off(
    database_url: str,
) -> None:
    with start_broker(database_url, use_first_tag_as_branch=False) as broker:
        _tag(broker, "Web", "1", "feat-x")

        assert _branches_of(broker, "Web", "1") == []
        assert broker.get("/pacticipants/Web/branches/feat-x").status_code == 404


def test_publishing_with_tags_and_no_branch_makes_the_first_tag_the_branch(
    broker: RunningBroker,
) -> None:
    published = broker.publish("Web", "1", make_pact(), tags=["feat-x", "reviewed"])
    assert published.status_code == 200, published.text

    assert _branches_of(broker, "Web", "1") == [("feat-x", True)]


def test_publishing_with_a_branch_and_tags_keeps_the_tags_off_the_branches(
    broker: RunningBroker,
) -> None:
    published = broker.publish("Web", "1", make_pact(), branch="feat-x", tags=["feat-y"])
    assert published.status_code == 200, published.text

    assert _branches_of(broker, "Web", "1") == [("feat-x", True)]


def test_the_legacy_pact_put_then_tag_put_flow_gives_the_version_a_branch(
    broker: RunningBroker,
) -> None:
    put = broker.put("/pacts/provider/Accounts/consumer/Web/version/1", make_pact())
    assert put.status_code == 201, put.text
    _tag(broker, "Web", "1", "feat-x")

    assert _branches_of(broker, "Web", "1") == [("feat-x", True)]


def test_tags_written_with_the_version_resource_are_only_tags(broker: RunningBroker) -> None:
    put = broker.put("/pacticipants/Web/versions/1", {"tags": [{"name": "main"}]})
    assert put.status_code == 201, put.text

    assert _branches_of(broker, "Web", "1") == []
    assert _main_branch(broker, "Web") is None


# create_deployed_versions_for_tags


def test_tagging_a_version_with_an_environment_name_records_a_deployment_there(
    broker: RunningBroker,
) -> None:
    uuid = create_environment(broker, "test")
    ensure_version(broker, "Web", "1")

    _tag(broker, "Web", "1", "test")

    assert _currently_deployed(broker, uuid) == ["Web@1"]
    [deployment] = _deployments_of(broker, "Web", "1", uuid)
    assert deployment["applicationInstance"] is None
    assert deployment["currentlyDeployed"] is True


def test_a_tag_that_names_no_environment_records_no_deployment(broker: RunningBroker) -> None:
    uuid = create_environment(broker, "test")
    _tag(broker, "Web", "1", "testing")

    assert _currently_deployed(broker, uuid) == []


def test_tagging_the_next_version_replaces_the_deployment_like_record_deployment(
    broker: RunningBroker,
) -> None:
    uuid = create_environment(broker, "production", production=True)
    _tag(broker, "Web", "1", "production")
    _tag(broker, "Web", "2", "production")

    assert _currently_deployed(broker, uuid) == ["Web@2"]
    [ended] = _deployments_of(broker, "Web", "1", uuid)
    assert ended["currentlyDeployed"] is False
    assert ended["undeployedAt"] is not None


def test_tagging_a_version_already_deployed_there_records_no_second_deployment(
    broker: RunningBroker,
) -> None:
    uuid = create_environment(broker, "test")
    ensure_version(broker, "Web", "1")
    recorded = broker.post(f"/pacticipants/Web/versions/1/deployed-versions/environment/{uuid}", {})
    assert recorded.status_code == 201, recorded.text

    assert _tag(broker, "Web", "1", "test") == 201
    assert _tag(broker, "Web", "1", "test") == 200

    [deployment] = _deployments_of(broker, "Web", "1", uuid)
    assert deployment["uuid"] == recorded.json()["uuid"]
    assert _currently_deployed(broker, uuid) == ["Web@1"]


def test_putting_an_existing_tag_again_redeploys_a_version_that_was_undeployed(
    broker: RunningBroker,
) -> None:
    uuid = create_environment(broker, "test")
    _tag(broker, "Web", "1", "test")
    [first] = _deployments_of(broker, "Web", "1", uuid)
    ended = broker.patch(f"/deployed-versions/{first['uuid']}", {"currentlyDeployed": False})
    assert ended.status_code == 200, ended.text

    assert _tag(broker, "Web", "1", "test") == 200

    assert _currently_deployed(broker, uuid) == ["Web@1"]
    assert len(_deployments_of(broker, "Web", "1", uuid)) == 2


def test_publishing_with_a_tag_named_like_an_environment_records_no_deployment(
    broker: RunningBroker,
) -> None:
    uuid = create_environment(broker, "test")
    published = broker.publish("Web", "1", make_pact(), branch="main", tags=["test"])
    assert published.status_code == 200, published.text

    assert _currently_deployed(broker, uuid) == []


def test_an_environment_tag_records_nothing_when_create_deployed_versions_for_tags_is_off(
    database_url: str,
) -> None:
    with start_broker(database_url, create_deployed_versions_for_tags=False) as broker:
        uuid = create_environment(broker, "test")
        _tag(broker, "Web", "1", "test")

        assert _currently_deployed(broker, uuid) == []


# auto_detect_main_branch


def test_a_main_like_tag_gives_a_pacticipant_without_one_its_main_branch(
    broker: RunningBroker,
) -> None:
    ensure_version(broker, "Web", "1")
    _age_version(broker, "Web", "1", timedelta(minutes=5))

    _tag(broker, "Web", "1", "master")

    assert _main_branch(broker, "Web") == "master"
    assert _branches_of(broker, "Web", "1") == []


def test_a_main_like_branch_gives_a_pacticipant_without_one_its_main_branch(
    broker: RunningBroker,
) -> None:
    broker.put("/pacticipants/Web/branches/develop/versions/1")

    assert _main_branch(broker, "Web") == "develop"


def test_the_first_main_like_name_wins_whether_branch_or_tag(broker: RunningBroker) -> None:
    broker.put("/pacticipants/Web/branches/develop/versions/1")
    _tag(broker, "Web", "2", "main")
    broker.put("/pacticipants/Web/branches/master/versions/3")

    assert _main_branch(broker, "Web") == "develop"


def test_an_existing_main_branch_is_never_overwritten(broker: RunningBroker) -> None:
    assert broker.post("/pacticipants", {"name": "Web", "mainBranch": "trunk"}).status_code == 201

    broker.put("/pacticipants/Web/branches/main/versions/1")
    _tag(broker, "Web", "2", "master")
    broker.publish("Web", "3", make_pact(), branch="develop", tags=["main"])

    assert _main_branch(broker, "Web") == "trunk"


def test_publishing_with_a_main_like_tag_sets_the_main_branch(broker: RunningBroker) -> None:
    published = broker.publish("Web", "1", make_pact(), branch="feat-x", tags=["main"])
    assert published.status_code == 200, published.text

    assert _main_branch(broker, "Web") == "main"


def test_names_outside_the_candidates_never_become_the_main_branch(
    broker: RunningBroker,
) -> None:
    broker.put("/pacticipants/Web/branches/trunk/versions/1")
    _tag(broker, "Web", "2", "production")

    assert _main_branch(broker, "Web") is None


def test_no_main_branch_is_detected_when_auto_detect_main_branch_is_off(
    database_url: str,
) -> None:
    with start_broker(database_url, auto_detect_main_branch=False) as broker:
        broker.put("/pacticipants/Web/branches/main/versions/1")
        _tag(broker, "Web", "2", "master")
        broker.publish("Web", "3", make_pact(), branch="develop")

        assert _main_branch(broker, "Web") is None
        assert _branches_of(broker, "Web", "2") == [("master", True)]


def test_main_branch_candidates_can_be_configured(database_url: str) -> None:
    with start_broker(database_url, main_branch_candidates=["trunk"]) as broker:
        broker.put("/pacticipants/Web/branches/main/versions/1")
        assert _main_branch(broker, "Web") is None

        broker.put("/pacticipants/Web/branches/trunk/versions/2")
        assert _main_branch(broker, "Web") == "trunk"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("develop main master", ["develop", "main", "master"]),
        ("trunk,release", ["trunk", "release"]),
    ],
)
def test_main_branch_candidates_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: list[str]
) -> None:
    monkeypatch.setenv("ACCORD_BROKER_MAIN_BRANCH_CANDIDATES", value)
    monkeypatch.setenv("ACCORD_BROKER_USE_FIRST_TAG_AS_BRANCH", "false")
    monkeypatch.setenv("ACCORD_BROKER_CREATE_DEPLOYED_VERSIONS_FOR_TAGS", "false")
    monkeypatch.setenv("ACCORD_BROKER_AUTO_DETECT_MAIN_BRANCH", "false")

    settings = Settings()

    assert settings.main_branch_candidates == expected
    assert settings.use_first_tag_as_branch is False
    assert settings.create_deployed_versions_for_tags is False
    assert settings.auto_detect_main_branch is False


def test_every_switch_is_on_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "USE_FIRST_TAG_AS_BRANCH",
        "CREATE_DEPLOYED_VERSIONS_FOR_TAGS",
        "AUTO_DETECT_MAIN_BRANCH",
        "MAIN_BRANCH_CANDIDATES",
    ):
        monkeypatch.delenv("ACCORD_BROKER_" + name, raising=False)

    settings = Settings()

    assert settings.use_first_tag_as_branch is True
    assert settings.create_deployed_versions_for_tags is True
    assert settings.auto_detect_main_branch is True
    assert settings.main_branch_candidates == ["develop", "main", "master"]
