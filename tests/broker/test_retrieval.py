"""Reading pacts back: latest, by tag, branch, version and sha, with the links verifiers follow."""

from accord_broker.domain.url_metadata import encode_metadata

from accord.pact import content_sha, interaction_id
from tests.broker.conftest import RunningBroker, make_pact

PACTS = "/pacts/provider/Accounts/consumer/Web"


def _description(broker: RunningBroker, path: str) -> str:
    response = broker.get(path)
    assert response.status_code == 200, response.text
    return str(response.json()["interactions"][0]["description"])


def test_a_served_pact_keeps_its_content_and_gains_an_id_per_interaction(
    broker: RunningBroker,
) -> None:
    """Trap 8: without _id, V4 pacts produce empty testResults."""
    pact = make_pact("Web", "Accounts", "one", "two")
    broker.publish("Web", "1", pact)

    served = broker.get(PACTS + "/version/1").json()

    for published, interaction in zip(pact["interactions"], served["interactions"], strict=True):
        assert next(iter(interaction)) == "_id"
        assert interaction["_id"] == interaction_id(published)
        assert {k: v for k, v in interaction.items() if k != "_id"} == published
    assert served["consumer"] == pact["consumer"]
    assert served["metadata"] == pact["metadata"]
    assert served["createdAt"].endswith("+00:00")


def test_a_served_pact_links_to_verification_publishing_and_its_provider(
    broker: RunningBroker,
) -> None:
    pact = make_pact()
    broker.publish("Web", "1", pact)
    sha = content_sha(pact)

    links = broker.get(PACTS + "/latest").json()["_links"]

    assert links["pb:publish-verification-results"]["href"] == (
        f"{broker.url}{PACTS}/pact-version/{sha}/verification-results"
    )
    assert links["pb:provider"]["href"] == broker.url + "/pacticipants/Accounts"
    assert links["pb:pact-version"]["name"] == sha
    assert links["self"]["href"] == broker.url + PACTS + "/version/1"


def test_latest_means_the_most_recently_created_consumer_version(broker: RunningBroker) -> None:
    broker.publish("Web", "2.0.0", make_pact("Web", "Accounts", "from 2.0.0"))
    broker.publish("Web", "1.9.0", make_pact("Web", "Accounts", "from 1.9.0"))

    response = broker.get(PACTS + "/latest")

    assert response.json()["interactions"][0]["description"] == "from 1.9.0"
    assert response.headers["X-Pact-Consumer-Version"] == "1.9.0"


def test_latest_by_tag_and_by_branch(broker: RunningBroker) -> None:
    broker.publish(
        "Web", "1", make_pact("Web", "Accounts", "prod one"), tags=["prod"], branch="main"
    )
    broker.publish("Web", "2", make_pact("Web", "Accounts", "feature"), branch="feat/x")
    broker.publish("Web", "3", make_pact("Web", "Accounts", "main three"), branch="main")

    assert _description(broker, PACTS + "/latest/prod") == "prod one"
    assert _description(broker, PACTS + "/branch/feat%2Fx/latest") == "feature"
    assert _description(broker, PACTS + "/branch/main/latest") == "main three"
    assert broker.get(PACTS + "/latest/nope").status_code == 404


def test_by_consumer_version_and_by_content_sha(broker: RunningBroker) -> None:
    first = make_pact("Web", "Accounts", "first")
    broker.publish("Web", "1", first)
    broker.publish("Web", "2", make_pact("Web", "Accounts", "second"))

    assert _description(broker, PACTS + "/version/1") == "first"
    assert _description(broker, f"{PACTS}/pact-version/{content_sha(first)}") == "first"
    assert broker.get(PACTS + "/version/3").status_code == 404


def test_the_metadata_of_a_permalink_comes_back_in_the_publish_link(broker: RunningBroker) -> None:
    pact = make_pact()
    broker.publish("Web", "1", pact)
    sha = content_sha(pact)
    metadata = encode_metadata({"w": True, "s": [{"b": "main", "l": True}]})

    served = broker.get(f"{PACTS}/pact-version/{sha}/metadata/{metadata}").json()

    assert served["_links"]["pb:publish-verification-results"]["href"] == (
        f"{broker.url}{PACTS}/pact-version/{sha}/metadata/{metadata}/verification-results"
    )


def test_latest_provider_pacts_has_both_pacts_and_pb_pacts(broker: RunningBroker) -> None:
    """Trap 5: the legacy verifier flow iterates the deprecated `pacts` relation."""
    broker.publish("Web", "1", make_pact("Web", "Accounts"))
    broker.publish("Web", "2", make_pact("Web", "Accounts", "newer"))
    broker.publish("Mobile", "7", make_pact("Mobile", "Accounts"))

    links = broker.get("/pacts/provider/Accounts/latest").json()["_links"]

    hrefs = [p["href"] for p in links["pb:pacts"]]
    assert hrefs == [
        broker.url + "/pacts/provider/Accounts/consumer/Mobile/version/7",
        broker.url + "/pacts/provider/Accounts/consumer/Web/version/2",
    ]
    assert [p["href"] for p in links["pacts"]] == hrefs
    assert links["pb:provider"]["href"] == broker.url + "/pacticipants/Accounts"


def test_latest_provider_pacts_is_404_for_an_unknown_provider(broker: RunningBroker) -> None:
    response = broker.get("/pacts/provider/Nobody/latest")

    assert response.status_code == 404
    assert "provider" in response.json()["error"]


