"""Hostile values (issue #20): never a 5xx, a 400 naming the field, the same on both databases.

Each value here reached a 500 on one database or was accepted and read back differently. What
a database or JSON cannot hold (NaN, Infinity, NUL, lone surrogates, integers beyond 64 bits,
control characters in names, over-long names) is refused with a 400 whose ``errors`` name the
field; what is accepted reads back identically.
"""

import base64
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import requests

from tests.broker.conftest import RunningBroker, make_pact

NAME_LIMIT = 255
"""The documented length limit of names and display names (docs/broker.md), on both databases."""


def _publish_body(content: str, version: str = "1") -> dict[str, Any]:
    return {
        "pacticipantName": "Web",
        "pacticipantVersionNumber": version,
        "contracts": [
            {
                "consumerName": "Web",
                "providerName": "Accounts",
                "specification": "pact",
                "contentType": "application/json",
                "content": base64.b64encode(content.encode()).decode(),
            }
        ],
    }


def _pact_text_with(raw_value: str) -> str:
    """A pact's JSON text whose response body holds ``raw_value`` verbatim (e.g. ``NaN``)."""
    return json.dumps(make_pact()).replace('"id": 1,', f'"id": {raw_value},', 1)


def _post_raw(broker: RunningBroker, path: str, text: str, method: str = "POST") -> Any:
    return requests.request(
        method,
        broker.url + path,
        data=text.encode("utf-8", "surrogatepass"),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )


def _refused(response: requests.Response, field: str) -> list[str]:
    """The messages of a 400 about ``field`` (asserting it is one)."""
    assert response.status_code == 400, (response.status_code, response.text[:300])
    errors = response.json()["errors"]
    assert isinstance(errors, dict), errors
    assert field in errors, (field, errors)
    return list(errors[field])


NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e400"]


def test_non_finite_numbers_in_published_pact_content_are_refused(broker: RunningBroker) -> None:
    path = "contracts[0].content.interactions[0].response.body.content.id"
    for raw in NON_FINITE:
        response = broker.post("/contracts/publish", _publish_body(_pact_text_with(raw)))

        assert any(raw in message and "JSON" in message for message in _refused(response, path))
    assert broker.get("/pacts/provider/Accounts/consumer/Web/latest").status_code == 404


def test_non_finite_numbers_in_a_put_pact_are_refused(broker: RunningBroker) -> None:
    path = "/pacts/provider/Accounts/consumer/Web/version/1"
    for raw in NON_FINITE:
        response = _post_raw(broker, path, _pact_text_with(raw), method="PUT")

        _refused(response, "interactions[0].response.body.content.id")
    assert broker.get(path).status_code == 404


def test_non_finite_numbers_in_verification_results_are_refused(broker: RunningBroker) -> None:
    assert broker.publish("Web", "1", make_pact()).status_code == 200
    pact = broker.get("/pacts/provider/Accounts/consumer/Web/version/1").json()
    results_url = pact["_links"]["pb:publish-verification-results"]["href"]
    results_path = results_url.removeprefix(broker.url)
    for raw in NON_FINITE:
        text = (
            '{"success": true, "providerApplicationVersion": "2",'
            f' "testResults": [{{"interactionId": "x", "duration": {raw}}}]}}'
        )
        _refused(_post_raw(broker, results_path, text), "testResults[0].duration")
    assert broker.get(results_path.rsplit("/", 1)[0] + "/verification-results/1").status_code in (
        404,
        400,
    )


def test_lone_surrogates_are_refused_where_json_is_read(broker: RunningBroker) -> None:
    response = _post_raw(broker, "/pacticipants", '{"name": "Web\\ud800"}')

    _refused(response, "name")
    content = _pact_text_with('"\\udfff"')
    _refused(
        broker.post("/contracts/publish", _publish_body(content)),
        "contracts[0].content.interactions[0].response.body.content.id",
    )


