"""Pacticipants: created, read, listed, updated and deleted as the `pact broker` CLI expects."""

from tests.broker.conftest import RunningBroker, make_pact


def test_posting_a_pacticipant_creates_it_with_a_derived_display_name(
    broker: RunningBroker,
) -> None:
    response = broker.post("/pacticipants", {"name": "billing-service", "mainBranch": "main"})

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "billing-service"
    assert body["displayName"] == "Billing Service"
    assert body["mainBranch"] == "main"
    assert body["_links"]["self"]["href"] == broker.url + "/pacticipants/billing-service"


def test_posting_an_existing_name_returns_it_unchanged(broker: RunningBroker) -> None:
    broker.post("/pacticipants", {"name": "Web", "repositoryUrl": "https://git/web"})

    again = broker.post("/pacticipants", {"name": "Web", "repositoryUrl": "https://other"})

    assert again.status_code == 201
    assert again.json()["repositoryUrl"] == "https://git/web"


def test_a_pacticipant_resource_has_the_templated_links_verifiers_expand(
    broker: RunningBroker,
) -> None:
    broker.post("/pacticipants", {"name": "Accounts"})

    links = broker.get("/pacticipants/Accounts").json()["_links"]

    base = broker.url + "/pacticipants/Accounts"
    assert links["pb:version-tag"] == {
        "href": base + "/versions/{version}/tags/{tag}",
        "title": links["pb:version-tag"]["title"],
        "templated": True,
    }
    assert links["pb:branch-version"]["href"] == base + "/branches/{branch}/versions/{version}"
    assert links["pb:branch-version"]["templated"] is True


def test_listing_returns_embedded_and_top_level_pacticipants_sorted_by_name(
    broker: RunningBroker,
) -> None:
    for name in ("zeta", "Alpha", "mid"):
        broker.post("/pacticipants", {"name": name})

    body = broker.get("/pacticipants").json()

    assert [p["name"] for p in body["_embedded"]["pacticipants"]] == ["Alpha", "mid", "zeta"]
    assert [p["name"] for p in body["pacticipants"]] == ["Alpha", "mid", "zeta"]
    assert all(p["displayName"] for p in body["pacticipants"])


def test_patch_creates_a_missing_pacticipant_then_merges_fields(broker: RunningBroker) -> None:
    created = broker.patch("/pacticipants/Web", {"displayName": "Web app"})
    updated = broker.patch("/pacticipants/Web", {"mainBranch": "trunk"})

    assert created.status_code == 201
    assert updated.status_code == 200
    assert updated.json()["displayName"] == "Web app"
    assert updated.json()["mainBranch"] == "trunk"


def test_put_replaces_fields_but_does_not_create(broker: RunningBroker) -> None:
    assert broker.put("/pacticipants/Nobody", {"displayName": "x"}).status_code == 404
    broker.post("/pacticipants", {"name": "Web", "repositoryUrl": "https://git/web"})

    replaced = broker.put("/pacticipants/Web", {"mainBranch": "main"})

    assert replaced.status_code == 200
    assert "repositoryUrl" not in replaced.json()
    assert replaced.json()["displayName"] == "Web"


def test_an_unknown_pacticipant_is_a_404_with_a_json_error(broker: RunningBroker) -> None:
    response = broker.get("/pacticipants/Nobody")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert "Nobody" in response.json()["error"]
    assert response.json()["errors"]


def test_deleting_a_pacticipant_removes_its_versions_and_pacts(broker: RunningBroker) -> None:
    broker.publish("Web", "1.0.0", make_pact("Web", "Accounts"), branch="main", tags=["prod"])

    assert broker.delete("/pacticipants/Web").status_code == 204

    assert broker.get("/pacticipants/Web").status_code == 404
    assert broker.get("/pacts/provider/Accounts/consumer/Web/latest").status_code == 404
    assert broker.get("/pacts/provider/Accounts/latest").json()["_links"]["pb:pacts"] == []


def test_a_pacticipant_name_must_not_be_blank(broker: RunningBroker) -> None:
    response = broker.post("/pacticipants", {"name": "  "})

    assert response.status_code == 400
    assert "name" in response.json()["errors"]
