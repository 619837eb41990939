"""Every report renders binary and non-UTF-8 bodies as a short preview with their length.

A real provider (uvicorn on a free port) answers with an image, with Latin-1 bytes where UTF-8
text or JSON is declared, and with text carrying control characters. The console, JSON, JUnit
and pytest reports must neither crash nor dump the whole body (or its Base64) into a mismatch:
each shows ``<N bytes: hex…>`` for bytes, so a reader sees what came back and how much.
"""

import base64
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Response
from verifier_providers import pact_document

from accord.testing import ServerHandle, serve_app
from accord.verifier import verify
from accord.verifier.results import VerificationResult

# a PNG signature and enough data that a Base64 dump would be obvious (12 KiB)
IMAGE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 48
OTHER_IMAGE = b"\x89PNG\r\n\x1a\n" + bytes(reversed(range(256))) * 48
LATIN1_NOTE = "caf\xe9 au lait".encode("latin-1")
LATIN1_JSON = '{"drink":"caf\xe9"}'.encode("latin-1")
CONTROL_TEXT = b"bell\x07 and nul\x00 and escape\x1b[31m"

ANSWERS: dict[str, tuple[bytes, str]] = {
    "/logo": (IMAGE, "image/png"),
    "/note": (LATIN1_NOTE, "text/plain"),
    "/drink": (LATIN1_JSON, "application/json"),
    "/control": (CONTROL_TEXT, "text/plain"),
}


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/{name:path}")
    async def answer(name: str) -> Response:
        body, content_type = ANSWERS[f"/{name}"]
        return Response(content=body, headers={"Content-Type": content_type})

    return app


@pytest.fixture(scope="module")
def provider() -> Iterator[ServerHandle]:
    with serve_app(_app()) as handle:
        yield handle


def _interaction(description: str, path: str, body: Any, content_type: str) -> dict[str, Any]:
    return {
        "type": "Synchronous/HTTP",
        "description": description,
        "request": {"method": "GET", "path": path},
        "response": {
            "status": 200,
            "headers": {"Content-Type": [content_type]},
            "body": body,
        },
    }


def _v4_bytes(data: bytes, content_type: str) -> dict[str, Any]:
    return {
        "content": base64.b64encode(data).decode("ascii"),
        "contentType": content_type,
        "encoded": "base64",
    }


def _v4_text(text: str, content_type: str) -> dict[str, Any]:
    return {"content": text, "contentType": content_type, "encoded": False}


FAILING = [
    _interaction("another logo", "/logo", _v4_bytes(OTHER_IMAGE, "image/png"), "image/png"),
    _interaction("a note", "/note", _v4_text("café au lait", "text/plain"), "text/plain"),
    _interaction(
        "a drink",
        "/drink",
        {"content": {"drink": "café"}, "contentType": "application/json"},
        "application/json",
    ),
    _interaction("plain words", "/control", _v4_text("plain words", "text/plain"), "text/plain"),
]
PASSING = [
    _interaction("the logo", "/logo", _v4_bytes(IMAGE, "image/png"), "image/png"),
]


def _pact_file(tmp_path: Path) -> Path:
    path = tmp_path / "pacts" / "web-accounts.json"
    path.parent.mkdir(exist_ok=True)
    document = pact_document([*PASSING, *FAILING], spec="4.0")
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def verified(provider: ServerHandle, tmp_path: Path) -> tuple[VerificationResult, Path, str]:
    """One run writing every report: the result, the folder of the reports, the console text."""
    console = io.StringIO()
    result = verify(
        files=[_pact_file(tmp_path)],
        provider_base_url=provider.url,
        output=console,
        json_report=tmp_path / "report.json",
        junit_report=tmp_path / "junit.xml",
        raise_on_failure=False,
    )
    return result, tmp_path, console.getvalue()


def _previews_of(text: str) -> None:
    """The facts every report must carry for this run's bodies."""
    assert f"<{len(OTHER_IMAGE)} bytes: 89 50 4e 47" in text  # the expected image
    assert f"<{len(IMAGE)} bytes: 89 50 4e 47" in text  # the actual image
    assert f"<{len(LATIN1_NOTE)} bytes: 63 61 66 e9" in text  # Latin-1 text
    assert f"<{len(LATIN1_JSON)} bytes: 7b 22 64 72" in text  # Latin-1 JSON
    assert base64.b64encode(IMAGE).decode()[:40] not in text  # no Base64 dump


def test_the_same_image_passes_and_other_bytes_fail(
    verified: tuple[VerificationResult, Path, str],
) -> None:
    result, _, _ = verified
    outcomes = {r.description: r.outcome for r in result.interactions}
    assert outcomes == {
        "the logo": "passed",
        "another logo": "failed",
        "a note": "failed",
        "a drink": "failed",
        "plain words": "failed",
    }
    drink = next(r for r in result.interactions if r.description == "a drink")
    assert "not valid JSON" in drink.mismatches[0].message
    assert "UTF-8" in drink.mismatches[0].message


def test_the_console_report_shows_byte_previews(
    verified: tuple[VerificationResult, Path, str],
) -> None:
    _, _, console = verified
    _previews_of(console)
    assert "\x00" not in console and "\x1b" not in console


def test_the_json_report_shows_byte_previews(
    verified: tuple[VerificationResult, Path, str],
) -> None:
    _, folder, _ = verified
    text = (folder / "report.json").read_text(encoding="utf-8")
    report = json.loads(text)
    _previews_of(text)
    values = [
        value
        for entry in report["interactionResults"]
        for mismatch in entry["mismatches"]
        for value in (mismatch["expected"], mismatch["actual"])
    ]
    assert all(len(json.dumps(value)) < 400 for value in values), values


def test_the_junit_report_is_well_formed_xml_with_byte_previews(
    verified: tuple[VerificationResult, Path, str],
) -> None:
    _, folder, _ = verified
    root = ET.parse(folder / "junit.xml").getroot()  # control characters would break this
    assert root.get("failures") == "4"
    text = "\n".join(
        (failure.text or "") + (failure.get("message") or "") for failure in root.iter("failure")
    )
    _previews_of(text)


PYTEST_CONFTEST = """
import os
import pytest
pytest_plugins = ["accord.verifier.pytest_plugin"]

@pytest.fixture(scope="session")
def accord_provider():
    return os.environ["PROVIDER_URL"]
"""

PYTEST_MODULE = """
import os
import pytest

pytestmark = pytest.mark.accord_pacts(
    dirs=["pacts"], provider_name="accounts"
)

def test_contract(accord_interaction):
    accord_interaction.verify()
"""


def test_the_pytest_plugin_reports_byte_previews(provider: ServerHandle, tmp_path: Path) -> None:
    _pact_file(tmp_path)
    (tmp_path / "conftest.py").write_text(PYTEST_CONFTEST)
    (tmp_path / "test_contract.py").write_text(PYTEST_MODULE)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PROVIDER_URL": provider.url},
        timeout=120,
        check=False,
    )
    out = run.stdout + run.stderr
    assert "INTERNALERROR" not in out and "Traceback" not in out, out
    assert "4 failed, 1 passed" in out, out
    _previews_of(out)
