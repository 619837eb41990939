"""The team pages (issue #22 §4) in Chromium, on a laptop-sized and a phone-sized window, with a
screenshot of each saved under the test's ``tmp_path`` (look at them when a layout changes)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.test_ui_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.broker.ui_team_seed import SECRET, seed_team_pages
from tests.broker.webhook_receiver import WEBHOOK_SETTINGS, Receiver, running_receiver

PHONE = (390, 844)
LAPTOP = (1400, 1000)


@pytest.fixture(scope="module")
def team(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[RunningBroker, dict[str, str], Receiver]]:
    database = tmp_path_factory.mktemp("ui-teams") / "broker.sqlite"
    with (
        running_receiver() as receiver,
        start_broker(f"sqlite:///{database}", **WEBHOOK_SETTINGS) as running,
    ):
        yield running, seed_team_pages(running, receiver), receiver


def _shot(driver: WebDriver, url: str, path: Path, size: tuple[int, int] = LAPTOP) -> Path:
    """Open ``url`` in a window of ``size`` and save a screenshot of it as ``path``."""
    driver.set_window_size(*size)
    driver.get(url)
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000, "an empty page compresses below 10 kB"
    return path


def _no_sideways_scroll(driver: WebDriver) -> None:
    """On a phone the page itself never scrolls sideways (wide tables scroll in their box)."""
    width = driver.execute_script("return document.documentElement.scrollWidth")
    viewport = driver.execute_script("return window.innerWidth")
    assert width <= viewport + 1, (width, viewport)


def _text(driver: WebDriver, css: str) -> str:
    return str(driver.find_element(By.CSS_SELECTOR, css).text)


def test_the_verification_page_renders_mismatches(
    browser: WebDriver,  # noqa: F811
    team: tuple[RunningBroker, dict[str, str], Receiver],
    tmp_path: Path,
) -> None:
    broker, paths, _ = team

    _shot(browser, broker.url + paths["verification"], tmp_path / "verification.png")

    assert browser.title.startswith("Verification 1 of Web by Accounts: failed")
    assert _text(browser, "#provider-version") == "2.1.0 main"
    failed = browser.find_element(By.CSS_SELECTOR, 'tr.outcome[data-success="false"]')
    assert failed.find_element(By.CSS_SELECTOR, "code.actual").text == "Ada"
    added = failed.find_element(By.CSS_SELECTOR, "pre.diff span.add")
    assert added.value_of_css_property("background-color") == "rgba(230, 245, 234, 1)"
    _shot(browser, browser.current_url, tmp_path / "verification-phone.png", PHONE)
    _no_sideways_scroll(browser)


def test_environments_pacticipants_and_can_i_deploy_render_real_data(
    browser: WebDriver,  # noqa: F811
    team: tuple[RunningBroker, dict[str, str], Receiver],
    tmp_path: Path,
) -> None:
    broker, _, _ = team

    _shot(browser, broker.url + "/ui/environments", tmp_path / "environments.png")
    production = browser.find_element(By.CSS_SELECTOR, 'section[data-environment="production"]')
    assert [
        r.get_attribute("data-pacticipant")
        for r in production.find_elements(By.CSS_SELECTOR, "tr.resident")
    ] == ["Accounts", "Web"]

    _shot(browser, broker.url + "/ui/environments/staging", tmp_path / "staging.png")
    assert "1.0.0" in _text(browser, "#history")

    _shot(browser, broker.url + "/ui/pacticipants", tmp_path / "pacticipants.png")
    names = [
        r.get_attribute("data-name")
        for r in browser.find_elements(By.CSS_SELECTOR, "tr.pacticipant")
    ]
    assert names == ["Accounts", "Transfers", "Web"]

    _shot(browser, broker.url + "/ui/pacticipants/Web", tmp_path / "pacticipant.png")
    statuses = [
        r.get_attribute("data-status")
        for r in browser.find_elements(By.CSS_SELECTOR, "tr.version-row")
    ]
    assert statuses == ["never", "failed", "failed"]

    _shot(browser, broker.url + "/ui/can-i-deploy", tmp_path / "can-i-deploy-form.png")
    form = browser.find_element(By.ID, "can-i-deploy-form")
    form.find_element(By.NAME, "pacticipant").send_keys("Accounts")
    form.find_element(By.NAME, "version").send_keys("2.0.0")
    form.find_element(By.CSS_SELECTOR, "select[name=environment] option[value=production]").click()
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, 20).until(lambda b: b.find_elements(By.ID, "verdict"))
    browser.save_screenshot(str(tmp_path / "can-i-deploy-answer.png"))
    assert _text(browser, "#verdict h2") == "Computer says yes \\o/"
    badge = browser.find_element(By.CSS_SELECTOR, "#badges img.badge")
    assert browser.execute_script("return arguments[0].naturalWidth", badge) > 0

    for page in ("/ui/environments", "/ui/pacticipants/Web", "/ui/can-i-deploy"):
        _shot(browser, broker.url + page, tmp_path / "phone.png", PHONE)
        _no_sideways_scroll(browser)


def test_a_write_user_tests_a_webhook_from_its_page(
    browser: WebDriver,  # noqa: F811
    team: tuple[RunningBroker, dict[str, str], Receiver],
    tmp_path: Path,
) -> None:
    broker, paths, receiver = team
    before = receiver.count()

    _shot(browser, broker.url + "/ui/webhooks", tmp_path / "webhooks.png")
    assert SECRET not in browser.page_source
    _shot(browser, broker.url + paths["webhook"], tmp_path / "webhook.png")
    assert SECRET not in browser.page_source
    assert "**********" in _text(browser, "#webhook-request")
    browser.find_element(By.ID, "test-webhook").click()
    WebDriverWait(browser, 20).until(
        lambda b: b.find_element(By.ID, "test-result").get_attribute("data-status")
    )
    browser.save_screenshot(str(tmp_path / "webhook-tested.png"))

    assert browser.find_element(By.ID, "test-result").get_attribute("data-status") == "200"
    assert "HTTP 200" in _text(browser, "#test-output")
    assert SECRET not in _text(browser, "#test-output")
    assert receiver.count() == before + 1


def test_the_network_of_150_services_stays_readable(
    browser: WebDriver,  # noqa: F811
    tmp_path: Path,
) -> None:
    with start_broker(f"sqlite:///{tmp_path / 'network.sqlite'}") as broker:
        for n in range(150):
            # three tiers: 100 front ends call 40 services, which call 10 stores
            name = f"svc-{n:03d}"
            if n < 100:
                pact = make_pact(name, f"svc-{100 + n % 40:03d}")
            elif n < 140:
                pact = make_pact(name, f"svc-{140 + n % 10:03d}")
            else:
                continue
            assert broker.publish(name, "1", pact).ok
        assert broker.put("/pacticipants/svc-105/labels/payments").ok

        _shot(browser, broker.url + "/ui/network", tmp_path / "network-150.png")
        nodes = browser.find_elements(By.CSS_SELECTOR, "svg#network .node")
        height = browser.execute_script(
            "return document.getElementById('network').getBoundingClientRect().height"
        )
        assert len(nodes) == 150
        assert height < 1200, "tall layers wrap into columns instead of growing downwards"
        boxes = {(round(n.rect["x"]), round(n.rect["y"])) for n in nodes}
        assert len(boxes) == 150, "no two applications drawn on top of each other"

        browser.find_element(By.CSS_SELECTOR, 'svg#network .node[data-name="svc-105"]').click()
        WebDriverWait(browser, 20).until(lambda b: "pacticipant=svc-105" in b.current_url)
        browser.save_screenshot(str(tmp_path / "network-focus.png"))
        focused = {
            n.get_attribute("data-name")
            for n in browser.find_elements(By.CSS_SELECTOR, "svg#network .node")
        }
        assert focused == {"svc-105", "svc-145", "svc-005", "svc-045", "svc-085"}

        _shot(browser, broker.url + "/ui/network?label=payments", tmp_path / "network-label.png")
        assert len(browser.find_elements(By.CSS_SELECTOR, "svg#network .node")) == 5
