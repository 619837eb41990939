"""HAL bodies of pacticipants, versions, tags and branches (field names as the Pact Broker's).

Each renderer takes the domain's read model (``PacticipantView``, ``VersionView``, …) and
nothing else: everything a resource shows was loaded inside the unit of work.
"""

from typing import Any

from accord_broker.api.hal import Urls, link, segment, timestamp
from accord_broker.api.render_versions import VersionRenderer
from accord_broker.domain.pacticipants.views import PacticipantView
from accord_broker.domain.versions.views import (
    BranchVersionView,
    BranchView,
    TagView,
    VersionView,
)


def curies(urls: Urls) -> list[dict[str, Any]]:
    return [{"name": "pb", "href": f"{urls.base}/doc/{{rel}}?context=index", "templated": True}]


def timestamps(created: Any, updated: Any = None) -> dict[str, str]:
    rendered = {"createdAt": timestamp(created)}
    if updated is not None and timestamp(updated) != rendered["createdAt"]:
        rendered["updatedAt"] = timestamp(updated)
    return rendered


def pacticipant_summary(urls: Urls, name: str, display_name: str | None) -> dict[str, Any]:
    return {
        "name": name,
        "displayName": display_name,
        "_links": {"self": link(urls.pacticipant(name), title="Pacticipant", name=name)},
    }


_VERSION_TEMPLATE_TITLE = "Get, create or delete a pacticipant version"
_TAG_TEMPLATE_TITLE = "Get, create or delete a tag for a version of this pacticipant"
_BRANCH_VERSION_TEMPLATE_TITLE = "Get or add/create a version for a branch of this pacticipant"
_LABEL_TEMPLATE_TITLE = "Get, create or delete a label for this pacticipant"


class PacticipantRenderer:
    """Renders pacticipants; a list of them shares the curies (the same for every body)."""

    def __init__(self, urls: Urls) -> None:
        self._urls = urls
        self._curies = curies(urls)

    def render(self, p: PacticipantView) -> dict[str, Any]:
        name = p.name
        base = self._urls.pacticipant(name)
        body: dict[str, Any] = {"name": name, "displayName": p.display_name}
        for key, value in (
            ("repositoryUrl", p.repository_url),
            ("repositoryName", p.repository_name),
            ("repositoryNamespace", p.repository_namespace),
            ("mainBranch", p.main_branch),
        ):
            if value is not None:
                body[key] = value
        body.update(timestamps(p.created_at, p.updated_at))
        latest = p.latest_version
        embedded: dict[str, Any] = {
            "labels": [
                {
                    "name": label,
                    "_links": {
                        "self": {
                            "href": f"{base}/labels/{segment(label)}",
                            "title": "Label",
                            "name": label,
                        }
                    },
                }
                for label in p.labels
            ]
        }
        versions = f"{base}/versions"
        if latest is not None:
            version_link = {
                "href": f"{versions}/{segment(latest)}",
                "title": "Version",
                "name": latest,
            }
            embedded["latestVersion"] = {"number": latest, "_links": {"self": version_link}}
        body["_embedded"] = embedded
        body["_links"] = {
            "self": {"href": base, "title": "Pacticipant", "name": name},
            "pb:versions": {"href": versions},
            "pb:branches": {"href": f"{base}/branches"},
            "pb:version": {
                "href": f"{versions}/{{version}}",
                "title": _VERSION_TEMPLATE_TITLE,
                "templated": True,
            },
            "pb:version-tag": {
                "href": f"{versions}/{{version}}/tags/{{tag}}",
                "title": _TAG_TEMPLATE_TITLE,
                "templated": True,
            },
            "pb:branch-version": {
                "href": f"{base}/branches/{{branch}}/versions/{{version}}",
                "title": _BRANCH_VERSION_TEMPLATE_TITLE,
                "templated": True,
            },
            "pb:label": {
                "href": f"{base}/labels/{{label}}",
                "title": _LABEL_TEMPLATE_TITLE,
                "templated": True,
            },
            "versions": {"href": versions, "title": "DEPRECATED - please use pb:versions"},
            "curies": self._curies,
        }
        return body


def render_pacticipant(urls: Urls, p: PacticipantView) -> dict[str, Any]:
    return PacticipantRenderer(urls).render(p)


def render_tag(urls: Urls, tag: TagView) -> dict[str, Any]:
    owner, number = tag.pacticipant, tag.version
    return {
        "name": tag.name,
        **timestamps(tag.created_at),
        "_links": {
            "self": link(urls.tag(owner, number, tag.name), title="Tag", name=tag.name),
            "version": link(urls.version(owner, number), title="Version", name=number),
            "pacticipant": link(urls.pacticipant(owner), title="Pacticipant", name=owner),
        },
    }


def render_version(urls: Urls, version: VersionView) -> dict[str, Any]:
    """A version with its branches, tags, pacts and where to record its deployments (the body
    is built by ``render_versions.VersionRenderer``, which lists of versions share)."""
    return VersionRenderer(urls, version.pacticipant).render(version)


def render_branch(urls: Urls, branch: BranchView) -> dict[str, Any]:
    owner = branch.pacticipant
    href = urls.branch(owner, branch.name)
    return {
        "name": branch.name,
        **timestamps(branch.created_at, branch.updated_at),
        "_links": {
            "self": link(href, title="Branch", name=branch.name),
            "pb:latest-version": link(f"{href}/latest-version", title="Latest version for branch"),
            "pb:versions": link(f"{href}/versions", title="Versions for branch"),
            "pb:pacticipant": link(urls.pacticipant(owner), title="Pacticipant", name=owner),
        },
    }


def render_branch_version(urls: Urls, bv: BranchVersionView) -> dict[str, Any]:
    owner, branch, number = bv.pacticipant, bv.branch, bv.version
    return {
        **timestamps(bv.created_at),
        "_links": {
            "self": link(urls.branch_version(owner, branch, number), title="Branch version"),
            "pb:branch": link(urls.branch(owner, branch), title="Branch", name=branch),
            "pb:version": link(urls.version(owner, number), title="Version", name=number),
        },
    }
