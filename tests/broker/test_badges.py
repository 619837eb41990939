"""Badges: the latest verification status as SVG at the Pact Broker's badge URLs."""

import re
from collections.abc import Iterator

import pytest
import requests
from accord_broker.api.badges import badge_title, initials_of

from tests.broker.conftest import RunningBroker, make_pact, start_broker
from tests.broker.ui_seed import deploy, seed_bank, verify

LATEST = "/pacts/provider/{p}/consumer/{c}/latest/badge"


@pytest.fixture
def bank(broker: RunningBroker) -> RunningBroker:
    seed_bank(broker)
    return broker


def _badge(broker: RunningBroker, path: str, **kwargs: object) -> tuple[str, str, str]:
    """(title, status, fill colour) of the badge at ``path``."""
    response = broker.get(path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/svg+xml")
    title = re.search(r"<title>(.*?): (.*?)</title>", response.text)
    fills = re.findall(
        r'<rect x="\d+" width="\d+" height="20" fill="(#[0-9a-f]+)"/>', response.text
    )
    assert title is not None and fills
    return title.group(1), title.group(2), fills[0]


def test_badges_show_each_verification_status_in_the_pact_broker_colours(
    bank: RunningBroker,
) -> None:
    assert _badge(bank, LATEST.format(p="Accounts", c="Transfers")) == (
        "transfers/accounts pact",
        "unknown",
        "#9f9f9f",
    )
    assert _badge(bank, LATEST.format(p="Accounts", c="Web")) == (
        "web/accounts pact",
        "changed",
        "#fe7d37",
    )
    assert _badge(bank, LATEST.format(p="Transfers", c="Web")) == (
        "web/transfers pact",
        "failed",
        "#e05d44",
    )


def test_a_verified_pact_gets_a_green_badge(broker: RunningBroker) -> None:
    pact = make_pact("Web", "Accounts")
    broker.publish("Web", "1", pact)
    verify(broker, "Web", "Accounts", pact, "9", success=True)

    assert _badge(broker, LATEST.format(p="Accounts", c="Web") + ".svg") == (
        "web/accounts pact",
        "verified",
        "#4c1",
    )


def test_tag_and_branch_badges_look_only_at_those_consumer_versions(broker: RunningBroker) -> None:
    verified, failing = make_pact("Web", "Accounts", "one"), make_pact("Web", "Accounts", "two")
    broker.publish("Web", "1", verified, tags=["prod"], branch="main")
    verify(broker, "Web", "Accounts", verified, "9", success=True)
    broker.publish("Web", "2", failing, branch="feat/x")
    verify(broker, "Web", "Accounts", failing, "10", success=False)
    base = "/pacts/provider/Accounts/consumer/Web"

    assert _badge(broker, base + "/latest/badge")[1] == "failed"
    assert _badge(broker, base + "/latest/prod/badge")[1] == "verified"
    assert _badge(broker, base + "/branch/main/latest/badge")[1] == "verified"
    assert _badge(broker, base + "/branch/feat%2Fx/latest/badge")[1] == "failed"
    assert _badge(broker, base + "/latest-untagged/badge")[1] == "failed"
    assert _badge(broker, base + "/latest/nope/badge") == ("pact not found", "unknown", "#9f9f9f")


def test_the_matrix_badge_pairs_a_consumer_tag_with_a_provider_tag(broker: RunningBroker) -> None:
    pact = make_pact("Web", "Accounts")
    broker.publish("Web", "1", pact, tags=["prod"])
    broker.put("/pacticipants/Accounts/versions/9/tags/prod")
    verify(broker, "Web", "Accounts", pact, "9", success=True)
    path = "/matrix/provider/Accounts/latest/{pt}/consumer/Web/latest/prod/badge"

    assert _badge(broker, path.format(pt="prod")) == (
        "web (prod)/accounts (prod) pact",
        "verified",
        "#4c1",
    )
    assert _badge(broker, path.format(pt="test"))[1] == "unknown"


def test_label_and_initials_shorten_the_title(bank: RunningBroker) -> None:
    path = LATEST.format(p="Accounts", c="Web")

    assert _badge(bank, path + "?label=consumer")[0] == "web pact"
    assert _badge(bank, path + "?label=provider")[0] == "accounts pact"
    assert initials_of("foo-bar_baz") == "fbb"
    assert initials_of("FooBarService") == "fbs"
    assert initials_of("accounts") == "accounts"
    assert badge_title("my-web", "AccountService", initials=True) == "mw/as pact"


def test_can_i_deploy_badges_are_green_or_red(broker: RunningBroker) -> None:
    good, bad = make_pact("Web", "Accounts", "one"), make_pact("Web", "Accounts", "two")
    broker.publish("Web", "1", good, branch="main", tags=["main"])
    broker.publish("Web", "2", bad, branch="feat/x", tags=["feat"])
    verify(broker, "Web", "Accounts", good, "9", success=True)
    verify(broker, "Web", "Accounts", bad, "9", success=False)
    broker.put("/pacticipants/Accounts/versions/9/tags/prod")
    uuid = broker.post("/environments", {"name": "production", "production": True}).json()["uuid"]
    deploy(broker, "Accounts", "9", uuid)
    branch = "/pacticipants/Web/branches/{}/latest-version/can-i-deploy/to-environment/{}/badge"
    tag = "/pacticipants/Web/latest-version/{}/can-i-deploy/to/prod/badge"

    assert _badge(broker, branch.format("main", "production")) == (
        "can-i-deploy",
        "main to production",
        "#4c1",
    )
    assert _badge(broker, branch.format("feat%2Fx", "production"))[1:] == (
        "feat/x to production",
        "#e05d44",
    )
    assert _badge(broker, branch.format("nope", "production"))[1] == "branch version not found"
    assert _badge(broker, branch.format("main", "mars"))[1] == "environment not found"
    assert _badge(broker, tag.format("main"))[1:] == ("main to prod", "#4c1")
    assert _badge(broker, tag.format("feat") + "?label=deploy")[:2] == ("deploy", "feat to prod")
    assert _badge(broker, tag.format("none"))[1] == "version not found"


def test_badges_are_revalidated_not_cached_blindly(bank: RunningBroker) -> None:
    path = LATEST.format(p="Accounts", c="Web")
    first = bank.get(path)

    assert first.headers["cache-control"] == "no-cache"
    again = bank.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_names_in_badges_are_escaped(broker: RunningBroker) -> None:
    broker.publish("<x&y>", "1", make_pact("<x&y>", "Accounts"))

    body = broker.get("/pacts/provider/Accounts/consumer/%3Cx%26y%3E/latest/badge").text

    assert "&lt;x&amp;y&gt;/accounts pact" in body
    assert "<x&y>" not in body


@pytest.fixture
def secured(database_url: str) -> Iterator[RunningBroker]:
    with start_broker(
        database_url,
        basic_auth_username="w",
        basic_auth_password="p",
        enable_public_badge_access=True,
    ) as running:
        yield running


def test_public_badge_access_opens_badges_only(secured: RunningBroker) -> None:
    badge = requests.get(secured.url + LATEST.format(p="Accounts", c="Web"), timeout=10)
    pact = requests.get(secured.url + "/pacts/provider/Accounts/consumer/Web/latest", timeout=10)

    assert badge.status_code == 200
    assert badge.headers["content-type"].startswith("image/svg+xml")
    assert pact.status_code == 401


def test_badges_need_credentials_by_default(database_url: str) -> None:
    with start_broker(database_url, basic_auth_username="w", basic_auth_password="p") as running:
        response = requests.get(running.url + LATEST.format(p="Accounts", c="Web"), timeout=10)

    assert response.status_code == 401
