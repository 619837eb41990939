"""Versions, tags, branches and branch versions."""

from tests.broker.conftest import RunningBroker


def test_put_version_creates_it_with_a_build_url(broker: RunningBroker) -> None:
    created = broker.put("/pacticipants/Web/versions/1.0.0", {"buildUrl": "http://ci/1"})
    again = broker.put("/pacticipants/Web/versions/1.0.0", {"buildUrl": "http://ci/2"})

    assert created.status_code == 201
    assert again.status_code == 200
    version = broker.get("/pacticipants/Web/versions/1.0.0").json()
    assert version["number"] == "1.0.0"
    assert version["buildUrl"] == "http://ci/2"


def test_a_tag_put_auto_creates_the_pacticipant_and_version(broker: RunningBroker) -> None:
    first = broker.put("/pacticipants/Web/versions/1.0.0/tags/prod")
    second = broker.put("/pacticipants/Web/versions/1.0.0/tags/prod")

    assert first.status_code == 201
    assert second.status_code == 200
    version = broker.get("/pacticipants/Web/versions/1.0.0").json()
    assert [t["name"] for t in version["_embedded"]["tags"]] == ["prod"]
    assert broker.get("/pacticipants/Web/versions/1.0.0/tags/prod").json()["name"] == "prod"


def test_latest_version_is_the_most_recently_created_not_the_highest_semver(
    broker: RunningBroker,
) -> None:
    for number in ("2.0.0", "10.0.0", "1.5.0"):
        broker.put(f"/pacticipants/Web/versions/{number}")
    broker.put("/pacticipants/Web/versions/2.0.0/tags/prod")

    assert broker.get("/pacticipants/Web/latest-version").json()["number"] == "1.5.0"
    assert broker.get("/pacticipants/Web/latest-version/prod").json()["number"] == "2.0.0"
    assert broker.get("/pacticipants/Web/latest-version/nope").status_code == 404


def test_versions_are_listed_newest_first(broker: RunningBroker) -> None:
    for number in ("a", "b", "c"):
        broker.put(f"/pacticipants/Web/versions/{number}")

    body = broker.get("/pacticipants/Web/versions").json()

    assert [v["number"] for v in body["_embedded"]["versions"]] == ["c", "b", "a"]


def test_a_branch_version_put_creates_everything_and_moves_the_branch_head(
    broker: RunningBroker,
) -> None:
    first = broker.put("/pacticipants/Web/branches/main/versions/2")
    broker.put("/pacticipants/Web/branches/main/versions/1")  # older number, added later

    assert first.status_code == 201
    assert broker.put("/pacticipants/Web/branches/main/versions/2").status_code == 200
    head = broker.get("/pacticipants/Web/branches/main/latest-version").json()
    assert head["number"] == "1"
    version = broker.get("/pacticipants/Web/versions/2").json()
    assert version["_embedded"]["branchVersions"][0] == {
        "name": "main",
        "latest": False,
        "_links": version["_embedded"]["branchVersions"][0]["_links"],
    }


def test_the_first_main_like_branch_becomes_the_main_branch(broker: RunningBroker) -> None:
    broker.put("/pacticipants/Web/branches/feat-x/versions/1")
    assert "mainBranch" not in broker.get("/pacticipants/Web").json()

    broker.put("/pacticipants/Web/branches/master/versions/2")
    broker.put("/pacticipants/Web/branches/main/versions/3")

    assert broker.get("/pacticipants/Web").json()["mainBranch"] == "master"


def test_deleting_a_branch_keeps_its_versions(broker: RunningBroker) -> None:
    broker.put("/pacticipants/Web/branches/feat/versions/1")

    assert broker.delete("/pacticipants/Web/branches/feat").status_code == 204

    assert broker.get("/pacticipants/Web/branches/feat").status_code == 404
    assert broker.get("/pacticipants/Web/versions/1").status_code == 200


def test_removing_the_head_version_makes_the_previous_one_head(broker: RunningBroker) -> None:
    broker.put("/pacticipants/Web/branches/main/versions/1")
    broker.put("/pacticipants/Web/branches/main/versions/2")

    assert broker.delete("/pacticipants/Web/branches/main/versions/2").status_code == 204

    assert broker.get("/pacticipants/Web/branches/main/latest-version").json()["number"] == "1"


def test_names_with_slashes_and_spaces_route_as_one_segment(broker: RunningBroker) -> None:
    """Trap 10: clients encode `/` as %2F inside templated values."""
    tag = broker.put("/pacticipants/Odd%2FAPI/versions/1.0.0%2Bb5%20x/tags/feat%2Fp%20q")
    branch = broker.put("/pacticipants/Odd%2FAPI/branches/feat%2Fx/versions/1.0.0%2Bb5%20x")

    assert tag.status_code == 201
    assert branch.status_code == 201
    assert broker.get("/pacticipants/Odd%2FAPI").json()["name"] == "Odd/API"
    version = broker.get("/pacticipants/Odd%2FAPI/versions/1.0.0%2Bb5%20x").json()
    assert version["number"] == "1.0.0+b5 x"
    assert version["_embedded"]["tags"][0]["name"] == "feat/p q"
    # The tag came first, on a new version: it became a branch too (use_first_tag_as_branch).
    assert [b["name"] for b in version["_embedded"]["branchVersions"]] == ["feat/p q", "feat/x"]
    assert version["_links"]["self"]["href"].endswith(
        "/pacticipants/Odd%2FAPI/versions/1.0.0%2Bb5%20x"
    )


def test_an_unknown_version_is_a_404(broker: RunningBroker) -> None:
    broker.put("/pacticipants/Web/versions/1")

    response = broker.get("/pacticipants/Web/versions/2")

    assert response.status_code == 404
    assert "2" in response.json()["error"]


def test_a_version_lists_record_deployment_links_per_environment_as_an_array(
    broker: RunningBroker,
) -> None:
    broker.put("/pacticipants/Web/versions/1")

    links = broker.get("/pacticipants/Web/versions/1").json()["_links"]

    assert links["pb:record-deployment"] == []
    assert links["pb:record-release"] == []


def test_versions_can_be_listed_a_page_at_a_time(broker: RunningBroker) -> None:
    for number in range(1, 6):
        broker.put(f"/pacticipants/Web/versions/{number}")

    first = broker.get("/pacticipants/Web/versions?size=2").json()
    last = broker.get("/pacticipants/Web/versions?pageNumber=3&pageSize=2").json()

    assert [v["number"] for v in first["_embedded"]["versions"]] == ["5", "4"]
    assert first["page"] == {"number": 1, "size": 2, "totalElements": 5, "totalPages": 3}
    assert first["_links"]["next"]["href"].endswith("/pacticipants/Web/versions?size=2&page=2")
    assert [v["number"] for v in last["_embedded"]["versions"]] == ["1"]
    assert "next" not in last["_links"]
    assert broker.get("/pacticipants/Web/versions?page=0").status_code == 400
