"""The shop's contract with the catalog: what it sends, and what it relies on in the answer."""

import pytest
from catalog_client import CatalogClient, Product
from pact import match


@pytest.mark.pact(consumer="shop", provider="catalog")
def test_shows_a_product(pact):
    (
        pact.upon_receiving("a request for product 7")
        .given("a product exists", id=7, name="teapot", priceCents=1250)
        .with_request("GET", "/products/7")
        .will_respond_with(200)
        .with_body(
            {
                "id": match.integer(7),
                "name": match.like("teapot"),
                "priceCents": match.integer(1250),
            },
            content_type="application/json",
        )
    )
    with pact.serve() as server:
        assert CatalogClient(str(server.url)).product(7) == Product(7, "teapot", 1250)
