"""Security finding 1 (issue #20): user-supplied URLs are http/https only, stored and rendered.

A pacticipant's ``repositoryUrl`` of ``javascript:…`` was rendered as a link on its page (stored
XSS). Every URL a user gives (repository, build, webhook) is now refused when stored (400 naming
the field) and never becomes an ``href`` unless it is http/https, even when an older row holds
one.
"""

import re

import pytest
import sqlalchemy as sa

from tests.broker.conftest import RunningBroker, make_pact, start_broker

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
HOSTILE = ["javascript:alert(document.cookie)", " JaVaScRiPt:alert(1)", "data:text/html,<b>x"]


@pytest.mark.parametrize("url", HOSTILE)
def test_a_script_repository_url_is_refused_naming_the_field(
    broker: RunningBroker, url: str
) -> None:
    created = broker.post("/pacticipants", {"name": "Web", "repositoryUrl": url})
    broker.post("/pacticipants", {"name": "Web"})
    patched = broker.patch("/pacticipants/Web", {"repositoryUrl": url})
    put = broker.put("/pacticipants/Web", {"repositoryUrl": url})

    assert created.status_code == 400, created.text
    assert "repositoryUrl" in created.json()["errors"]
    assert patched.status_code == 400
    assert put.status_code == 400
    assert broker.get("/pacticipants/Web").json().get("repositoryUrl") is None


def test_http_and_https_repository_urls_are_kept(broker: RunningBroker) -> None:
    response = broker.post("/pacticipants", {"name": "Web", "repositoryUrl": "https://git/web"})

    assert response.status_code == 201
    assert response.json()["repositoryUrl"] == "https://git/web"
    page = broker.get("/pacticipants/Web", headers=BROWSER)
    assert 'href="https://git/web"' in page.text


def test_build_urls_must_be_http_everywhere_they_are_stored(broker: RunningBroker) -> None:
    pact = make_pact("Web", "Accounts")
    published = broker.publish("Web", "1", pact, build_url="javascript:alert(1)")
    version = broker.put("/pacticipants/Web/versions/2", {"buildUrl": " JaVaScRiPt:x"})
    broker.publish("Web", "3", pact)
    sha = broker.get("/pacts/provider/Accounts/consumer/Web/latest").json()["_links"][
        "pb:publish-verification-results"
    ]["href"]
    verification = broker.post(
        sha.removeprefix(broker.url),
        {"success": True, "providerApplicationVersion": "9", "buildUrl": "vbscript:x"},
    )

    assert published.status_code == 400
    assert "buildUrl" in published.json()["errors"]
    assert version.status_code == 400
    assert "buildUrl" in version.json()["errors"]
    assert verification.status_code == 400
    assert "buildUrl" in verification.json()["errors"]


def test_a_webhook_url_must_be_http_whatever_the_allowed_schemes(database_url: str) -> None:
    with start_broker(
        database_url,
        webhook_allowed_schemes=["https", "javascript", "ftp"],
        webhook_allowed_hosts=["*"],
    ) as running:
        broker_post = running.post(
            "/webhooks",
            {
                "events": [{"name": "contract_content_changed"}],
                "request": {"method": "POST", "url": "ftp://files.example.com/hook"},
            },
        )

    assert broker_post.status_code == 400
    assert "request.url" in broker_post.json()["errors"]


def test_a_script_url_stored_before_the_check_is_never_an_href(broker: RunningBroker) -> None:
    broker.post("/pacticipants", {"name": "Web"})
    engine = sa.create_engine(broker.database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE pacticipants SET repository_url = :url WHERE name = 'Web'"),
                {"url": " JaVaScRiPt:alert(1)"},
            )
    finally:
        engine.dispose()

    page = broker.get("/pacticipants/Web", headers=BROWSER)

    assert page.status_code == 200
    assert "JaVaScRiPt:alert(1)" in page.text  # shown as text…
    hrefs = re.findall(r'href="([^"]*)"', page.text)
    assert not [h for h in hrefs if "script" in h.lower()]  # …never as a link
