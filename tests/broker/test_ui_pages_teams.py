"""The team pages (issue #22 §4) over HTTP on SQLite and PostgreSQL: what each page says, that
secrets stay hidden, that each page is linked from the others, and that each costs a fixed
number of statements however much data there is."""

import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from accord_broker.db import Database

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.test_ui_pages import _counting
from tests.broker.ui_seed import verify
from tests.broker.ui_team_seed import FAILED_RESULTS, SECRET, seed_team_pages
from tests.broker.webhook_receiver import WEBHOOK_SETTINGS, Receiver, running_receiver

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def seeded(database_url: str, receiver: Receiver) -> Iterator[tuple[RunningBroker, dict[str, str]]]:
    with start_broker(database_url, **WEBHOOK_SETTINGS) as running:
        yield running, seed_team_pages(running, receiver)


def _text(html: str) -> str:
    """The page's text without tags, whitespace collapsed, entities decoded."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _headers_everywhere(html: str) -> None:
    """Every table has a header cell for every column of its first body row."""
    for table in re.findall(r"<table[^>]*>.*?</table>", html, flags=re.S):
        head = re.search(r"<thead>(.*?)</thead>", table, flags=re.S)
        body_row = re.search(r"<tbody>\s*<tr[^>]*>(.*?)</tr>", table, flags=re.S)
        if head is None or body_row is None:
            continue
        headers = re.findall(r"<th[^>]*>(.*?)</th>", head.group(1), flags=re.S)
        assert all(_text(h) for h in headers), ("an empty column header", headers)
        cells = len(re.findall(r"<td[\s>]", body_row.group(1)))
        assert cells <= len(headers), (headers, body_row.group(1)[:300])


def test_a_verification_result_reads_as_the_verifier_printed_it(
    seeded: tuple[RunningBroker, dict[str, str]],
) -> None:
    broker, paths = seeded

    page = broker.get(paths["verification"], headers=BROWSER)
    api = broker.get(paths["verification"])

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert api.headers["content-type"].startswith("application/hal+json")
    text = _text(page.text)
    assert "Verification 1: Accounts verifying Web" in text
    assert "2.1.0 main" in text  # the provider version with its branch
    assert "1.1.0 feat/x" in text  # the consumer version that published this content
    assert "https://ci.example.com/accounts/builds/42" in page.text
    outcomes = re.findall(r'<tr class="outcome" data-success="(\w+)"', page.text)
    assert outcomes == ["true", "false"]
    mismatch = FAILED_RESULTS[1]["mismatches"][0]
    assert f"body $.name : {mismatch['description']}" in text
    assert '<code class="expected">a request for account 2</code>' in page.text
    assert '<code class="actual">Ada</code>' in page.text
    assert '<code class="expected">200</code>' in page.text
    assert '<span class="add">+  &#34;name&#34;: &#34;Ada&#34;</span>' in page.text
    assert "2 , 1 failed" in text or "(2, 1 failed)" in text
    _headers_everywhere(page.text)


def test_the_matrix_and_the_index_link_the_verification_page(
    seeded: tuple[RunningBroker, dict[str, str]],
) -> None:
    broker, paths = seeded
    number_path = paths["verification"]
    ui_path = "/ui" + number_path

    matrix = broker.get("/ui/matrix/provider/Accounts/consumer/Web").text
    index = broker.get("/ui/").text

    assert broker.get(ui_path).status_code == 200
    assert number_path.rsplit("/metadata/", 1)[0].split("/verification-results")[0] in matrix
    pair = f"{broker.url}/ui/pacts/provider/Accounts/consumer/Web"
    assert f'href="{pair}/latest-verification"' in index  # the latest verification...
    assert f'href="{pair}/latest"' in index  # ...and the published pact
    latest = broker.get("/ui/pacts/provider/Accounts/consumer/Web/latest-verification").text
    assert "Verification 1: Accounts verifying Web" in _text(latest)
    assert "2.1.0" in _text(latest)
    never = broker.get("/ui/pacts/provider/Accounts/consumer/Transfers/latest-verification")
    assert never.status_code == 404
    _headers_everywhere(index)


def test_a_missing_verification_is_a_404_page(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts"))

    missing = broker.get(
        "/ui/pacts/provider/Accounts/consumer/Web/pact-version/abc/verification-results/1"
    )
    not_a_number = broker.get(
        "/ui/pacts/provider/Accounts/consumer/Web/pact-version/abc/verification-results/x"
    )

    assert missing.status_code == 404 and 'id="not-found"' in missing.text
    assert "with sha abc" in _text(missing.text)
    assert not_a_number.status_code == 404


def test_environments_say_what_runs_where_now_and_before(
    seeded: tuple[RunningBroker, dict[str, str]],
) -> None:
    broker, _ = seeded

    overview = broker.get("/ui/environments").text
    staging = broker.get("/ui/environments/staging").text
    only_web = broker.get("/ui/environments/staging?pacticipant=Web").text

    production = re.search(r'data-environment="production".*?</section>', overview, re.S)
    assert production is not None
    assert "production" in _text(production.group(0))
    assert re.findall(r'data-pacticipant="(\w+)"', production.group(0)) == ["Accounts", "Web"]
    now, before = staging.split('id="history"')
    assert "Web 1.1.0 feat/x deployed" in _text(now)
    assert "Accounts 2.0.0 main released" in _text(now)
    assert "Web 1.0.0 main deployed" in _text(before)
    assert "Accounts" not in _text(only_web.split('id="current"')[1])
    assert broker.get("/ui/environments/nowhere").status_code == 404
    _headers_everywhere(staging)


def test_a_pacticipant_page_shows_each_versions_status_and_where_it_is(
    seeded: tuple[RunningBroker, dict[str, str]],
) -> None:
    broker, _ = seeded

    web = broker.get("/ui/pacticipants/Web").text
    accounts = broker.get("/ui/pacticipants/Accounts").text

    rows = {
        m[0]: m[1]
        for m in re.findall(
            r'<tr class="version-row" data-version="([^"]+)" data-status="(\w+)"', web
        )
    }
    # 1.0.0: Accounts verified its pact, Transfers failed its other one
    assert rows == {"1.2.0": "never", "1.1.0": "failed", "1.0.0": "failed"}
    assert "team-web" in _text(web)
    assert re.search(r"1\.0\.0.*?production.*?staging", _text(web.split('id="versions"')[1]))
    provider_rows = dict(
        re.findall(r'<tr class="version-row" data-version="([^"]+)" data-status="(\w+)"', accounts)
    )
    assert provider_rows["2.1.0"] == "failed" and provider_rows["2.0.0"] == "success"
    _headers_everywhere(web)


def test_the_pacticipants_page_lists_and_filters_by_label(
    seeded: tuple[RunningBroker, dict[str, str]],
) -> None:
    broker, _ = seeded

    every = broker.get("/ui/pacticipants").text
    core = broker.get("/ui/pacticipants?label=team-core").text

    assert re.findall(r'<tr class="pacticipant" data-name="(\w+)"', every) == [
        "Accounts",
        "Transfers",
        "Web",
    ]
    assert re.findall(r'<tr class="pacticipant" data-name="(\w+)"', core) == [
        "Accounts",
        "Transfers",
    ]
    assert "1.2.0 feat/y" in _text(every)
    _headers_everywhere(every)


def test_a_webhook_page_shows_deliveries_and_never_a_secret(
    seeded: tuple[RunningBroker, dict[str, str]],
) -> None:
    broker, paths = seeded

    listing = broker.get("/ui/webhooks").text
    page = broker.get(paths["webhook"]).text

    assert "tell CI about Web&#39;s pacts" in listing or "tell CI about Web's pacts" in listing
    assert SECRET not in listing and SECRET not in page
    assert "**********" in page
    assert 'data-status="success"' in page  # the delivery
    assert 'class="execution"' in page
    assert 'id="test-webhook"' in page  # no authentication: everyone may test
    assert "/ui/static/webhook-test.js" in page
    script = broker.get("/ui/static/webhook-test.js")
    assert script.status_code == 200 and "application/json" in script.text
    _headers_everywhere(listing)


def test_only_write_users_get_the_test_button(database_url: str) -> None:
    auth = {
        "basic_auth_username": "admin",
        "basic_auth_password": "pw",
        "basic_auth_read_only_username": "reader",
        "basic_auth_read_only_password": "ro",
        **WEBHOOK_SETTINGS,
        "webhook_worker_enabled": False,
    }
    with start_broker(database_url, **auth) as running:
        assert running.publish("Web", "1", make_pact("Web", "Accounts")).ok
        body = {
            "events": [{"name": "contract_published"}],
            "request": {"method": "POST", "url": "http://127.0.0.1:9/x"},
        }
        uuid = running.post("/webhooks/provider/Accounts/consumer/Web", body).json()["uuid"]
        as_writer = running.get(f"/ui/webhooks/{uuid}").text
        as_reader = running.get(f"/ui/webhooks/{uuid}", auth=("reader", "ro")).text

    assert 'id="test-webhook"' in as_writer
    assert 'id="test-webhook"' not in as_reader


def test_can_i_deploy_gives_the_apis_reasons(
    seeded: tuple[RunningBroker, dict[str, str]],
) -> None:
    broker, _ = seeded
    query = "pacticipant=Web&version=1.1.0&environment=production"

    page = broker.get(f"/ui/can-i-deploy?{query}").text
    api = broker.get(f"/can-i-deploy?{query}").json()
    good = broker.get("/ui/can-i-deploy?pacticipant=Accounts&version=2.0.0&environment=production")

    assert api["summary"]["deployable"] is not True  # never verified against production
    assert 'data-deployable="none"' in page and "Computer says no" in page
    reasons = [_text(r) for r in re.findall(r'<span class="text">(.*?)</span>', page, re.S)]
    assert reasons
    for reason in reasons:
        assert reason in api["summary"]["reason"]
    evidence = page.split('id="reasons"')[1].split("</ul>")[0]
    assert "/ui/pacts/provider/Accounts/consumer/Web/version/1.1.0" in evidence
    assert "/branches/feat%2Fy/latest-version/can-i-deploy/to-environment/production/badge" in page
    good_api = broker.get("/can-i-deploy?pacticipant=Accounts&version=2.0.0&environment=production")
    assert good_api.json()["summary"]["deployable"] is True
    assert 'data-deployable="true"' in good.text and "Computer says yes" in good.text
    _headers_everywhere(page)


def test_can_i_deploy_names_what_is_wrong_with_the_question(broker: RunningBroker) -> None:
    broker.publish("Web", "1", make_pact("Web", "Accounts"))

    empty = broker.get("/ui/can-i-deploy")
    wrong = broker.get("/ui/can-i-deploy?pacticipant=Nobody&version=1&environment=moon")

    assert empty.status_code == 200 and 'id="can-i-deploy-form"' in empty.text
    assert 'id="can-i-deploy-problems"' not in empty.text
    problems = _text(wrong.text.split('id="can-i-deploy-problems"')[1])
    assert "No pacticipant with name 'Nobody' found" in problems
    assert "No environment found with name 'moon'" in problems


def test_the_network_filters_by_label_colours_by_environment_and_focuses(
    seeded: tuple[RunningBroker, dict[str, str]],
) -> None:
    broker, _ = seeded

    web_team = broker.get("/ui/network?label=team-web").text
    production = broker.get("/ui/network?environment=production").text
    focus = broker.get("/ui/network?pacticipant=Transfers").text

    edges = set(re.findall(r'data-consumer="(\w+)" data-provider="(\w+)"', web_team))
    assert edges == {("Web", "Accounts"), ("Web", "Transfers")}
    classes = dict(
        (name, cls)
        for cls, name in re.findall(r'class="node([^"]*)" data-name="(\w+)"', production)
    )
    assert "deployed" in classes["Web"] and "deployed" in classes["Accounts"]
    assert "absent" in classes["Transfers"]
    assert set(re.findall(r'data-consumer="(\w+)" data-provider="(\w+)"', focus)) == {
        ("Web", "Transfers"),
        ("Transfers", "Accounts"),
    }
    assert "/ui/network?pacticipant=Web" in focus  # a neighbour: click to focus on it


def test_an_empty_broker_says_how_to_publish_a_first_pact(broker: RunningBroker) -> None:
    index = broker.get("/", headers=BROWSER).text

    assert 'id="first-pact"' in index
    assert "accord publish" in index and "<table" not in index
    for path in ("/ui/pacticipants", "/ui/environments", "/ui/webhooks", "/ui/network"):
        assert broker.get(path).status_code == 200, path


def test_every_page_links_to_the_others(seeded: tuple[RunningBroker, dict[str, str]]) -> None:
    broker, paths = seeded
    pages = {
        "/ui/": "index",
        "/ui/pacticipants": "pacticipants",
        "/ui/environments": "environments",
        "/ui/webhooks": "webhooks",
        "/ui/network": "network",
        "/ui/can-i-deploy": "can-i-deploy",
        "/ui/pacticipants/Web": "pacticipant",
        paths["webhook"]: "webhook",
        "/ui" + paths["verification"]: "verification",
    }
    for path in pages:
        html = broker.get(path).text
        for target in ("/ui/pacticipants", "/ui/environments", "/ui/webhooks", "/ui/network"):
            assert f'href="{broker.url}{target}"' in html, (path, target)
        assert f'href="{broker.url}/ui/can-i-deploy"' in html, path


def _statements(database: Database, load: Any) -> int:
    with _counting(database) as seen, database.read_session() as session:
        load(session)
    return len(seen)


@pytest.fixture
def hooked_broker(database_url: str) -> Iterator[RunningBroker]:
    """A broker that accepts webhooks to the loopback (and delivers none)."""
    settings = {**WEBHOOK_SETTINGS, "webhook_worker_enabled": False}
    with start_broker(database_url, **settings) as running:
        yield running


def test_the_team_pages_cost_the_same_statements_for_little_or_much_data(
    hooked_broker: RunningBroker,
) -> None:
    broker = hooked_broker
    from accord_broker.domain.deployments.environment_overview import (
        load_environment,
        load_environments,
    )
    from accord_broker.domain.integrations.network import load_network
    from accord_broker.domain.pacticipants.pacticipant_list import load_pacticipant_list
    from accord_broker.domain.pacticipants.pacticipant_overview import load_pacticipant_page
    from accord_broker.domain.verifications.verification_page import load_verification_page
    from accord_broker.domain.webhooks.overview import load_webhooks

    env = broker.post("/environments", {"name": "production", "production": True}).json()["uuid"]

    def grow(first: int, last: int) -> None:
        for n in range(first, last):
            pact = make_pact(f"App{n:02d}", "Accounts")
            assert broker.publish(f"App{n:02d}", "1", pact, branch="main").ok
            verify(broker, f"App{n:02d}", "Accounts", pact, str(n), success=n % 2 == 0)
            path = f"/pacticipants/App{n:02d}/versions/1/deployed-versions/environment/{env}"
            assert broker.post(path, {}).status_code == 201
            assert broker.put(f"/pacticipants/App{n:02d}/labels/team{n % 3}").ok
            hook = {
                "events": [{"name": "contract_published"}],
                "request": {"method": "POST", "url": "http://127.0.0.1:9/x"},
            }
            created = broker.post(f"/webhooks/provider/Accounts/consumer/App{n:02d}", hook)
            assert created.status_code == 201, created.text

    def sha(session: Any) -> str:
        from accord_broker.domain.pacts.pacts import latest_pact

        return latest_pact(session, "Accounts", "App00").pact_version.sha

    loads = {
        "pacticipants": load_pacticipant_list,
        "environments": load_environments,
        "environment": lambda s: load_environment(s, "production"),
        "network": lambda s: load_network(s, label="team0", environment="production"),
        "webhooks": load_webhooks,
        "verification": lambda s: load_verification_page(s, "Accounts", "App00", sha(s), 1),
        "pacticipant": lambda s: load_pacticipant_page(s, "Accounts"),
    }
    database = Database(broker.database_url)
    try:
        grow(0, 2)
        few = {name: _statements(database, load) for name, load in loads.items()}
        grow(2, 14)
        many = {name: _statements(database, load) for name, load in loads.items()}
    finally:
        database.dispose()

    assert many == few
    assert max(many.values()) <= 24, many


RICH_PACT: dict[str, Any] = {
    "consumer": {"name": "Web"},
    "provider": {"name": "Accounts"},
    "metadata": {"pactSpecification": {"version": "4.0"}},
    "interactions": [
        {
            "type": "Synchronous/HTTP",
            "description": "get account 7",
            "providerStates": [{"name": "an account exists", "params": {"id": 7}}],
            "request": {
                "method": "GET",
                "path": "/accounts/7",
                "matchingRules": {
                    "path": {
                        "combine": "AND",
                        "matchers": [{"match": "regex", "regex": "/accounts/\\d+"}],
                    }
                },
                "generators": {"path": {"type": "ProviderState", "expression": "/accounts/${id}"}},
            },
            "response": {
                "status": 200,
                "body": {
                    "content": {"id": 7, "name": "Ada", "items": [{"sku": "A1"}]},
                    "contentType": "application/json",
                    "encoded": False,
                },
                "matchingRules": {
                    "body": {
                        "$.id": {"combine": "AND", "matchers": [{"match": "integer"}]},
                        "$.items[*].sku": {
                            "combine": "AND",
                            "matchers": [{"match": "regex", "regex": "[A-Z]\\d"}],
                        },
                    }
                },
                "generators": {"body": {"$.id": {"type": "RandomInt", "min": 1, "max": 10}}},
            },
        },
        {
            "type": "Asynchronous/Messages",
            "description": "a transfer completed",
            "contents": {
                "content": {"amount": 10.5},
                "contentType": "application/json",
                "encoded": False,
            },
            "metadata": {"topic": "transfers"},
            "matchingRules": {
                "body": {"$.amount": {"combine": "AND", "matchers": [{"match": "decimal"}]}}
            },
        },
        {
            "type": "Synchronous/Messages",
            "description": "a balance query",
            "request": {
                "contents": {
                    "content": {"account": 7},
                    "contentType": "application/json",
                    "encoded": False,
                }
            },
            "response": [
                {
                    "contents": {
                        "content": {"balance": 100},
                        "contentType": "application/json",
                        "encoded": False,
                    },
                    "matchingRules": {
                        "body": {"$.balance": {"combine": "AND", "matchers": [{"match": "number"}]}}
                    },
                }
            ],
        },
    ],
}


def test_a_pact_page_shows_rules_and_generators_beside_the_examples(broker: RunningBroker) -> None:
    assert broker.publish("Web", "1", make_pact("Web", "Accounts")).ok
    assert broker.publish("Web", "2", RICH_PACT).ok

    page = broker.get("/ui/pacts/provider/Accounts/consumer/Web/version/2").text

    rows = [
        _text(r) for r in re.findall(r'<tr class="rule" data-category="\w+">(.*?)</tr>', page, re.S)
    ]
    assert "body $.id 7 integer RandomInt(min=1, max=10)" in rows
    assert 'body $.items[*].sku A1 regex(regex="[A-Z]\\\\d") —' in rows
    assert any(r.startswith("path ") and "/accounts/7" in r and "ProviderState" in r for r in rows)
    assert "body $.amount 10.5 decimal —" in rows
    assert "body $.balance 100 number —" in rows
    kinds = re.findall(r'<span class="kind">(.*?)</span>', page)
    assert kinds == ["HTTP", "Message", "Synchronous message"]
    assert "Given <strong>an account exists</strong>" in page and "&#34;id&#34;: 7" in page
    diff_link = re.search(r'id="diff-previous" href="([^"]+)"', page)
    assert diff_link is not None
    diff = broker.get(diff_link.group(1).removeprefix(broker.url))
    assert diff.status_code == 200 and "get account 7" in diff.text
    _headers_everywhere(page)
