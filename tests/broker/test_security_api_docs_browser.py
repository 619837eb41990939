"""Security finding 2 (issue #20) in a real browser: Swagger UI, served by the broker, runs
under the strict Content-Security-Policy (no inline script, nothing from a CDN)."""

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.test_ui_browser import browser  # noqa: F401  (the Chromium fixture)


@pytest.fixture(scope="module")
def docs_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBroker]:
    database = tmp_path_factory.mktemp("docs") / "broker.sqlite"
    with start_broker(f"sqlite:///{database}") as running:
        yield running


def test_swagger_ui_runs_under_the_policy_in_chromium(
    browser: WebDriver,  # noqa: F811
    docs_broker: RunningBroker,
) -> None:
    browser.get(docs_broker.url + "/api-docs")

    WebDriverWait(browser, 20).until(
        lambda driver: driver.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    )
    title = browser.find_element(By.CSS_SELECTOR, ".info .title").text
    assert title.startswith("accord broker")
    paths = {e.text for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
    assert any(path.startswith("/pacticipants") for path in paths)