def test_latest_provider_pacts_with_a_tag(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts", "one"), tags=["prod"])
    broker.publish("Web", "2", make_pact("Web", "Accounts", "two"))

    links = broker.get("/pacts/provider/Accounts/latest/prod").json()["_links"]

    assert [p["href"].rsplit("/", 1)[1] for p in links["pb:pacts"]] == ["1"]


def test_provider_pacts_from_each_consumers_main_branch(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts", "main"), branch="main")
    broker.publish("Web", "2", make_pact("Web", "Accounts", "feature"), branch="feat")
    broker.publish("Mobile", "1", make_pact("Mobile", "Accounts"), branch="feat")

    main = broker.get("/pacts/provider/Accounts/branch").json()["_links"]["pb:pacts"]
    feat = broker.get("/pacts/provider/Accounts/branch/feat").json()["_links"]["pb:pacts"]

    assert [p["href"].rsplit("/", 1)[1] for p in main] == ["1"]
    assert [p["name"] for p in feat] == ["Mobile", "Web"]


def test_latest_pacts_of_every_integration(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts"))
    broker.publish("Web", "2", make_pact("Web", "Accounts", "newer"), make_pact("Web", "Transfers"))

    pacts = broker.get("/pacts/latest").json()["pacts"]

    assert [
        (
            p["_embedded"]["consumer"]["name"],
            p["_embedded"]["provider"]["name"],
            p["_embedded"]["consumer"]["_embedded"]["version"]["number"],
        )
        for p in pacts
    ] == [("Web", "Accounts", "2"), ("Web", "Transfers", "2")]
    assert all(p["createdAt"] for p in pacts)


def test_pacts_of_names_with_slashes(broker: RunningBroker) -> None:
    broker.publish("Web/ui", "1.0+b/1", make_pact("Web/ui", "Acc ounts"))

    response = broker.get("/pacts/provider/Acc%20ounts/consumer/Web%2Fui/version/1.0%2Bb%2F1")

    assert response.status_code == 200
    assert response.json()["_links"]["self"]["href"].endswith(
        "/pacts/provider/Acc%20ounts/consumer/Web%2Fui/version/1.0%2Bb%2F1"
    )


def test_deleting_a_pact_removes_it_from_latest(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts", "one"))
    broker.publish("Web", "2", make_pact("Web", "Accounts", "two"))

    assert broker.delete(PACTS + "/version/2").status_code == 204

    assert _description(broker, PACTS + "/latest") == "one"


def test_all_versions_of_a_pact_are_listed_newest_first(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts", "one"))
    broker.publish("Web", "2", make_pact("Web", "Accounts", "two"))

    links = broker.get(PACTS + "/versions").json()["_links"]["pb:pacts"]

    assert [p["href"].rsplit("/", 1)[1] for p in links] == ["2", "1"]


def test_all_pacts_of_a_provider_optionally_by_consumer_tag(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts", "one"), tags=["prod"])
    broker.publish("Web", "2", make_pact("Web", "Accounts", "two"))
    broker.publish("Mobile", "1", make_pact("Mobile", "Accounts"), tags=["prod"])

    every = broker.get("/pacts/provider/Accounts").json()["_links"]["pb:pacts"]
    tagged = broker.get("/pacts/provider/Accounts/tag/prod").json()["_links"]["pb:pacts"]

    assert [(p["name"], p["href"].rsplit("/", 1)[1]) for p in every] == [
        ("Mobile", "1"),
        ("Web", "2"),
        ("Web", "1"),
    ]
    assert [(p["name"], p["href"].rsplit("/", 1)[1]) for p in tagged] == [
        ("Mobile", "1"),
        ("Web", "1"),
    ]


def test_the_diff_link_shows_what_changed_between_two_pact_versions(broker: RunningBroker) -> None:
    old, new = make_pact("Web", "Accounts", "old name"), make_pact("Web", "Accounts", "new name")
    broker.publish("Web", "1", old)
    broker.publish("Web", "2", new)
    template = broker.get(PACTS + "/version/2").json()["_links"]["pb:diff"]["href"]

    response = broker.get(
        template.replace("{pactVersion}", content_sha(old)).removeprefix(broker.url)
    )

    assert response.status_code == 200
    removed = [line[1:].strip() for line in response.text.splitlines() if line.startswith("-  ")]
    added = [line[1:].strip() for line in response.text.splitlines() if line.startswith("+  ")]
    assert '"description": "old name",' in removed
    assert '"description": "new name",' in added


def test_a_v3_message_pact_is_served_with_ids_on_its_messages(broker: RunningBroker) -> None:
    message_pact = {
        "consumer": {"name": "Notifications"},
        "provider": {"name": "Transfers"},
        "messages": [
            {
                "description": "a transfer-completed event",
                "providerStates": [{"name": "a transfer exists"}],
                "contents": {"transferId": 7, "amount": 10},
                "metadata": {"contentType": "application/json"},
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }
    assert broker.publish("Notifications", "1", message_pact).status_code == 200

    served = broker.get("/pacts/provider/Transfers/consumer/Notifications/latest").json()

    assert served["messages"][0]["_id"] == interaction_id(message_pact["messages"][0])
    assert served["messages"][0]["contents"] == {"transferId": 7, "amount": 10}
