"""The semantic pact diff in Chromium: every kind of change is on screen, grouped by
interaction, with a screenshot saved under the test's ``tmp_path``."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.pact_changes_seed import EXPECTED, NEW, OLD
from tests.broker.test_ui_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.broker.test_ui_pact_changes import CHANGES


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBroker]:
    database = tmp_path_factory.mktemp("ui-changes") / "broker.sqlite"
    with start_broker(f"sqlite:///{database}") as running:
        assert running.publish("Web", "1", OLD).status_code == 200
        assert running.publish("Web", "2", NEW).status_code == 200
        yield running


@pytest.mark.parametrize(("width", "height"), [(1400, 1000), (390, 844)])
def test_every_kind_of_change_is_on_screen(
    browser: WebDriver,  # noqa: F811
    changed: RunningBroker,
    tmp_path: Path,
    width: int,
    height: int,
) -> None:
    browser.set_window_size(width, height)
    browser.get(changed.url + CHANGES.format(2))

    sections = browser.find_elements(By.CSS_SELECTOR, "section.interaction.changes")
    titles = [s.find_element(By.TAG_NAME, "h3").text for s in sections]
    assert sorted(titles) == sorted({name for name, *_ in EXPECTED})
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.change")
    seen = {
        (
            row.find_element(By.CSS_SELECTOR, "code.location").text,
            row.find_element(By.CSS_SELECTOR, "td.message").text,
        )
        for row in rows
    }
    assert seen == {(where, what) for _, _, where, what in EXPECTED}
    for row in rows:
        assert row.is_displayed()
    pills = [p.text for p in browser.find_elements(By.CSS_SELECTOR, "tr.change .pill")]
    assert pills.count("asks more") == sum(1 for change in EXPECTED if change[1])
    shot = tmp_path / f"pact-changes-{width}.png"
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000, "an empty page compresses below 10 kB"
    page_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert page_width <= browser.execute_script("return window.innerWidth") + 1
