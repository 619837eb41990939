"""The catalog service: a small FastAPI app with products kept in memory."""

from typing import Any

from fastapi import FastAPI, HTTPException

PRODUCTS: dict[int, dict[str, Any]] = {}

app = FastAPI()


@app.get("/products/{product_id}")
def get_product(product_id: int) -> dict[str, Any]:
    if product_id not in PRODUCTS:
        raise HTTPException(status_code=404, detail="no such product")
    return PRODUCTS[product_id]


@app.post("/_pact/state")
def change_state(change: dict[str, Any]) -> dict[str, Any]:
    """Set up a provider state for `accord verify --state-change-url` (test deployments only)."""
    params = change.get("params") or {}
    if change.get("state") == "a product exists" and change.get("action") == "setup":
        PRODUCTS[int(params["id"])] = {
            "id": int(params["id"]),
            "name": params["name"],
            "priceCents": int(params["priceCents"]),
        }
    if change.get("action") == "teardown":
        PRODUCTS.clear()
    return {}
