"""A body declared as JSON is judged as JSON: text that does not parse is a mismatch.

The provider here is real (uvicorn on a free port) and answers each path with exact bytes, so the
verifier sees what a broken service would really send: a truncated document, plain text under
``application/json``, text under a ``+json`` type. A pact body stored as a non-JSON string under
a JSON content type is a JSON string value, as the reference implementation reads it, so the
provider must send that string as JSON (quoted), not the bare text.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Response
from verifier_providers import pact_document

from accord.testing import ServerHandle, serve_app
from accord.verifier import verify
from accord.verifier.results import InteractionResult

ANSWERS: dict[str, tuple[bytes, str]] = {
    "/account": (b'{"id":1,"name":"ann"}', "application/json"),
    "/account-truncated": (b'{"id":1,"name":"an', "application/json"),
    "/account-as-text": (b"id=1 name=ann", "application/json"),
    "/account-spaced": (b'{ "name" : "ann",\n  "id" : 1 }\n', "application/json; charset=utf-8"),
    "/problem-broken": (b"Internal error", "application/problem+json"),
    "/problem": (b'{"title":"Internal error"}', "application/problem+json"),
    "/greeting-as-text": (b"hello there", "application/json"),
    "/greeting-as-json": (b'"hello there"', "application/json"),
    "/greeting-as-spaced-json": (b'  "hello there"\n', "application/json;charset=UTF-8"),
}


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/{name:path}")
    async def answer(name: str) -> Response:
        body, content_type = ANSWERS[f"/{name}"]
        return Response(content=body, media_type=None, headers={"Content-Type": content_type})

    return app


@pytest.fixture(scope="module")
def provider() -> Iterator[ServerHandle]:
    with serve_app(_app()) as handle:
        yield handle


def _interaction(path: str, body: Any, content_type: str = "application/json") -> dict[str, Any]:
    return {
        "description": f"GET {path}",
        "request": {"method": "GET", "path": path},
        "response": {"status": 200, "headers": {"Content-Type": content_type}, "body": body},
    }


def _verify(
    provider: ServerHandle, tmp_path: Path, *interactions: dict[str, Any]
) -> list[InteractionResult]:
    pact = tmp_path / "pact.json"
    pact.write_text(json.dumps(pact_document(list(interactions))), encoding="utf-8")
    result = verify(
        files=[pact], provider_base_url=provider.url, output=None, raise_on_failure=False
    )
    return list(result.interactions)


ACCOUNT = {"id": 1, "name": "ann"}


def test_a_provider_answering_valid_json_passes(provider: ServerHandle, tmp_path: Path) -> None:
    (result,) = _verify(provider, tmp_path, _interaction("/account", ACCOUNT))
    assert result.success, result.mismatches


@pytest.mark.parametrize("path", ["/account-truncated", "/account-as-text"])
def test_a_provider_answering_unparsable_json_fails_with_a_body_mismatch(
    provider: ServerHandle, tmp_path: Path, path: str
) -> None:
    (result,) = _verify(provider, tmp_path, _interaction(path, ACCOUNT))
    assert not result.success
    (mismatch,) = result.mismatches
    assert mismatch.attribute == "body" and mismatch.path == "$.body"
    assert "not valid JSON" in mismatch.message and "application/json" in mismatch.message


def test_spacing_key_order_and_a_charset_parameter_are_still_valid_json(
    provider: ServerHandle, tmp_path: Path
) -> None:
    (result,) = _verify(provider, tmp_path, _interaction("/account-spaced", ACCOUNT))
    assert result.success, result.mismatches


def test_a_plus_json_type_is_held_to_json_too(provider: ServerHandle, tmp_path: Path) -> None:
    problem = {"title": "Internal error"}
    good, broken = _verify(
        provider,
        tmp_path,
        _interaction("/problem", problem, "application/problem+json"),
        _interaction("/problem-broken", problem, "application/problem+json"),
    )
    assert good.success, good.mismatches
    assert not broken.success
    assert "not valid JSON" in broken.mismatches[0].message
    assert "application/problem+json" in broken.mismatches[0].message


def test_a_declared_json_pact_body_that_is_plain_text_is_a_json_string_never_bare_text(
    provider: ServerHandle, tmp_path: Path
) -> None:
    """``"body": "hello there"`` under ``application/json`` is the JSON string "hello there":
    a provider answering the bare words sends no JSON at all and fails; one answering the JSON
    string (quoted, with or without spacing and a charset) passes."""
    bare, quoted, spaced = _verify(
        provider,
        tmp_path,
        _interaction("/greeting-as-text", "hello there"),
        _interaction("/greeting-as-json", "hello there"),
        _interaction("/greeting-as-spaced-json", "hello there"),
    )
    assert not bare.success
    assert "not valid JSON" in bare.mismatches[0].message
    assert bare.mismatches[0].actual == "hello there"
    assert quoted.success, quoted.mismatches
    assert spaced.success, spaced.mismatches
