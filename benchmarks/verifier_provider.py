"""The provider the verifier benchmark replays against (FastAPI, in-memory state).

Served by uvicorn in its own process for the HTTP runs, imported as an app object for the
in-process run. ``/_pact/state`` implements the state-change URL protocol.
"""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

app = FastAPI()
ITEMS: dict[int, dict[str, Any]] = {}


def seed(item_id: int) -> None:
    ITEMS[item_id] = {
        "id": item_id,
        "name": f"item {item_id}",
        "price": 10.5 + item_id,
        "tags": ["a", "b", "c"],
        "owner": {"id": item_id * 7, "email": f"owner{item_id}@example.com"},
        "createdAt": "2024-05-01T13:02:03",
    }


@app.post("/_pact/state")
async def state(request: Request) -> Response:
    data = await request.json()
    if data.get("action") == "setup":
        seed(int(data["params"]["id"]))
    return JSONResponse({})


@app.get("/items/{item_id}")
async def item(item_id: int) -> Response:
    found = ITEMS.get(item_id)
    if found is None:
        return JSONResponse({"error": "no such item"}, status_code=404)
    return JSONResponse(found)
