"""The catalog verifies every pact its consumers published: one test per interaction."""

import pytest
from app import PRODUCTS, app

from accord.verifier import ProviderStates

pytestmark = pytest.mark.accord_pacts(
    provider_name="catalog",
    consumer_version_selectors=[{"mainBranch": True}, {"deployedOrReleased": True}],
)


@pytest.fixture(scope="session")
def accord_provider():
    return app  # the ASGI app itself: verified in-process, no server to start


@pytest.fixture
def accord_provider_states():
    states = ProviderStates()

    @states("a product exists")
    def product_exists(params):
        PRODUCTS[params["id"]] = {
            "id": params["id"],
            "name": params["name"],
            "priceCents": params["priceCents"],
        }

    yield states
    PRODUCTS.clear()


def test_contract(accord_interaction):
    accord_interaction.verify()
