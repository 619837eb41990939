"""Whole lists are encoded item by item, and must read exactly as one HAL body would.

``api/hal_lists.py`` encodes each version as soon as it is rendered and joins the bytes;
``api/render_versions.py`` shares what a list's versions have in common. Clients compare
answers byte for byte (ETags, caches, the compatibility suite), so these tests hold both to
the bytes ``HalResponse`` writes for the same body built in one piece.
"""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from accord_broker.api.hal import HalResponse, Urls, timestamp
from accord_broker.api.hal_lists import embedded_list_body, encode
from accord_broker.api.render import render_version
from accord_broker.api.render_versions import encoded_versions, render_versions
from accord_broker.domain.deployments.environments import EnvironmentView
from accord_broker.domain.versions.views import BranchHead, VersionView

URLS = Urls("https://broker.example/base")
CREATED = datetime(2026, 1, 2, 3, 4, 5, 678_000, tzinfo=UTC)
ENVIRONMENTS = (
    EnvironmentView("u-1", "production", "Production ✓", True, None, CREATED, CREATED),
    EnvironmentView("u-2", "test", None, False, None, CREATED, CREATED),
)


def _version(number: str, **changes: Any) -> VersionView:
    fields: dict[str, Any] = {
        "pacticipant": 'Web "app"/é',
        "number": number,
        "build_url": None,
        "created_at": CREATED,
        "updated_at": CREATED,
        "branches": (BranchHead("feat/x y", True), BranchHead("main", False)),
        "tags": ("dev", "a/b c", "ünï"),
        "pact_providers": ("Accounts", "Bank/API"),
        "environments": ENVIRONMENTS,
    }
    fields.update(changes)
    return VersionView(**fields)


VERSIONS = [
    _version("1.0.0+b5 x"),
    _version("2.0-é😀", build_url='https://ci.example/run?id=1&x="q"'),
    _version("3", updated_at=CREATED + timedelta(seconds=2), tags=(), branches=()),
    _version("4", updated_at=CREATED + timedelta(microseconds=1), pact_providers=()),
    _version("5", created_at=datetime(2026, 1, 2, 5, 4, 5, tzinfo=timezone(timedelta(hours=2)))),
]


def test_a_list_of_versions_reads_as_each_version_rendered_on_its_own() -> None:
    listed = render_versions(URLS, 'Web "app"/é', VERSIONS)

    assert listed == [render_version(URLS, v) for v in VERSIONS]
    assert encoded_versions(URLS, 'Web "app"/é', VERSIONS) == [encode(v) for v in listed]


def test_a_version_keeps_its_fields_and_their_order() -> None:
    body = render_version(URLS, VERSIONS[1])

    assert list(body) == ["number", "buildUrl", "createdAt", "_embedded", "_links"]
    assert body["createdAt"] == "2026-01-02T03:04:05+00:00"
    assert "updatedAt" not in body
    assert list(body["_links"]) == [
        "self",
        "pb:pacticipant",
        "pb:tag",
        "pb:pact-versions",
        "pb:record-deployment",
        "pb:record-release",
        "curies",
    ]
    assert body["_links"]["self"]["href"] == (
        "https://broker.example/base/pacticipants/Web%20%22app%22%2F%C3%A9/versions/"
        "2.0-%C3%A9%F0%9F%98%80"
    )
    assert body["_links"]["pb:record-deployment"][0] == {
        "href": body["_links"]["self"]["href"] + "/deployed-versions/environment/u-1",
        "title": "Record deployment to Production ✓",
        "name": "production",
    }
    assert body["_links"]["pb:record-release"][1]["title"] == "Record release to test"


def test_updated_at_is_shown_only_when_it_reads_differently() -> None:
    later, within_the_second = (render_version(URLS, v) for v in VERSIONS[2:4])

    assert later["updatedAt"] == "2026-01-02T03:04:07+00:00"
    assert "updatedAt" not in within_the_second


def test_timestamps_of_any_offset_read_as_utc_seconds() -> None:
    body = render_version(URLS, VERSIONS[4])

    assert body["createdAt"] == timestamp(VERSIONS[4].created_at) == "2026-01-02T03:04:05+00:00"


def test_an_encoded_list_body_is_the_body_halresponse_writes() -> None:
    items = render_versions(URLS, 'Web "app"/é', VERSIONS)
    rest: dict[str, Any] = {
        "_links": {"self": {"href": "https://broker.example/x", "title": 'Ünï "q" \u2028'}},
        "page": {"number": 1, "size": 5, "totalElements": 5, "totalPages": 1},
    }

    spliced = embedded_list_body("versions", [encode(item) for item in items], rest)

    assert spliced == HalResponse({"_embedded": {"versions": items}, **rest}).body


def test_an_empty_list_encodes_as_an_empty_array() -> None:
    rest = {"_links": {"self": {"href": "https://broker.example/x"}}}

    spliced = embedded_list_body("versions", [], rest)

    assert spliced == HalResponse({"_embedded": {"versions": []}, **rest}).body
