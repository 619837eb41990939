"""Every relation the broker advertises answers: a walk from the HAL index through every `_links`.

A client (the HAL browser, `pact broker`, a user clicking through) discovers the API from the
index and follows what it finds. The walk below seeds a history the way the clients would
(pacticipants, versions, branches, tags, labels, pacts, verification results, environments,
deployments, releases, webhooks), then follows every link of every resource it reaches,
templated ones expanded with real values, and the curies' documentation of every relation. A
link that answers 404, or an answer that is not what its content type says, fails the test
with the relation, the resource that advertised it and the answer.
"""

import json
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree

import pytest
import requests

from accord.pact import content_sha
from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.webhook_receiver import WEBHOOK_SETTINGS, webhook_body

WRITE_ONLY = {
    "pb:publish-contracts": "POST",
    "pb:publish-verification-results": "POST",
    "pb:execute": "POST",
    "pb:delete_integration": "DELETE",
    "pf:publish-provider-contract": "POST",
}
"""Relations advertised for a method other than GET: they must answer 405 to GET, not 404."""

MAX_RESOURCES = 600
"""A guard against a walk that never ends (links that build ever longer URLs)."""


@dataclass(frozen=True)
class Advertised:
    """One link found while walking: its relation, its URL and the resource that advertised it."""

    relation: str
    href: str
    found_at: str


@dataclass(frozen=True)
class Seeded:
    """The real values the templated links are expanded with."""

    values: dict[str, str]
    by_relation: dict[str, dict[str, str]]
    by_pacticipant: dict[str, dict[str, str]]
    """Values for links under ``/pacticipants/{name}/`` (that pacticipant's versions, labels)."""


@pytest.fixture
def broker(database_url: str) -> Iterator[RunningBroker]:
    settings = {**WEBHOOK_SETTINGS, "webhook_worker_enabled": False}
    with start_broker(database_url, **settings) as running:
        yield running


def _ok(response: requests.Response) -> requests.Response:
    assert response.ok, f"{response.request.method} {response.url}: {response.text}"
    return response


def seed_history(broker: RunningBroker) -> Seeded:
    """A small but complete history, made through the API as the official clients make it."""
    web_accounts = make_pact("Web", "Accounts", "a request for account 1")
    changed = make_pact("Web", "Accounts", "a request for account 1", "a request for account 2")
    _ok(broker.publish("Web", "1.0.0", web_accounts, branch="main", tags=["prod"]))
    _ok(broker.publish("Web", "1.1.0", changed, branch="main", tags=["prod"]))
    _ok(broker.put("/pacticipants/Accounts/branches/main/versions/2.0.0"))
    _ok(broker.put("/pacticipants/Accounts/versions/2.0.0/tags/prod"))
    _ok(broker.patch("/pacticipants/Web", {"mainBranch": "main"}))
    _ok(broker.put("/pacticipants/Web/labels/team-a"))
    _ok(broker.put("/pacticipants/Accounts/labels/team-b"))
    for pact in (web_accounts, changed):
        sha = content_sha(pact)
        results = f"/pacts/provider/Accounts/consumer/Web/pact-version/{sha}/verification-results"
        _ok(broker.post(results, {"providerApplicationVersion": "2.0.0", "success": True}))
    environment = _ok(broker.post("/environments", {"name": "production", "production": True}))
    env_uuid = environment.json()["uuid"]
    for pacticipant, number in (("Web", "1.1.0"), ("Accounts", "2.0.0")):
        version = f"/pacticipants/{pacticipant}/versions/{number}"
        _ok(broker.post(f"{version}/deployed-versions/environment/{env_uuid}", {}))
        _ok(broker.post(f"{version}/released-versions/environment/{env_uuid}", {}))
    hook = _ok(
        broker.post(
            "/webhooks/provider/Accounts/consumer/Web",
            webhook_body("http://127.0.0.1:9/hook", "contract_content_changed"),
        )
    )
    webhook_uuid = hook.json()["uuid"]
    values = {
        "provider": "Accounts",
        "consumer": "Web",
        "pacticipant": "Web",
        "consumerApplicationVersion": "1.1.0",
        "version": "1.1.0",
        "tag": "prod",
        "environmentTag": "prod",
        "to": "prod",
        "branch": "main",
        "environment": "production",
        "label": "team-a",
        "pactVersion": content_sha(web_accounts),
        "uuid": env_uuid,
    }
    by_relation = {"pb:webhook": {"uuid": webhook_uuid}}
    by_pacticipant = {"Accounts": {"version": "2.0.0", "label": "team-b"}}
    return Seeded(values=values, by_relation=by_relation, by_pacticipant=by_pacticipant)


