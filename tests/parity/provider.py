"""The provider of the parity corpus: answers each interaction with its variant's answer.

HTTP interactions come in as ``GET /corpus/<the description, base64url>``; messages are asked
for with the ecosystem's message convention (``POST /`` with ``{"description": ...}``), which
both verifiers use.
"""

from __future__ import annotations

import base64
import json

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from tests.parity.corpus import Answer, answers, description_of


def _response(answer: Answer) -> Response:
    headers = dict(answer.headers)
    if answer.metadata:
        encoded = base64.b64encode(json.dumps(dict(answer.metadata)).encode("utf-8"))
        headers["Pact-Message-Metadata"] = encoded.decode("ascii")
    return Response(answer.body, answer.status, headers=headers, media_type=answer.content_type)


def corpus_provider() -> FastAPI:
    by_description = answers()
    app = FastAPI()

    @app.get("/corpus/{key}")
    async def http_case(key: str) -> Response:
        return _response(by_description[description_of(f"/corpus/{key}")])

    @app.post("/_pact/state")
    async def state() -> Response:
        return JSONResponse({})

    @app.post("/")
    async def message(request: Request) -> Response:
        asked = await request.json()
        return _response(by_description[asked["description"]])

    return app
