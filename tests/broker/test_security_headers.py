"""Security finding 2 (issue #20): every page is protected from framing, sniffing and injection.

No HTML page sent a Content-Security-Policy, ``frame-ancestors`` or X-Frame-Options
(clickjacking), and ``/api-docs`` lacked nosniff and loaded its scripts from a CDN. Now every
response carries the headers, pages have no inline script or style, and ``/api-docs`` serves
Swagger UI from the broker itself.
"""

import re

import pytest
import requests

from tests.broker.conftest import RunningBroker, make_pact

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PAGES = [
    "/",
    "/ui/",
    "/ui/network",
    "/pacticipants/Web",
    "/pacts/provider/Accounts/consumer/Web/latest",
    "/matrix/provider/Accounts/consumer/Web",
    "/ui/pacticipants/Nobody",
    "/api-docs",
]


def _directives(policy: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def _assert_protected(response: requests.Response) -> None:
    where = response.url
    assert response.headers.get("x-content-type-options") == "nosniff", where
    assert response.headers.get("x-frame-options") == "DENY", where
    assert response.headers.get("referrer-policy"), where
    policy = _directives(response.headers.get("content-security-policy", ""))
    assert policy.get("frame-ancestors") == "'none'", where
    assert policy.get("script-src") == "'self'", where  # no inline script, no other origin
    assert "unsafe-inline" not in policy.get("style-src", "'self'"), where
    assert policy.get("default-src") == "'none'", where


@pytest.fixture
def published(broker: RunningBroker) -> RunningBroker:
    broker.publish("Web", "1", make_pact("Web", "Accounts"))
    return broker


def test_every_page_carries_a_strict_policy(published: RunningBroker) -> None:
    for path in PAGES:
        page = published.get(path, headers=BROWSER)

        assert page.headers["content-type"].startswith("text/html"), path
        _assert_protected(page)
        assert not re.search(r"<script(?![^>]*\ssrc=)", page.text), f"inline script on {path}"
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", page.text), f"inline on {path}"
        scripts = re.findall(r'<script[^>]*\ssrc="([^"]+)"', page.text)
        styles = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', page.text)
        for asset in scripts + styles:
            assert asset.startswith(published.url + "/"), f"{asset} is not the broker's"
            served = requests.get(asset, timeout=30)
            assert served.status_code == 200, asset
            assert served.headers["x-content-type-options"] == "nosniff"


def test_api_answers_errors_and_assets_carry_the_headers_too(published: RunningBroker) -> None:
    answers = [
        published.get("/"),
        published.get("/nothing/here"),
        published.get("/ui/accord.css"),
        published.get("/pacticipants/Web/latest-version/badge"),
        requests.post(published.url + "/pacticipants", data=b"x", timeout=30),
    ]

    for answer in answers:
        _assert_protected(answer)


def test_api_docs_use_the_packaged_swagger_ui(published: RunningBroker) -> None:
    page = published.get("/api-docs")

    assert "cdn" not in page.text.lower()
    assert f'src="{published.url}/api-docs/swagger-ui-bundle.js"' in page.text
    bundle = published.get("/api-docs/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert "SwaggerUIBundle" in bundle.text
    assert published.get("/api-docs/..%2Fsettings.py").status_code == 404
