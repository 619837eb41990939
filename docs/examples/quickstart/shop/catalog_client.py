"""The shop's client for the catalog service: the code the consumer test exercises."""

from dataclasses import dataclass

import requests


@dataclass(frozen=True)
class Product:
    id: int
    name: str
    price_cents: int


class CatalogClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def product(self, product_id: int) -> Product:
        response = requests.get(f"{self.base_url}/products/{product_id}", timeout=5)
        response.raise_for_status()
        data = response.json()
        return Product(data["id"], data["name"], data["priceCents"])