NUL_NAMED: list[tuple[str, str, Callable[[RunningBroker], requests.Response]]] = [
    ("pacticipant body", "name", lambda b: b.post("/pacticipants", {"name": "a\x00b"})),
    ("pacticipant path", "name", lambda b: b.put("/pacticipants/a%00b", {})),
    ("version path", "number", lambda b: b.put("/pacticipants/Web/versions/a%00b")),
    ("tag path", "tag", lambda b: b.put("/pacticipants/Web/versions/1/tags/a%00b")),
    ("branch path", "branch", lambda b: b.put("/pacticipants/Web/branches/a%00b/versions/1")),
    ("label path", "label", lambda b: b.put("/pacticipants/Web/labels/a%00b")),
    (
        "publish tags",
        "tags[0]",
        lambda b: b.post(
            "/contracts/publish",
            {**_publish_body(json.dumps(make_pact())), "tags": ["a\x00b"]},
        ),
    ),
    (
        "publish branch",
        "branch",
        lambda b: b.post(
            "/contracts/publish",
            {**_publish_body(json.dumps(make_pact())), "branch": "a\x00b"},
        ),
    ),
    (
        "environment",
        "name",
        lambda b: b.post("/environments", {"name": "a\x00b", "production": False}),
    ),
    ("lookup by path", "name", lambda b: b.get("/pacticipants/a%00b")),
    (
        "matrix query",
        "q[][pacticipant]",
        lambda b: b.get("/matrix", params={"q[][pacticipant]": "a\x00b", "q[][latest]": "true"}),
    ),
    ("display name", "displayName", lambda b: b.patch("/pacticipants/Web", {"displayName": "\0"})),
]


def test_nul_in_names_and_tags_is_a_400_naming_the_field(broker: RunningBroker) -> None:
    assert broker.put("/pacticipants/Web/versions/1").status_code == 201
    for label, field, send in NUL_NAMED:
        response = send(broker)

        assert response.status_code == 400, (label, response.status_code, response.text[:300])
        assert field in response.json()["errors"], (label, response.json())
    assert [p["name"] for p in broker.get("/pacticipants").json()["_embedded"]["pacticipants"]] == [
        "Web"
    ]


CONTROL = ["two\nlines", "carriage\rreturn", "bell\x07", "tab\there", "del\x7f", "next\u0085line"]


def test_control_characters_in_display_names_are_refused(broker: RunningBroker) -> None:
    assert broker.post("/pacticipants", {"name": "Web", "displayName": "Web"}).status_code == 201
    for value in CONTROL:
        _refused(broker.patch("/pacticipants/Web", {"displayName": value}), "displayName")
        env = broker.post(
            "/environments", {"name": "prod", "displayName": value, "production": True}
        )
        _refused(env, "displayName")
    assert broker.get("/pacticipants/Web").json()["displayName"] == "Web"


def test_length_limits_are_the_same_on_both_databases(broker: RunningBroker) -> None:
    longest = "é" * NAME_LIMIT
    too_long = "x" * 2000

    _refused(broker.patch("/pacticipants/Web", {"displayName": too_long}), "displayName")
    _refused(broker.post("/pacticipants", {"name": "n" * (NAME_LIMIT + 1)}), "name")
    for field in ("repositoryName", "repositoryNamespace", "mainBranch"):
        _refused(broker.patch("/pacticipants/Web", {field: too_long}), field)
    env = broker.post("/environments", {"name": "prod", "displayName": too_long})
    _refused(env, "displayName")

    accepted = broker.patch("/pacticipants/Web", {"displayName": longest})
    assert accepted.status_code in (200, 201), accepted.text[:300]
    assert broker.get("/pacticipants/Web").json()["displayName"] == longest
    number = "9" * NAME_LIMIT
    assert broker.put(f"/pacticipants/Web/versions/{number}").status_code == 201
    assert broker.get(f"/pacticipants/Web/versions/{number}").json()["number"] == number


HUGE = str(2**64)


HUGE_PARAMETERS = [
    ("/matrix?q[][pacticipant]=Web&q[][pacticipant]=Accounts&latestby=cvpv&limit=" + HUGE, ""),
    ("/matrix?q[][pacticipant]=Web&q[][latest]=true&limit=" + "9" * 40, ""),
    ("/matrix?q[][pacticipant]=Web&q[][latest]=true&limit=%C2%B2", ""),  # superscript two
    ("/ui/?page=1e20", "page"),
    ("/ui/?page=" + HUGE, "page"),
    ("/ui/?pageSize=" + HUGE, "pageSize"),
    ("/pacticipants/Web/versions?page=" + HUGE, "page"),
    ("/pacticipants/Web/versions?size=" + HUGE, "size"),
]


