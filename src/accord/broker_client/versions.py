"""Pacticipant versions, their tags and branches."""

from collections.abc import Sequence

from accord.broker_client.client import BrokerClient, JsonObject, expand_href
from accord.broker_client.deployments import VERSION_PATH, get_version
from accord.errors import BrokerError, BrokerLookupError

TAG_PATH = "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}"
BRANCH_VERSION_PATH = "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}"


def describe_version(
    client: BrokerClient,
    pacticipant: str,
    *,
    version: str | None = None,
    latest_tag: str | None = None,
) -> JsonObject:
    """A version by number, the latest with a tag, or the latest of all."""
    if version is not None:
        href = client.index_link("pb:pacticipant-version", pacticipant=pacticipant, version=version)
        what = f"version {version!r} of {pacticipant!r}"
    elif latest_tag:
        href = client.index_link(
            "pb:latest-tagged-version", pacticipant=pacticipant, tag=latest_tag
        )
        what = f"a version of {pacticipant!r} tagged {latest_tag!r}"
    else:
        href = client.index_link("pb:latest-version", pacticipant=pacticipant)
        what = f"a version of {pacticipant!r}"
    try:
        return client.get_json(href)
    except BrokerError as exc:
        if exc.status == 404:
            raise BrokerLookupError(
                f"Pacticipant version not found: there is no {what} in the broker at "
                f"{client.base_url}"
            ) from exc
        raise


def tags_of(version: JsonObject) -> list[str]:
    tags = version.get("_embedded", {}).get("tags")
    return [str(tag.get("name")) for tag in tags or [] if isinstance(tag, dict)]


def branches_of(version: JsonObject) -> list[str]:
    embedded = version.get("_embedded", {})
    names = [
        str(item.get("name"))
        for item in embedded.get("branchVersions") or embedded.get("branches") or []
        if isinstance(item, dict) and item.get("name")
    ]
    if not names and isinstance(version.get("branch"), str):
        names.append(version["branch"])
    return names


def create_version_tags(
    client: BrokerClient,
    pacticipant: str,
    version: str,
    tags: Sequence[str],
    *,
    auto_create_version: bool = False,
) -> list[str]:
    """Tag a version; without ``auto_create_version`` the version must exist already."""
    if not auto_create_version:
        get_version(client, pacticipant, version)
    done = []
    for tag in tags:
        href = expand_href(TAG_PATH, {"pacticipant": pacticipant, "version": version, "tag": tag})
        client.put_json(href, {"name": tag})
        done.append(tag)
    return done


def create_or_update_version(
    client: BrokerClient,
    pacticipant: str,
    version: str,
    *,
    branch: str | None = None,
    tags: Sequence[str] = (),
) -> JsonObject:
    """Create the version (on ``branch`` when given), tag it, and return it as stored."""
    values = {"pacticipant": pacticipant, "version": version}
    if branch:
        client.put_json(expand_href(BRANCH_VERSION_PATH, {**values, "branch": branch}), {})
    else:
        try:
            client.get_json(expand_href(VERSION_PATH, values))
        except BrokerError as exc:
            if exc.status != 404:
                raise
            # PUT only to create: on an existing version it would replace its properties.
            client.put_json(expand_href(VERSION_PATH, values), {})
    create_version_tags(client, pacticipant, version, tags, auto_create_version=True)
    return client.get_json(expand_href(VERSION_PATH, values))


def delete_branch(
    client: BrokerClient, pacticipant: str, branch: str, *, error_when_not_found: bool = False
) -> bool:
    """Delete a branch (its versions stay); ``False`` when it did not exist."""
    href = client.index_link("pb:pacticipant-branch", pacticipant=pacticipant, branch=branch)
    try:
        client.delete(href)
    except BrokerError as exc:
        if exc.status != 404:
            raise
        if error_when_not_found:
            raise BrokerLookupError(
                f"branch {branch!r} of {pacticipant!r} does not exist in the broker at "
                f"{client.base_url}"
            ) from exc
        return False
    return True


def delete_version_tag(client: BrokerClient, pacticipant: str, version: str, tag: str) -> bool:
    """Remove ``tag`` from a version; ``False`` when the pacticipant, version or tag is missing.

    Found as the official CLI finds it: ``pb:pacticipant`` from the index, then the
    pacticipant's ``pb:version-tag``; a missing one is reported, not an error, as there.
    """
    try:
        resource = client.get_json(client.index_link("pb:pacticipant", pacticipant=pacticipant))
        client.delete(client.link(resource, "pb:version-tag", version=version, tag=tag))
    except BrokerError as exc:
        if exc.status != 404:
            raise
        return False
    return True
