"""HAL bodies of pacticipants, versions, tags and branches (field names as the Pact Broker's)."""

from collections.abc import Sequence
from typing import Any

from accord_broker.api.hal import Urls, link, segment, timestamp
from accord_broker.domain.deployments.environments import list_environments
from accord_broker.domain.pacticipants.labels import labels_of
from accord_broker.domain.pacts.pacts import pacts_of_version
from accord_broker.domain.records import (
    Branch,
    BranchVersion,
    Environment,
    Pacticipant,
    Tag,
    Version,
)
from accord_broker.domain.unit_of_work import Session
from accord_broker.domain.versions.branches import branch_names_of
from accord_broker.domain.versions.tags import tags_of
from accord_broker.domain.versions.versions import newest_version_of


def curies(urls: Urls) -> list[dict[str, Any]]:
    return [{"name": "pb", "href": f"{urls.base}/doc/{{rel}}?context=index", "templated": True}]


def timestamps(created: Any, updated: Any = None) -> dict[str, str]:
    rendered = {"createdAt": timestamp(created)}
    if updated is not None and timestamp(updated) != rendered["createdAt"]:
        rendered["updatedAt"] = timestamp(updated)
    return rendered


def pacticipant_summary(urls: Urls, p: Pacticipant) -> dict[str, Any]:
    return {
        "name": p.name,
        "displayName": p.display_name,
        "_links": {"self": link(urls.pacticipant(p.name), title="Pacticipant", name=p.name)},
    }


def render_pacticipant(session: Session, urls: Urls, p: Pacticipant) -> dict[str, Any]:
    base = urls.pacticipant(p.name)
    body: dict[str, Any] = {"name": p.name, "displayName": p.display_name}
    for key, value in (
        ("repositoryUrl", p.repository_url),
        ("repositoryName", p.repository_name),
        ("repositoryNamespace", p.repository_namespace),
        ("mainBranch", p.main_branch),
    ):
        if value is not None:
            body[key] = value
    body.update(timestamps(p.created_at, p.updated_at))
    latest = newest_version_of(session, p)
    embedded: dict[str, Any] = {
        "labels": [
            {
                "name": label.name,
                "_links": {
                    "self": link(
                        f"{base}/labels/{segment(label.name)}", title="Label", name=label.name
                    )
                },
            }
            for label in labels_of(session, p)
        ]
    }
    if latest is not None:
        version_link = link(
            urls.version(p.name, latest.number), title="Version", name=latest.number
        )
        embedded["latestVersion"] = {"number": latest.number, "_links": {"self": version_link}}
    body["_embedded"] = embedded
    body["_links"] = {
        "self": link(base, title="Pacticipant", name=p.name),
        "pb:versions": link(f"{base}/versions"),
        "pb:branches": link(f"{base}/branches"),
        "pb:version": link(
            f"{base}/versions/{{version}}",
            title="Get, create or delete a pacticipant version",
            templated=True,
        ),
        "pb:version-tag": link(
            f"{base}/versions/{{version}}/tags/{{tag}}",
            title="Get, create or delete a tag for a version of this pacticipant",
            templated=True,
        ),
        "pb:branch-version": link(
            f"{base}/branches/{{branch}}/versions/{{version}}",
            title="Get or add/create a version for a branch of this pacticipant",
            templated=True,
        ),
        "pb:label": link(
            f"{base}/labels/{{label}}",
            title="Get, create or delete a label for this pacticipant",
            templated=True,
        ),
        "versions": link(f"{base}/versions", title="DEPRECATED - please use pb:versions"),
        "curies": curies(urls),
    }
    return body


def render_tag(urls: Urls, p: Pacticipant, version: Version, tag: Tag) -> dict[str, Any]:
    return {
        "name": tag.name,
        **timestamps(tag.created_at),
        "_links": {
            "self": link(urls.tag(p.name, version.number, tag.name), title="Tag", name=tag.name),
            "version": link(
                urls.version(p.name, version.number), title="Version", name=version.number
            ),
            "pacticipant": link(urls.pacticipant(p.name), title="Pacticipant", name=p.name),
        },
    }


def all_environments(session: Session) -> Sequence[Environment]:
    return list_environments(session)


def render_version(
    session: Session,
    urls: Urls,
    version: Version,
    *,
    environments: Sequence[Environment] | None = None,
) -> dict[str, Any]:
    """A version; pass ``environments`` (all of them) when rendering many versions at once."""
    p = version.pacticipant
    self_href = urls.version(p.name, version.number)
    tags = tags_of(session, version)
    branches = branch_names_of(session, version)
    if environments is None:
        environments = all_environments(session)
    pacts = pacts_of_version(session, version)
    body: dict[str, Any] = {"number": version.number}
    if version.build_url is not None:
        body["buildUrl"] = version.build_url
    body.update(timestamps(version.created_at, version.updated_at))
    body["_embedded"] = {
        "branchVersions": [
            {
                "name": name,
                "latest": head,
                "_links": {
                    "self": link(
                        urls.branch_version(p.name, name, version.number),
                        title="Branch version",
                        name=name,
                    )
                },
            }
            for name, head in branches
        ],
        "tags": [
            {
                "name": t.name,
                "_links": {
                    "self": link(urls.tag(p.name, version.number, t.name), title="Tag", name=t.name)
                },
            }
            for t in tags
        ],
    }
    body["_links"] = {
        "self": link(self_href, title="Version", name=version.number),
        "pb:pacticipant": link(urls.pacticipant(p.name), title="Pacticipant", name=p.name),
        "pb:tag": link(
            f"{self_href}/tags/{{tag}}",
            title="Get, create or delete a tag for this pacticipant version",
            templated=True,
        ),
        "pb:pact-versions": [
            link(
                urls.pact_for_version(ref.provider.name, p.name, version.number),
                title="Pact",
                name=f"Pact between {p.name} ({version.number}) and {ref.provider.name}",
            )
            for ref in pacts
        ],
        "pb:record-deployment": [
            link(
                f"{self_href}/deployed-versions/environment/{env.uuid}",
                title=f"Record deployment to {env.display_name or env.name}",
                name=env.name,
            )
            for env in environments
        ],
        "pb:record-release": [
            link(
                f"{self_href}/released-versions/environment/{env.uuid}",
                title=f"Record release to {env.display_name or env.name}",
                name=env.name,
            )
            for env in environments
        ],
        "curies": curies(urls),
    }
    return body


def render_branch(urls: Urls, p: Pacticipant, branch: Branch) -> dict[str, Any]:
    href = urls.branch(p.name, branch.name)
    return {
        "name": branch.name,
        **timestamps(branch.created_at, branch.updated_at),
        "_links": {
            "self": link(href, title="Branch", name=branch.name),
            "pb:latest-version": link(f"{href}/latest-version", title="Latest version for branch"),
            "pb:versions": link(f"{href}/versions", title="Versions for branch"),
            "pb:pacticipant": link(urls.pacticipant(p.name), title="Pacticipant", name=p.name),
        },
    }


def render_branch_version(
    urls: Urls, p: Pacticipant, branch: Branch, version: Version, bv: BranchVersion
) -> dict[str, Any]:
    return {
        **timestamps(bv.created_at),
        "_links": {
            "self": link(
                urls.branch_version(p.name, branch.name, version.number), title="Branch version"
            ),
            "pb:branch": link(urls.branch(p.name, branch.name), title="Branch", name=branch.name),
            "pb:version": link(
                urls.version(p.name, version.number), title="Version", name=version.number
            ),
        },
    }