def expand(template: str, relation: str, seeded: Seeded) -> str:
    """RFC 6570 level-1 expansion with the seeded values (path and query values encoded)."""
    owner = re.search(r"/pacticipants/([^/{]+)/", template)
    own = seeded.by_pacticipant.get(owner.group(1), {}) if owner else {}
    values = {**seeded.values, **own, **seeded.by_relation.get(relation, {})}

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"no seeded value for {{{name}}} in {relation}: {template}"
        return quote(values[name], safe="")

    return re.sub(r"\{([A-Za-z_]+)\}", value, template)


def links_of(document: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (relation, link object) in a HAL document, its embedded resources included."""
    if isinstance(document, list):
        for item in document:
            yield from links_of(item)
        return
    if not isinstance(document, dict):
        return
    for key, value in document.items():
        if key == "_links" and isinstance(value, dict):
            for relation, target in value.items():
                for one in target if isinstance(target, list) else [target]:
                    if isinstance(one, dict) and "href" in one:
                        yield relation, one
        else:
            yield from links_of(value)


def check_well_formed(response: requests.Response, where: Advertised) -> Any:
    """The body parses as its content type says; returns the JSON document if it is one."""
    media = response.headers.get("content-type", "").split(";")[0].strip()
    context = f"{where.relation} from {where.found_at}: {where.href} ({media})"
    assert media, f"{context}: no content type"
    if media.endswith("json"):
        try:
            return response.json()
        except ValueError as error:
            raise AssertionError(f"{context}: not JSON: {response.text[:200]}") from error
    if media == "image/svg+xml":
        ElementTree.fromstring(response.text)
    elif media == "text/html":
        assert "<html" in response.text.lower(), f"{context}: not an HTML page"
    elif media == "text/csv":
        assert response.text == "" or "," in response.text, f"{context}: not CSV"
    else:
        assert media.startswith("text/"), f"{context}: unexpected content type"
    return None


def walk(broker: RunningBroker, seeded: Seeded) -> list[str]:
    """Follow every advertised link from the index; returns what answered 404 or badly."""
    base = broker.url
    queue: deque[Advertised] = deque([Advertised("index", base + "/", "(start)")])
    seen: set[str] = {base + "/"}
    curies: dict[str, str] = {}
    documented: set[str] = set()
    problems: list[str] = []
    while queue:
        assert len(seen) < MAX_RESOURCES, "the walk does not end: links keep growing"
        where = queue.popleft()
        method_for_link = WRITE_ONLY.get(where.relation)
        response = requests.get(
            where.href, headers={"Accept": "application/hal+json, */*"}, timeout=30
        )
        if method_for_link is not None:
            if response.status_code != 405:
                problems.append(f"{where}: GET answered {response.status_code}, expected 405")
            continue
        if response.status_code >= 400:
            problems.append(f"{where}: {response.status_code} {response.text[:200]}")
            continue
        document = check_well_formed(response, where)
        for relation, target in links_of(document):
            if relation == "curies":
                curies[target["name"]] = target["href"]
                continue
            href = target["href"]
            if target.get("templated") or "{" in href:
                href = expand(href, relation, seeded)
            if not href.startswith(base) or href in seen:
                continue
            prefix = relation.split(":", 1)[0] if ":" in relation else None
            if prefix is not None:
                documented.add(relation)
            seen.add(href)
            queue.append(Advertised(relation, href, where.href))
    for relation in sorted(documented):
        prefix, name = relation.split(":", 1)
        if prefix not in curies:
            continue  # documented elsewhere (PactFlow's ``pf:`` relations), not by a curie
        href = curies[prefix].replace("{rel}", name)
        response = requests.get(href, headers={"Accept": "text/html"}, timeout=30)
        if response.status_code != 200:
            problems.append(f"doc of {relation}: {href} answered {response.status_code}")
        else:
            check_well_formed(response, Advertised(f"doc of {relation}", href, "curies"))
    return problems


def test_every_advertised_link_answers(broker: RunningBroker) -> None:
    seeded = seed_history(broker)

    problems = walk(broker, seeded)

    assert not problems, "advertised links that do not answer:\n" + "\n".join(problems)


def test_the_walk_reaches_the_relations_the_issue_names(broker: RunningBroker) -> None:
    """Guards the walk itself: the relations that once answered 404 are really followed."""
    seed_history(broker)
    index = broker.get("/").json()["_links"]
    for relation, path in (
        ("pb:metrics", "/metrics"),
        ("pb:integrations", "/integrations"),
    ):
        assert urlsplit(index[relation]["href"]).path == path
        assert broker.get(path).status_code == 200, relation
    pacticipants = broker.get("/pacticipants").json()["_links"]
    with_label = pacticipants["pb:pacticipants-with-label"]["href"].replace("{label}", "team-a")
    listed = broker.get(urlsplit(with_label).path).json()
    assert [p["name"] for p in listed["_embedded"]["pacticipants"]] == ["Web"]
    assert json.dumps(listed)  # a HAL document, not an error page
