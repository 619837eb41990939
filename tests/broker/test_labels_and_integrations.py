"""Labels, integrations, metrics, the dashboard, groups, pact diffs and relation docs, at the
Pact Broker's paths and in its shapes."""

from accord.pact import content_sha
from tests.broker.conftest import RunningBroker, make_pact

BROWSER = {"Accept": "text/html,application/xhtml+xml"}


def _two_integrations(broker: RunningBroker) -> None:
    assert broker.publish("Web", "1", make_pact("Web", "Accounts", "a")).ok
    assert broker.publish("Web", "2", make_pact("Web", "Accounts", "a", "b")).ok
    assert broker.publish("Transfers", "7", make_pact("Transfers", "Ledger")).ok


def test_a_label_is_added_once_listed_and_removed(broker: RunningBroker) -> None:
    _two_integrations(broker)

    first = broker.put("/pacticipants/Web/labels/team-a")
    again = broker.put("/pacticipants/Web/labels/team-a")

    assert first.status_code == 201 and again.status_code == 200
    assert first.headers["Location"] == broker.url + "/pacticipants/Web/labels/team-a"
    assert first.json()["name"] == "team-a"
    assert first.json()["_links"]["pacticipant"]["name"] == "Web"
    embedded = broker.get("/pacticipants/Web").json()["_embedded"]["labels"]
    assert [label["name"] for label in embedded] == ["team-a"]
    listed = broker.get("/pacticipants/label/team-a").json()["_embedded"]["pacticipants"]
    assert [p["name"] for p in listed] == ["Web"]
    assert broker.get("/labels").json()["_embedded"]["labels"] == [{"name": "team-a"}]

    assert broker.delete("/pacticipants/Web/labels/team-a").status_code == 204
    assert broker.get("/pacticipants/Web/labels/team-a").status_code == 404
    assert broker.get("/pacticipants/label/team-a").json()["_embedded"]["pacticipants"] == []


def test_labelling_an_unknown_pacticipant_is_404(broker: RunningBroker) -> None:
    response = broker.put("/pacticipants/Nobody/labels/team-a")
    assert response.status_code == 404
    assert "Nobody" in response.json()["error"]


def test_integrations_are_listed_with_their_links(broker: RunningBroker) -> None:
    _two_integrations(broker)

    found = broker.get("/integrations").json()["_embedded"]["integrations"]

    assert [(i["consumer"]["name"], i["provider"]["name"]) for i in found] == [
        ("Transfers", "Ledger"),
        ("Web", "Accounts"),
    ]
    links = found[1]["_links"]
    assert links["pb:delete_integration"]["href"].endswith(
        "/integrations/provider/Accounts/consumer/Web"
    )
    assert links["pb:group"]["href"].endswith("/groups/Web")


def test_deleting_an_integration_keeps_the_others(broker: RunningBroker) -> None:
    _two_integrations(broker)

    assert broker.delete("/integrations/provider/Accounts/consumer/Web").status_code == 204

    found = broker.get("/integrations").json()["_embedded"]["integrations"]
    assert [i["consumer"]["name"] for i in found] == ["Transfers"]
    assert broker.get("/pacts/provider/Accounts/consumer/Web/latest").status_code == 404
    assert broker.get("/pacticipants/Web").status_code == 404  # nothing left of it
    assert broker.delete("/integrations/provider/Accounts/consumer/Web").status_code == 404


def test_deleting_all_integrations_empties_the_broker(broker: RunningBroker) -> None:
    _two_integrations(broker)

    assert broker.delete("/integrations").status_code == 204

    assert broker.get("/integrations").json()["_embedded"]["integrations"] == []
    assert broker.get("/pacticipants").json()["_embedded"]["pacticipants"] == []


def test_metrics_count_what_the_broker_holds(broker: RunningBroker) -> None:
    _two_integrations(broker)
    sha = content_sha(make_pact("Web", "Accounts", "a", "b"))
    results = f"/pacts/provider/Accounts/consumer/Web/pact-version/{sha}/verification-results"
    assert broker.post(results, {"providerApplicationVersion": "3", "success": False}).ok

    metrics = broker.get("/metrics").json()

    assert metrics["pacticipants"]["count"] == 4
    assert metrics["integrations"]["count"] == 2
    assert metrics["pactPublications"]["count"] == 3
    assert metrics["pactVersions"]["count"] == 3
    assert metrics["pacticipantVersions"]["count"] == 4
    assert metrics["verificationResults"]["count"] == 1
    assert metrics["verificationResults"]["failureCount"] == 1
    assert metrics["interactions"]["latestInteractionsCount"] == 3  # a, b and Transfers'
    assert metrics["matrix"]["count"] == 3
    assert metrics["pactRevisionsPerConsumerVersion"]["distribution"] == {"1": 3}


def test_the_dashboard_and_a_group(broker: RunningBroker) -> None:
    _two_integrations(broker)

    items = broker.get("/dashboard").json()["items"]
    pair = broker.get("/dashboard/provider/Accounts/consumer/Web").json()["items"]
    group = broker.get("/groups/Web")

    assert {(i["consumer"]["name"], i["provider"]["name"]) for i in items} == {
        ("Web", "Accounts"),
        ("Transfers", "Ledger"),
    }
    assert [i["consumer"]["version"]["number"] for i in pair] == ["2"]
    assert pair[0]["verificationStatus"] == "never"
    assert group.headers["content-type"].startswith("text/csv")
    names = [line.split(",")[1] for line in group.text.splitlines()]
    assert names == ["Web", "Accounts"]  # Transfers → Ledger is another network
    assert broker.get("/groups/Nobody").status_code == 404


def test_pact_diffs_name_what_changed(broker: RunningBroker) -> None:
    _two_integrations(broker)
    between = "/pacts/provider/Accounts/consumer/Web"

    previous = broker.get(f"{between}/version/2/diff/previous-distinct")
    by_version = broker.get(f"{between}/version/2/diff/version/1")
    first = broker.get(f"{between}/version/1/diff/previous-distinct")
    advertised = broker.get(f"{between}/version/2").json()["_links"]["pb:diff-previous-distinct"]

    assert previous.status_code == 200 and previous.headers["content-type"].startswith("text/plain")
    assert '+      "description": "b"' in previous.text
    assert by_version.text == previous.text
    assert first.status_code == 200 and "No previous distinct version" in first.text
    assert advertised["href"] == f"{broker.url}{between}/version/2/diff/previous-distinct"
    assert (
        broker.get(f"{between}/version/2/previous-distinct")
        .json()["_links"]["self"]["href"]
        .endswith("/version/1")
    )


def test_each_relation_has_a_doc_page_and_unknown_ones_do_not(broker: RunningBroker) -> None:
    page = broker.get("/doc/pacticipants-with-label?context=pacticipants")
    unknown = broker.get("/doc/no-such-relation")

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "The pacticipants that carry the given label." in page.text
    assert unknown.status_code == 404 and "pb:no-such-relation" in unknown.text


def test_the_ui_shows_labels_and_filters_the_index_by_one(broker: RunningBroker) -> None:
    _two_integrations(broker)
    assert broker.put("/pacticipants/Ledger/labels/payments").ok

    page = broker.get("/pacticipants/Ledger", headers=BROWSER).text
    filtered = broker.get("/ui/?label=payments").text
    unfiltered = broker.get("/ui/").text

    assert 'href="' + broker.url + '/ui/?label=payments">payments</a>' in page
    assert "Transfers" in filtered and "Web" not in filtered.split('id="integrations"')[1]
    assert 'id="label-filter"' in unfiltered and "Web" in unfiltered
