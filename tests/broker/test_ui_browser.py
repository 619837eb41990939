"""The UI in a real browser (Debian's chromium driven by selenium): what each page shows.

Skipped when chromium is not installed, except on CI (``CI=true``), where a missing browser is
a failure: the CI script installs it.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.ui_seed import seed_bank

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402


def _browser_missing() -> str | None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    return (
        f"{', '.join(missing)} not installed (apt-get install chromium chromium-driver)"
        if missing
        else None
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    problem = _browser_missing()
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    profile = tempfile.mkdtemp(prefix="accord-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBroker]:
    """A broker with the seeded bank (SQLite: the pages are the same over PostgreSQL, and
    their queries are exercised on both in test_ui_pages.py)."""
    database = tmp_path_factory.mktemp("ui") / "broker.sqlite"
    with start_broker(f"sqlite:///{database}") as running:
        seed_bank(running)
        yield running


def _open(browser: WebDriver, url: str) -> None:
    browser.get(url)
    shot = os.environ.get("ACCORD_UI_SCREENSHOTS")
    if shot:  # development only: look at the pages (never committed)
        name = quote(url.split("/", 3)[-1] or "index", safe="")[:80] or "index"
        browser.save_screenshot(str(Path(shot) / f"{name}.png"))


def _text(browser: WebDriver, css: str) -> str:
    return str(browser.find_element(By.CSS_SELECTOR, css).text)


def _row(browser: WebDriver, consumer: str, provider: str) -> dict[str, str]:
    row = browser.find_element(
        By.CSS_SELECTOR, f'tr.integration[data-consumer="{consumer}"][data-provider="{provider}"]'
    )
    return {
        cell.get_attribute("class") or "": cell.text
        for cell in row.find_elements(By.CSS_SELECTOR, "td")
    }


def test_the_index_lists_every_integration_with_its_status(
    browser: WebDriver, bank: RunningBroker
) -> None:
    _open(browser, bank.url + "/")

    assert browser.title == "Integrations · accord broker"
    rows = browser.find_elements(By.CSS_SELECTOR, "#integrations tbody tr.integration")
    pairs = [(r.get_attribute("data-consumer"), r.get_attribute("data-provider")) for r in rows]
    assert pairs == [("Transfers", "Accounts"), ("Web", "Accounts"), ("Web", "Transfers")]
    web_accounts = _row(browser, "Web", "Accounts")
    assert web_accounts["status"] == "changed"
    assert web_accounts["consumer-version"] == "1.1.0 feat/x"
    assert web_accounts["provider-version"] == "2.0.0 main"
    assert web_accounts["published"] == "just now"
    assert web_accounts["env-col"] == "Web 1.0.0\nAccounts 2.0.0"
    assert _row(browser, "Web", "Transfers")["status"] == "failed"
    assert _row(browser, "Transfers", "Accounts")["status"] == "not verified"


def test_the_index_filters_by_application_name(browser: WebDriver, bank: RunningBroker) -> None:
    _open(browser, bank.url + "/ui/?search=transf")

    rows = browser.find_elements(By.CSS_SELECTOR, "#integrations tbody tr.integration")
    assert {r.get_attribute("data-provider") for r in rows} == {"Accounts", "Transfers"}
    assert len(rows) == 2
    assert _text(browser, ".count") == "2 integrations"


def test_a_pact_reads_as_documentation(browser: WebDriver, bank: RunningBroker) -> None:
    _open(browser, bank.url + "/pacts/provider/Accounts/consumer/Web/latest")

    assert _text(browser, "h1") == "A pact between Web and Accounts"
    assert _text(browser, "#consumer-version") == "1.1.0"
    sections = browser.find_elements(By.CSS_SELECTOR, "section.interaction")
    assert [s.find_element(By.TAG_NAME, "h3").text for s in sections] == [
        "HTTP a request for account 1",
        "HTTP a request for account 2",
    ]
    first = sections[0]
    assert first.find_element(By.CSS_SELECTOR, ".state").text == "Given account 1 exists"
    assert '"id": 1' in first.find_element(By.CSS_SELECTOR, ".params").text
    lines = [e.text for e in first.find_elements(By.CSS_SELECTOR, ".line code")]
    assert lines == ["GET /accounts/1", "200"]
    assert '"name": "a request for account 1"' in first.find_element(By.CSS_SELECTOR, ".body").text
    badge = browser.find_element(By.CSS_SELECTOR, "img.badge")
    assert browser.execute_script("return arguments[0].naturalWidth", badge) > 0


def test_the_matrix_page_lists_results_and_filters_them(
    browser: WebDriver, bank: RunningBroker
) -> None:
    _open(browser, bank.url + "/ui/matrix/provider/Accounts/consumer/Web")

    rows = browser.find_elements(By.CSS_SELECTOR, "#matrix tr.matrix-row")
    assert [r.find_element(By.CSS_SELECTOR, "td").text for r in rows] == [
        "1.1.0 feat/x",
        "1.0.0 main production",
    ]
    assert [r.get_attribute("data-success") for r in rows] == ["none", "true"]

    table = browser.find_element(By.ID, "matrix")
    browser.find_element(By.CSS_SELECTOR, "select[name=success] option[value=true]").click()
    browser.find_element(By.CSS_SELECTOR, "#matrix-filters button").click()
    WebDriverWait(browser, 20).until(expected_conditions.staleness_of(table))

    rows = browser.find_elements(By.CSS_SELECTOR, "#matrix tr.matrix-row")
    assert [r.get_attribute("data-success") for r in rows] == ["true"]
    assert "success=true" in browser.current_url


def test_a_pacticipant_page_shows_versions_branches_and_environments(
    browser: WebDriver, bank: RunningBroker
) -> None:
    _open(browser, bank.url + "/ui/pacticipants/Web")

    assert _text(browser, "#pacticipant-name") == "Web"
    versions = [
        e.text for e in browser.find_elements(By.CSS_SELECTOR, "tr.version-row td:first-child")
    ]
    assert versions == ["1.1.0 feat/x", "1.0.0 main"]
    assert "production 1.0.0" in _text(browser, "#environments")
    branches = _text(browser, "#branches")
    assert "feat/x" in branches and "main" in branches
    providers = browser.find_elements(By.CSS_SELECTOR, "#integrations tr.integration")
    assert {p.get_attribute("data-provider") for p in providers} == {"Accounts", "Transfers"}


def test_the_network_diagram_draws_every_integration(
    browser: WebDriver, bank: RunningBroker
) -> None:
    _open(browser, bank.url + "/ui/network")

    nodes = browser.find_elements(By.CSS_SELECTOR, "svg#network .node")
    assert sorted(n.get_attribute("data-name") for n in nodes) == ["Accounts", "Transfers", "Web"]
    edges = browser.find_elements(By.CSS_SELECTOR, "svg#network path.edge")
    assert sorted(
        (
            e.get_attribute("data-consumer"),
            e.get_attribute("data-provider"),
            e.get_attribute("class"),
        )
        for e in edges
    ) == [
        ("Transfers", "Accounts", "edge status-never"),
        ("Web", "Accounts", "edge status-stale"),
        ("Web", "Transfers", "edge status-failed"),
    ]
    x = {n.get_attribute("data-name"): n.rect["x"] for n in nodes}
    assert x["Web"] < x["Transfers"] < x["Accounts"]


def test_names_are_escaped_not_executed(browser: WebDriver, tmp_path: Path) -> None:
    evil = "<img src=x onerror=\"document.title='pwned'\">"
    with start_broker(f"sqlite:///{tmp_path / 'xss.sqlite'}") as running:
        assert running.publish(evil, "1<b>", make_pact(evil, "Accounts", "<script>x</script>")).ok
        for path in (
            "/",
            f"/pacts/provider/Accounts/consumer/{quote(evil, safe='')}/latest",
            f"/ui/pacticipants/{quote(evil, safe='')}",
            "/ui/network",
        ):
            _open(browser, running.url + path)
            assert browser.title != "pwned"
            assert browser.find_elements(By.CSS_SELECTOR, "main img:not(.badge)") == []
            assert browser.find_elements(By.CSS_SELECTOR, "main script, main b") == []
        assert (
            evil
            in browser.page_source.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", '"')
            .replace("&amp;", "&")
            or evil in browser.find_element(By.TAG_NAME, "main").text
        )


def test_a_provider_contract_shows_its_self_verification_and_each_comparison(
    browser: WebDriver, tmp_path: Path
) -> None:
    import base64
    import json

    from providers.statements.app import create_app

    entry = {"date": "2024-05-03", "amount": -2500, "description": "groceries"}
    pact = {
        "consumer": {"name": "mobile"},
        "provider": {"name": "statements"},
        "interactions": [
            {
                "description": "a request for an account's statement",
                "request": {"method": "GET", "path": "/accounts/1/statement"},
                "response": {"status": 200, "body": {"accountId": 1, "entries": [entry]}},
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }
    document = json.dumps(create_app(breaking=True).openapi())
    with start_broker(f"sqlite:///{tmp_path / 'contracts.sqlite'}") as running:
        assert running.publish("mobile", "m1", pact).ok
        published = running.post(
            "/provider-contracts/provider/statements/publish",
            {
                "pacticipantVersionNumber": "s2",
                "branch": "main",
                "contract": {
                    "content": base64.b64encode(document.encode()).decode(),
                    "contentType": "application/json",
                    "specification": "oas",
                    "selfVerificationResults": {"success": True, "verifier": "schemathesis"},
                },
            },
        )
        assert published.ok, published.text
        _open(browser, running.url + "/provider-contracts/provider/statements/version/s2")

        assert _text(browser, "h1") == "Provider contract: statements s2"
        assert "schemathesis" in _text(browser, "#self-verification")
        comparison = browser.find_element(
            By.CSS_SELECTOR, 'article.comparison[data-consumer="mobile"]'
        )
        assert comparison.get_attribute("data-compatible") == "false"
        assert "not compatible" in comparison.find_element(By.TAG_NAME, "h3").text
        [finding] = comparison.find_elements(By.CSS_SELECTOR, 'tr.finding[data-severity="error"]')
        cells = [cell.text for cell in finding.find_elements(By.TAG_NAME, "td")]
        assert cells[2] == "$.interactions[0].response.body.entries[0].description"
        assert "/components/schemas/Entry/additionalProperties" in cells[3]
        assert "response.body.incompatible" in cells[4]
        assert '"memo"' in _text(browser, "pre.openapi")
