"""The demo's steps one by one against a real broker, checking the broker's state after each.

The steps are cumulative module fixtures (publish → verify → release → break), so each test
gets the pipeline exactly as far as it needs, in any order and on any xdist worker; the
``xdist_group`` keeps them on one worker under ``--dist loadgroup`` so the chain runs once.
"""

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from demo.broker_process import running_broker
from demo.narration import Narrator
from demo.shell import Shell, clean_environment
from demo.story import Story, StorySettings, StorySurprise

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e-pipeline")]

REPOSITORY = Path(__file__).resolve().parents[2]
VERSION = "1.0.0-e2e"
BREAKING = VERSION + "-rename-balance"
PAIRS = [
    ("web", "accounts"),
    ("transfers", "accounts"),
    ("web", "transfers"),
    ("notifications", "transfers"),
    ("mobile", "statements"),  # checked against statements' OpenAPI (bi-directional)
]


def new_story(workdir: Path, broker_url: str) -> Story:
    narrator = Narrator(io.StringIO(), colour=False)
    bin_dir = Path(sys.executable).parent
    settings = StorySettings(
        repository=REPOSITORY,
        workdir=workdir,
        broker_url=broker_url,
        python=Path(sys.executable),
        accord=bin_dir / "accord",
        version=VERSION,
        branch="main",
    )
    return Story(
        settings, Shell(narrator, REPOSITORY, {"PACT_BROKER_BASE_URL": broker_url}), narrator
    )


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    workdir = tmp_path_factory.mktemp("e2e-pipeline")
    with running_broker(Path(sys.executable).parent / "accord", workdir) as broker:
        yield new_story(workdir, broker.url)


@pytest.fixture(scope="module")
def published(story: Story) -> Story:
    story.publish_pacts()
    return story


@pytest.fixture(scope="module")
def verified(published: Story) -> Story:
    published.verify_providers()
    return published


@pytest.fixture(scope="module")
def released(verified: Story) -> Story:
    verified.release()
    return verified


@pytest.fixture(scope="module")
def broken(released: Story) -> Story:
    released.break_accounts()
    return released


def latest_pact(story: Story, consumer: str, provider: str) -> dict[str, Any]:
    url = f"{story.settings.broker_url}/pacts/provider/{provider}/consumer/{consumer}/latest"
    response = requests.get(url, headers={"Accept": "application/hal+json"}, timeout=10)
    assert response.status_code == 200, (url, response.text[:300])
    return dict(response.json())


def latest_verification(story: Story, consumer: str, provider: str) -> dict[str, Any]:
    href = latest_pact(story, consumer, provider)["_links"]["pb:latest-verification-results"]
    response = requests.get(href["href"], headers={"Accept": "application/hal+json"}, timeout=10)
    assert response.status_code == 200, (href, response.text[:300])
    return dict(response.json())


def can_i_deploy(story: Story, pacticipant: str, version: str) -> dict[str, Any]:
    completed = subprocess.run(
        [
            str(story.settings.accord),
            "can-i-deploy",
            "--pacticipant",
            pacticipant,
            "--version",
            version,
            "--to-environment",
            "production",
            "--output",
            "json",
        ],
        env=clean_environment({"PACT_BROKER_BASE_URL": story.settings.broker_url}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr  # with --output json the verdict is inside
    return dict(json.loads(completed.stdout))


def test_the_consumers_pacts_are_in_the_broker_for_every_pair(published: Story) -> None:
    for consumer, provider in PAIRS:
        pact = latest_pact(published, consumer, provider)
        assert (pact["consumer"]["name"], pact["provider"]["name"]) == (consumer, provider)
    assert sorted(p.name for p in published.settings.pact_dir.glob("*.json")) == sorted(
        f"{consumer}-{provider}.json" for consumer, provider in PAIRS
    )


def test_every_pact_has_a_successful_verification_by_the_provider_version(
    verified: Story,
) -> None:
    for consumer, provider in PAIRS:
        result = latest_verification(verified, consumer, provider)
        if result["providerApplicationVersion"] == BREAKING:
            continue  # a later step of the chain already ran on this worker
        assert result["success"] is True, (consumer, provider, result)
        assert result["providerApplicationVersion"] == VERSION
    assert (verified.settings.reports_dir / f"accounts-{VERSION}.xml").is_file()


def test_can_i_deploy_says_yes_to_every_service_of_the_verified_version(released: Story) -> None:
    for pacticipant in ("accounts", "transfers", "notifications", "web"):
        assert can_i_deploy(released, pacticipant, VERSION)["summary"]["deployable"] is True


def test_the_breaking_accounts_version_is_recorded_as_failing_web_and_transfers(
    broken: Story,
) -> None:
    for consumer in ("web", "transfers"):
        result = latest_verification(broken, consumer, "accounts")
        assert (result["success"], result["providerApplicationVersion"]) == (False, BREAKING)
    assert latest_verification(broken, "web", "transfers")["success"] is True


def test_can_i_deploy_refuses_the_breaking_version_and_says_why(broken: Story) -> None:
    answer = can_i_deploy(broken, "accounts", BREAKING)

    assert answer["summary"]["deployable"] is False
    reason = answer["summary"]["reason"]
    assert "currently in production" in reason
    assert "Expected key 'balance' in the body but it was missing" in reason
    assert can_i_deploy(broken, "accounts", VERSION)["summary"]["deployable"] is True


def test_the_story_is_surprised_when_can_i_deploy_lets_a_breaking_change_through(
    tmp_path: Path,
) -> None:
    with running_broker(Path(sys.executable).parent / "accord", tmp_path) as broker:
        story = new_story(tmp_path, broker.url)
        story.publish_pacts()
        story.verify_providers()  # nothing recorded in production: nobody reads `balance` there

        with pytest.raises(StorySurprise, match=r"step 'breaking change'.*can-i-deploy"):
            story.break_accounts()
