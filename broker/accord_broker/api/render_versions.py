"""HAL bodies of versions, built for lists of thousands of them (issue #20, the whole lists).

``GET /pacticipants/{p}/versions`` and ``…/branches/{b}/versions`` answer every version when no
page is asked (the Pact Broker's behaviour), about 13 links each. Everything that is the same
for every version of one pacticipant (its URL, the pacticipant link, the curies, the
environments' deployment and release links, each provider's pact URL prefix) is built once
per list by :class:`VersionRenderer`; each version then costs its own few string joins and
dicts. The JSON is the same, byte for byte, as rendering each version on its own.
"""

from datetime import UTC, datetime
from typing import Any

from accord_broker.api.hal import Urls, segment, timestamp
from accord_broker.api.hal_lists import encode
from accord_broker.domain.deployments.environments import EnvironmentView
from accord_broker.domain.versions.views import VersionView

_TAG_TEMPLATE_TITLE = "Get, create or delete a tag for this pacticipant version"


def _text(value: datetime) -> str:
    """``timestamp(value)``, without its conversion for a UTC value (what the database gives)."""
    if value.tzinfo is UTC:
        return (value.replace(microsecond=0) if value.microsecond else value).isoformat()
    return timestamp(value)


def _stamps(created: datetime, updated: datetime | None) -> tuple[str, str | None]:
    """``createdAt``, and ``updatedAt`` only when it reads differently (as ``timestamps``)."""
    created_text = _text(created)
    if updated is None or updated == created:
        return created_text, None
    updated_text = _text(updated)
    return created_text, updated_text if updated_text != created_text else None


class VersionRenderer:
    """Renders versions of one pacticipant, sharing what their bodies have in common.

    The shared parts are the same dict objects in every body of one list: JSON encoding does
    not mind, and nothing changes a rendered list after it is built (a single version resource
    gets a renderer of its own, so adding a link to it touches no other body).
    """

    def __init__(self, urls: Urls, pacticipant: str) -> None:
        self._pacticipant = pacticipant
        pacticipant_href = urls.pacticipant(pacticipant)
        self._versions_prefix = f"{pacticipant_href}/versions/"
        self._branches_prefix = f"{pacticipant_href}/branches/"
        self._pacticipant_link = {
            "href": pacticipant_href,
            "title": "Pacticipant",
            "name": pacticipant,
        }
        self._curies = [
            {"name": "pb", "href": f"{urls.base}/doc/{{rel}}?context=index", "templated": True}
        ]
        self._pacts_prefix = f"{urls.base}/pacts/provider/"
        self._consumer_part = f"/consumer/{segment(pacticipant)}/version/"
        self._environments: tuple[EnvironmentView, ...] | None = None
        self._placements: list[tuple[str, str, str, str]] = []

    def _placement_parts(
        self, environments: tuple[EnvironmentView, ...]
    ) -> list[tuple[str, str, str, str]]:
        """Per environment: deployment path, release path, its shown name and its name."""
        if environments is not self._environments:
            self._environments = environments
            self._placements = [
                (
                    f"/deployed-versions/environment/{env.uuid}",
                    f"/released-versions/environment/{env.uuid}",
                    env.display_name or env.name,
                    env.name,
                )
                for env in environments
            ]
        return self._placements

    def render(self, version: VersionView) -> dict[str, Any]:
        """A version with its branches, tags, pacts and where to record its deployments."""
        owner, number = self._pacticipant, version.number
        number_segment = segment(number)
        self_href = self._versions_prefix + number_segment
        body: dict[str, Any] = {"number": number}
        if version.build_url is not None:
            body["buildUrl"] = version.build_url
        created, updated = _stamps(version.created_at, version.updated_at)
        body["createdAt"] = created
        if updated is not None:
            body["updatedAt"] = updated
        branch_tail = "/versions/" + number_segment
        tag_prefix = self_href + "/tags/"
        body["_embedded"] = {
            "branchVersions": [
                {
                    "name": branch.name,
                    "latest": branch.latest,
                    "_links": {
                        "self": {
                            "href": self._branches_prefix + segment(branch.name) + branch_tail,
                            "title": "Branch version",
                            "name": branch.name,
                        }
                    },
                }
                for branch in version.branches
            ],
            "tags": [
                {
                    "name": tag,
                    "_links": {
                        "self": {"href": tag_prefix + segment(tag), "title": "Tag", "name": tag}
                    },
                }
                for tag in version.tags
            ],
        }
        placements = self._placement_parts(version.environments)
        pact_title = f"Pact between {owner} ({number}) and "
        pact_tail = self._consumer_part + number_segment
        body["_links"] = {
            "self": {"href": self_href, "title": "Version", "name": number},
            "pb:pacticipant": self._pacticipant_link,
            "pb:tag": {
                "href": tag_prefix + "{tag}",
                "title": _TAG_TEMPLATE_TITLE,
                "templated": True,
            },
            "pb:pact-versions": [
                {
                    "href": self._pacts_prefix + segment(provider) + pact_tail,
                    "title": "Pact",
                    "name": pact_title + provider,
                }
                for provider in version.pact_providers
            ],
            "pb:record-deployment": [
                {
                    "href": self_href + deployed,
                    "title": f"Record deployment to {shown}",
                    "name": name,
                }
                for deployed, _released, shown, name in placements
            ],
            "pb:record-release": [
                {"href": self_href + released, "title": f"Record release to {shown}", "name": name}
                for _deployed, released, shown, name in placements
            ],
            "curies": self._curies,
        }
        return body


def render_versions(
    urls: Urls, pacticipant: str, versions: list[VersionView]
) -> list[dict[str, Any]]:
    """Bodies of many versions of ``pacticipant``, in the order given."""
    renderer = VersionRenderer(urls, pacticipant)
    return [renderer.render(version) for version in versions]


def encoded_versions(urls: Urls, pacticipant: str, versions: list[VersionView]) -> list[bytes]:
    """:func:`render_versions`, each body encoded as soon as it is built (``hal_lists``)."""
    renderer = VersionRenderer(urls, pacticipant)
    return [encode(renderer.render(version)) for version in versions]


def version_links(
    urls: Urls, pacticipant: str, versions: list[VersionView]
) -> list[dict[str, str]]:
    """Each version's ``self`` link, as its body has it (a list's ``pb:versions``)."""
    prefix = urls.versions(pacticipant) + "/"
    return [
        {"href": prefix + segment(v.number), "title": "Version", "name": v.number} for v in versions
    ]
