"""The HAL browser (issue #22 §1): a page and a script served by the broker, under the strict
Content-Security-Policy, honouring the public base URL, and clicked through in Chromium from the
API index to a pact."""

import re
from collections.abc import Iterator

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.test_ui_browser import browser  # noqa: F401  (the Chromium fixture)

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_the_page_loads_its_own_script_and_nothing_inline(broker: RunningBroker) -> None:
    page = broker.get("/hal-browser", headers=BROWSER)
    script = broker.get("/hal-browser/hal-browser.js")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "'unsafe-inline'" not in page.headers["content-security-policy"]
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert scripts == [f'<script src="{broker.url}/hal-browser/hal-browser.js" defer>']
    assert f'data-base="{broker.url}"' in page.text
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "application/hal+json" in script.text
    assert ".innerHTML" not in script.text  # every value is set as text


def test_the_ui_header_and_the_api_docs_link_to_it(broker: RunningBroker) -> None:
    index = broker.get("/", headers=BROWSER)
    docs = broker.get("/api-docs")

    assert f'<a href="{broker.url}/hal-browser" id="nav-hal-browser">HAL browser</a>' in index.text
    assert f'id="hal-browser-link" href="{broker.url}/hal-browser"' in docs.text


@pytest.fixture(scope="module")
def prefixed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBroker]:
    """A broker told it is served behind a proxy at ``https://contracts.example/broker``."""
    database = tmp_path_factory.mktemp("prefixed") / "broker.sqlite"
    with start_broker(
        f"sqlite:///{database}", public_base_url="https://contracts.example/broker"
    ) as running:
        yield running


def test_the_page_honours_the_public_base_url_and_its_path_prefix(prefixed: RunningBroker) -> None:
    page = prefixed.get("/hal-browser", headers=BROWSER)

    assert 'data-base="https://contracts.example/broker"' in page.text
    assert '<script src="https://contracts.example/broker/hal-browser/hal-browser.js"' in page.text
    assert 'href="https://contracts.example/broker/ui/accord.css"' in page.text
    assert 'value="https://contracts.example/broker/"' in page.text


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBroker]:
    database = tmp_path_factory.mktemp("hal") / "broker.sqlite"
    with start_broker(f"sqlite:///{database}") as running:
        response = running.publish("Web", "1.0.0", make_pact("Web", "Accounts", "a <b>request</b>"))
        assert response.status_code == 200, response.text
        yield running


def _await_status(browser: WebDriver, expected: str) -> None:  # noqa: F811
    """Wait until the status line says ``expected`` (fetches and hash changes are asynchronous)."""
    line = browser.find_element(By.ID, "hal-status")
    try:
        WebDriverWait(browser, 20).until(lambda _driver: line.text.startswith(expected))
    except TimeoutException:
        pytest.fail(f"the status line says {line.text!r}, expected {expected!r}")


def _follow(browser: WebDriver, rel: str) -> None:  # noqa: F811
    row = browser.find_element(By.CSS_SELECTOR, f'tr.hal-link-row[data-rel="{rel}"] a.hal-link')
    row.click()


def test_a_user_clicks_from_the_index_to_a_pact_in_chromium(
    browser: WebDriver,  # noqa: F811
    published: RunningBroker,
) -> None:
    base = published.url
    browser.get(base + "/hal-browser")

    _await_status(browser, f"GET {base}/ → 200 OK")
    rels = {
        row.get_attribute("data-rel")
        for row in browser.find_elements(By.CSS_SELECTOR, "tr.hal-link-row")
    }
    assert {"pb:latest-pact-versions", "pb:pacticipants", "pb:pacticipant"} <= rels

    _follow(browser, "pb:latest-pact-versions")
    _await_status(browser, f"GET {base}/pacts/latest → 200 OK")
    _follow(browser, "pb:pacts")
    pact_url = f"{base}/pacts/provider/Accounts/consumer/Web/version/1.0.0"
    _await_status(browser, f"GET {pact_url} → 200 OK")
    assert browser.current_url.endswith(
        "/hal-browser#/pacts/provider/Accounts/consumer/Web/version/1.0.0"
    )
    interactions = browser.find_element(
        By.CSS_SELECTOR, '.hal-properties tr[data-property="interactions"]'
    )
    assert "a <b>request</b>" in interactions.text  # shown as text, never as markup
    assert not browser.find_elements(By.CSS_SELECTOR, ".hal-properties b")
    _follow(browser, "pb:consumer")
    _await_status(browser, f"GET {base}/pacticipants/Web → 200 OK")
    browser.back()
    _await_status(browser, f"GET {pact_url} → 200 OK")

    browser.back()
    _await_status(browser, f"GET {base}/pacts/latest → 200 OK")


def test_a_templated_link_is_expanded_from_its_form_in_chromium(
    browser: WebDriver,  # noqa: F811
    published: RunningBroker,
) -> None:
    base = published.url
    browser.get(base + "/hal-browser#/")
    _await_status(browser, f"GET {base}/ → 200 OK")
    form = browser.find_element(
        By.CSS_SELECTOR, 'tr.hal-link-row[data-rel="pb:pacticipant"] form.hal-template'
    )
    form.find_element(By.CSS_SELECTOR, 'input[data-variable="pacticipant"]').send_keys("Web")
    form.find_element(By.CSS_SELECTOR, "button").click()

    _await_status(browser, f"GET {base}/pacticipants/Web → 200 OK")
    name = browser.find_element(By.CSS_SELECTOR, '.hal-properties tr[data-property="name"] td')
    assert name.text == "Web"
    latest = browser.find_element(By.CSS_SELECTOR, '.hal-embedded[data-rel="latestVersion"]')
    latest.find_element(By.CSS_SELECTOR, 'tr[data-rel="self"] a.hal-link').click()
    _await_status(browser, f"GET {base}/pacticipants/Web/versions/1.0.0 → 200 OK")


def test_a_resource_of_another_origin_is_refused_in_chromium(
    browser: WebDriver,  # noqa: F811
    published: RunningBroker,
) -> None:
    browser.get(published.url + "/hal-browser#https://elsewhere.example/")

    _await_status(browser, "Only this broker's resources can be browsed")
    assert not browser.find_elements(By.CSS_SELECTOR, ".hal-resource")
