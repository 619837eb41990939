"""A hostile pact regex cannot hang a verification (issue #20, security finding 7).

``^(a+)+$`` against 36 ``a``s and a ``!`` takes a backtracking engine (Python's ``re``) minutes;
accord runs pact regexes on RE2, which answers in time linear in the value. The provider here is
real (uvicorn on a free port) and answers the hostile value in the body, in a header and inside
an ``eachValue`` rule, so each place the verifier runs a regex is exercised. The timeout is a
guard, not a measurement: with a backtracking engine the run would not end in time.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from verifier_providers import pact_document

from accord.testing import ServerHandle, serve_app
from accord.verifier import verify

EVIL = "^(a+)+$"
HOSTILE = "a" * 36 + "!"


def _hostile_app() -> FastAPI:
    app = FastAPI()

    @app.get("/names")
    def names() -> JSONResponse:
        return JSONResponse(
            {"name": HOSTILE, "aliases": {"first": HOSTILE}}, headers={"X-Name": HOSTILE}
        )

    return app


@pytest.fixture(scope="module")
def provider() -> Iterator[ServerHandle]:
    with serve_app(_hostile_app()) as handle:
        yield handle


def _interaction(description: str, rules: dict[str, Any], **expected: Any) -> dict[str, Any]:
    """A GET /names whose response expects only ``expected`` (headers, body), under ``rules``."""
    return {
        "description": description,
        "request": {"method": "GET", "path": "/names"},
        "response": {"status": 200, **expected, "matchingRules": rules},
    }


def _regex(pattern: str) -> dict[str, Any]:
    return {"matchers": [{"match": "regex", "regex": pattern}]}


def _verify(write_pact: Any, provider: ServerHandle, *interactions: dict[str, Any]) -> Any:
    pact: Path = write_pact(pact_document(list(interactions)))
    return verify(files=[pact], provider_base_url=provider.url, output=None, raise_on_failure=False)


@pytest.mark.timeout(10)
def test_a_catastrophic_regex_fails_at_once_instead_of_hanging(
    write_pact: Any, provider: ServerHandle
) -> None:
    result = _verify(
        write_pact,
        provider,
        _interaction(
            "a hostile body value", {"body": {"$.name": _regex(EVIL)}}, body={"name": "aaa"}
        ),
        _interaction(
            "a hostile header value",
            {"header": {"X-Name": _regex(EVIL)}},
            headers={"X-Name": "aaa"},
        ),
        _interaction(
            "a hostile value under eachValue",
            {
                "body": {
                    "$.aliases": {
                        "matchers": [
                            {"match": "eachValue", "rules": [{"match": "regex", "regex": EVIL}]}
                        ]
                    }
                }
            },
            body={"aliases": {"first": "aaa"}},
        ),
    )
    assert not result.success
    verdicts = {i.description: i for i in result.interactions}
    assert len(verdicts) == 3
    for description, where in (
        ("a hostile body value", "$.body.name"),
        ("a hostile header value", "X-Name"),
        ("a hostile value under eachValue", "$.body.aliases.first"),
    ):
        interaction = verdicts[description]
        assert interaction.error is None, interaction.error
        [mismatch] = interaction.mismatches
        assert where in mismatch.path, mismatch
        assert mismatch.actual == HOSTILE
        assert EVIL in mismatch.message


@pytest.mark.timeout(10)
def test_the_same_regex_passes_a_value_it_matches(write_pact: Any) -> None:
    app = FastAPI()

    @app.get("/names")
    def names() -> JSONResponse:
        return JSONResponse({"name": "a" * 36, "aliases": {}}, headers={"X-Name": "aa"})

    with serve_app(app) as handle:
        result = _verify(
            write_pact,
            handle,
            _interaction(
                "a matching value",
                {"body": {"$.name": _regex(EVIL)}, "header": {"X-Name": _regex(EVIL)}},
                body={"name": "aaa"},
                headers={"X-Name": "aaa"},
            ),
        )
    assert result.success, [i.mismatches for i in result.interactions]


@pytest.mark.timeout(10)
def test_a_regex_with_a_backreference_is_a_mismatch_that_says_why(
    write_pact: Any, provider: ServerHandle
) -> None:
    result = _verify(
        write_pact,
        provider,
        _interaction(
            "a backreference", {"body": {"$.name": _regex("(a+)\\1!")}}, body={"name": "aaa"}
        ),
    )
    [interaction] = result.interactions
    assert not interaction.success
    [mismatch] = interaction.mismatches
    assert mismatch.path == "$.body.name"
    assert "backreference" in mismatch.message
    assert "'\\\\1'" in mismatch.message  # the construct, as the pattern spells it