def test_integers_beyond_64_bits_are_a_400(broker: RunningBroker) -> None:
    assert broker.publish("Web", "1", make_pact()).status_code == 200
    for path, field in HUGE_PARAMETERS:
        response = broker.get(path, headers={"Accept": "application/hal+json"})

        assert response.status_code == 400, (path, response.status_code, response.text[:300])
        errors = response.json()["errors"]
        if field:
            assert any(field in key for key in errors), (path, errors)
        else:  # /matrix answers the Pact Broker's plain list of sentences
            assert any("limit" in message for message in errors), (path, errors)


def test_a_huge_verification_result_number_is_not_found(broker: RunningBroker) -> None:
    assert broker.publish("Web", "1", make_pact()).status_code == 200
    pact = broker.get("/pacts/provider/Accounts/consumer/Web/version/1").json()
    base = pact["_links"]["pb:publish-verification-results"]["href"].removeprefix(broker.url)

    for number in (HUGE, "\u00b2"):
        response = broker.get(f"{base}/{quote(number)}")
        assert response.status_code in (400, 404), (number, response.status_code)
        hooks = broker.get(f"{base}/{quote(number)}/triggered-webhooks")
        assert hooks.status_code in (400, 404), (number, hooks.status_code)


UNICODE_VERSION = "1.0.0-é✓😀"
UNICODE_TAG = "prod-🚀"
UNICODE_BRANCH = "feat/ünïcode"


def test_a_unicode_version_reads_back_identically_everywhere(broker: RunningBroker) -> None:
    published = broker.publish(
        "Web", UNICODE_VERSION, make_pact(), branch=UNICODE_BRANCH, tags=[UNICODE_TAG]
    )
    assert published.status_code == 200, published.text[:300]
    v = quote(UNICODE_VERSION, safe="")
    reads = [
        f"/pacticipants/Web/versions/{v}",
        "/pacticipants/Web/versions",
        "/pacticipants/Web/latest-version",
        f"/pacticipants/Web/latest-version/{quote(UNICODE_TAG, safe='')}",
        f"/pacticipants/Web/branches/{quote(UNICODE_BRANCH, safe='')}/versions",
        f"/pacts/provider/Accounts/consumer/Web/version/{v}",
        f"/pacts/provider/Accounts/consumer/Web/latest/{quote(UNICODE_TAG, safe='')}",
        f"/matrix?q[][pacticipant]=Web&q[][version]={v}&latestby=cvp",
        f"/can-i-deploy?pacticipant=Web&version={v}&to=prod",
        "/pacts/provider/Accounts/consumer/Web/latest/badge",
        "/ui/",
        "/ui/pacticipants/Web",
        f"/ui/pacts/provider/Accounts/consumer/Web/version/{v}",
    ]
    for path in reads:
        response = broker.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
    version = broker.get(f"/pacticipants/Web/versions/{v}").json()
    assert version["number"] == UNICODE_VERSION
    assert [t["name"] for t in version["_embedded"]["tags"]] == [UNICODE_TAG]
    assert [b["name"] for b in version["_embedded"]["branchVersions"]] == [UNICODE_BRANCH]


def test_version_names_in_results_and_deployments_follow_the_name_rules(
    broker: RunningBroker,
) -> None:
    assert broker.publish("Web", "1", make_pact()).status_code == 200
    assert broker.post("/environments", {"name": "prod", "production": True}).status_code == 201
    pact = broker.get("/pacts/provider/Accounts/consumer/Web/version/1").json()
    results = pact["_links"]["pb:publish-verification-results"]["href"].removeprefix(broker.url)
    env = broker.get("/environments").json()["_embedded"]["environments"][0]["uuid"]
    deploy = f"/pacticipants/Web/versions/1/deployed-versions/environment/{env}"

    for value in ("a\x00b", "two\nlines", "x" * (NAME_LIMIT + 1)):
        result = broker.post(results, {"success": True, "providerApplicationVersion": value})
        _refused(result, "providerApplicationVersion")
        _refused(broker.post(deploy, {"applicationInstance": value}), "applicationInstance")
    instance = "é" * NAME_LIMIT
    recorded = broker.post(deploy, {"applicationInstance": instance})
    assert recorded.status_code == 201, recorded.text[:300]
    assert recorded.json()["applicationInstance"] == instance
