"""accounts verifies the pacts a broker selects for it and publishes the results: the CI job.

One pytest item per interaction, through accord's verifier plugin. It runs only when asked,
because it needs a broker; ``make demo`` and the pipelines in ``docs/ci-recipes.md`` run::

    PACT_BROKER_BASE_URL=http://127.0.0.1:9292 \\
    python -m pytest -p accord.verifier.pytest_plugin \\
        providers/accounts/tests/test_accounts_broker_verification.py \\
        --accord-publish --accord-provider-version "$SHA" --accord-provider-branch "$BRANCH"

What is verified comes from the environment:

* ``PACT_URL``: only this pact (the URL a ``contract_requiring_verification_published`` webhook
  passes on); otherwise the broker's pacts for verification, chosen by
* ``ACCORD_CONSUMER_VERSION_SELECTORS``: a JSON list of selectors, by default the head of each
  consumer's main branch, the consumer versions deployed or released, and the consumer branch
  named like ``ACCORD_PROVIDER_BRANCH`` when that is set (the provider branch, which also
  decides which pacts are pending for it).

``ACCORD_DEMO_BREAKING=1`` starts accounts with its breaking change (``balance`` renamed).
"""

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from accord.verifier import ProviderStates
from providers.accounts.app import create_app
from providers.accounts.tests.test_accounts_verification import accounts_provider_states

PLUGIN = "accord.verifier.pytest_plugin"
MAIN_AND_DEPLOYED: list[Mapping[str, Any]] = [{"mainBranch": True}, {"deployedOrReleased": True}]


def broker_verification_options(provider: str, env: Mapping[str, str]) -> dict[str, Any]:
    """The ``accord_pacts`` marker options for ``provider``, read from ``env``.

    ``{}`` when neither ``PACT_URL`` nor ``PACT_BROKER_BASE_URL`` is set: nothing to verify.
    """
    pact_url = env.get("PACT_URL")
    broker_url = env.get("PACT_BROKER_BASE_URL")
    if pact_url:
        return {"urls": [pact_url], "provider_name": provider}
    if not broker_url:
        return {}
    branch = env.get("ACCORD_PROVIDER_BRANCH") or None
    given = env.get("ACCORD_CONSUMER_VERSION_SELECTORS")
    if given:
        selectors = json.loads(given)
    else:
        selectors = MAIN_AND_DEPLOYED + ([{"matchingBranch": True}] if branch else [])
    return {
        "broker_url": broker_url,
        "provider_name": provider,
        "consumer_version_selectors": selectors,
        "provider_branch": branch,
        "enable_pending": True,
    }


def skip_unless_asked(options: Mapping[str, Any]) -> None:
    """Skip the calling module when there is no broker or the verifier plugin is not loaded."""
    if not options:
        pytest.skip(
            "verifies a broker's pacts: set PACT_BROKER_BASE_URL (or PACT_URL)",
            allow_module_level=True,
        )
    if PLUGIN not in sys.modules:
        pytest.skip(f"run with -p {PLUGIN} to verify a broker's pacts", allow_module_level=True)


OPTIONS = broker_verification_options("accounts", os.environ)
skip_unless_asked(OPTIONS)
pytestmark = pytest.mark.accord_pacts(**OPTIONS)


@pytest.fixture(scope="session")
def accounts_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    database: Path = tmp_path_factory.mktemp("accounts-provider") / "accounts.sqlite"
    return create_app(f"sqlite:///{database}")  # ACCORD_DEMO_BREAKING decides the variant


@pytest.fixture(scope="session")
def accord_provider(accounts_app: Any) -> Any:
    return accounts_app


@pytest.fixture
def accord_provider_states(accounts_app: Any) -> ProviderStates:
    return accounts_provider_states(accounts_app.state.sessions)


def test_accounts_honours(accord_interaction: Any) -> None:
    accord_interaction.verify()
