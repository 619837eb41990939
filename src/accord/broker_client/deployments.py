"""Record what runs where: deployments and releases of a pacticipant version.

``record-deployment``/``record-release`` read the version resource (at the path every Pact
Broker serves, as the official CLIs do) and follow its ``pb:record-deployment`` /
``pb:record-release`` link whose ``name`` is the environment. Ending a deployment or a release
goes through the environment's currently-deployed/-supported lists and PATCHes the record.
Both kinds share one path; what differs (link relations, keys, the flag) is a :class:`Kind`.
"""

from dataclasses import dataclass
from typing import Any, Literal

from accord.broker_client.client import BrokerClient, JsonObject, expand_href
from accord.broker_client.environments import find_environment
from accord.errors import BrokerError, BrokerLookupError

VERSION_PATH = "/pacticipants/{pacticipant}/versions/{version}"


def get_version(client: BrokerClient, pacticipant: str, version: str) -> JsonObject:
    """The version resource, or :class:`BrokerLookupError` when the broker does not know it."""
    href = expand_href(VERSION_PATH, {"pacticipant": pacticipant, "version": version})
    try:
        return client.get_json(href)
    except BrokerError as exc:
        if exc.status == 404:
            raise BrokerLookupError(
                f"version {version!r} of {pacticipant!r} does not exist in the broker at "
                f"{client.base_url}; publish a pact or create it with: "
                f"accord create-or-update-version --pacticipant {pacticipant} --version {version}"
            ) from exc
        raise


def _environment_link(
    client: BrokerClient, version: JsonObject, relation: str, environment: str
) -> str:
    links = version.get("_links", {}).get(relation)
    candidates = links if isinstance(links, list) else [links] if isinstance(links, dict) else []
    for link in candidates:
        if isinstance(link, dict) and link.get("name") == environment and "href" in link:
            return str(link["href"])
    find_environment(client, environment)  # raises with the list of known environments
    raise BrokerLookupError(
        f"the broker at {client.base_url} offers no {relation!r} link for environment "
        f"{environment!r} on this version"
    )


@dataclass(frozen=True, slots=True)
class Kind:
    """How the broker exposes one kind of "what runs where" record, as data.

    ``record_relation`` is the version's link to record one; ``current_relations`` the
    environment's links to the current ones (newest name first), ``current_path`` the path
    used when the environment offers neither; ``collection`` the embedded key of those lists
    and ``flag`` the field a merge-patch sets to ``false`` to end one.
    """

    name: Literal["deployed", "released"]
    record_relation: str
    current_relations: tuple[str, str]
    current_path: str
    collection: str
    flag: str
    per_instance: bool


DEPLOYED = Kind(
    name="deployed",
    record_relation="pb:record-deployment",
    current_relations=(
        "pb:currently-deployed-deployed-versions",
        "pb:currently-deployed-versions",
    ),
    current_path="deployed-versions/currently-deployed",
    collection="deployedVersions",
    flag="currentlyDeployed",
    per_instance=True,
)
RELEASED = Kind(
    name="released",
    record_relation="pb:record-release",
    current_relations=(
        "pb:currently-supported-released-versions",
        "pb:currently-supported-versions",
    ),
    current_path="released-versions/currently-supported",
    collection="releasedVersions",
    flag="currentlySupported",
    per_instance=False,
)


def record(
    client: BrokerClient,
    kind: Kind,
    pacticipant: str,
    version: str,
    environment: str,
    *,
    application_instance: str | None = None,
) -> JsonObject:
    """Record ``version`` as deployed/released to ``environment``.

    A deployment replaces the previous one (per application instance); earlier releases stay
    supported. ``application_instance`` applies to deployments only.
    """
    resource = get_version(client, pacticipant, version)
    href = _environment_link(client, resource, kind.record_relation, environment)
    body: JsonObject = {}
    if kind.per_instance and application_instance:
        body = {"applicationInstance": application_instance, "target": application_instance}
    return client.post_json(href, body)


def _first_link(resource: JsonObject, *relations: str) -> str | None:
    links = resource.get("_links", {})
    for relation in relations:
        link = links.get(relation) if isinstance(links, dict) else None
        if isinstance(link, dict) and "href" in link:
            return str(link["href"])
    return None


def _embedded(resource: JsonObject, key: str) -> list[JsonObject]:
    found = resource.get("_embedded", {}).get(key)
    return [item for item in found or [] if isinstance(item, dict)]


def _name_of(record: JsonObject, key: str, field: str) -> Any:
    embedded = record.get("_embedded", {}).get(key)
    return embedded.get(field) if isinstance(embedded, dict) else None


def current(
    client: BrokerClient, kind: Kind, environment: JsonObject, pacticipant: str | None = None
) -> list[JsonObject]:
    """The current records of ``environment`` (optionally of one pacticipant)."""
    href = _first_link(environment, *kind.current_relations)
    if href is None:
        href = f"/environments/{environment.get('uuid')}/{kind.current_path}"
    if pacticipant is not None:
        href += expand_href("?pacticipant={p}", {"p": pacticipant})
    records = _embedded(client.get_json(href), kind.collection)
    if pacticipant is None:
        return records
    return [r for r in records if _name_of(r, "pacticipant", "name") == pacticipant]


def _end(client: BrokerClient, kind: Kind, records: list[JsonObject]) -> list[JsonObject]:
    """PATCH each record's flag to ``false`` (undeployed / support ended)."""
    return [client.patch_json(_first_link(r, "self") or "", {kind.flag: False}) for r in records]


def record_undeployment(
    client: BrokerClient,
    pacticipant: str,
    environment: str,
    *,
    application_instance: str | None = None,
) -> list[JsonObject]:
    """Mark the pacticipant's current deployments in ``environment`` as ended.

    With several application instances deployed and none named, this refuses (as the official
    CLI does) rather than guess which to end.
    """
    env = find_environment(client, environment)
    records = current(client, DEPLOYED, env, pacticipant)
    if application_instance is not None:
        records = [
            r
            for r in records
            if (r.get("applicationInstance") or r.get("target")) == application_instance
        ]
    elif any(r.get("applicationInstance") or r.get("target") for r in records):
        instances = sorted(
            str(r.get("applicationInstance") or r.get("target"))
            for r in records
            if r.get("applicationInstance") or r.get("target")
        )
        raise BrokerLookupError(
            f"{pacticipant} is deployed to {environment} as application instance(s) "
            f"{', '.join(instances)}; pass --application-instance to say which one ended"
        )
    if not records:
        instance = f" (application instance {application_instance})" if application_instance else ""
        raise BrokerLookupError(
            f"{pacticipant} is not currently deployed to {environment}{instance}; "
            "nothing to undeploy"
        )
    return _end(client, DEPLOYED, records)


def record_support_ended(
    client: BrokerClient, pacticipant: str, version: str, environment: str
) -> list[JsonObject]:
    """Mark the release of ``version`` in ``environment`` as no longer supported."""
    env = find_environment(client, environment)
    records = [
        r
        for r in current(client, RELEASED, env, pacticipant)
        if _name_of(r, "version", "number") == version
    ]
    if not records:
        raise BrokerLookupError(
            f"{pacticipant} version {version} is not currently released to {environment}; "
            "nothing to end support for"
        )
    return _end(client, RELEASED, records)
