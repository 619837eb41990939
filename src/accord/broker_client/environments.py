"""Environments: where versions are deployed or released (``pb:environments``).

Commands name environments by ``name``; the broker addresses them by ``uuid``. The lookup reads
``_embedded.environments`` of the list resource (and falls back to the named
``_links["pb:environments"]`` entries older brokers offer), as the official clients do.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accord.broker_client.client import BrokerClient, JsonObject, expand_href
from accord.errors import BrokerLookupError

#: Used when a broker's index has no ``pb:environment`` template (every Pact Broker serves it).
ENVIRONMENT_PATH = "/environments/{uuid}"


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    email_address: str | None = None

    def to_json(self) -> JsonObject:
        contact: JsonObject = {"name": self.name}
        if self.email_address:
            contact["details"] = {"emailAddress": self.email_address}
        return contact


def environment_body(
    name: str,
    *,
    display_name: str | None = None,
    production: bool = False,
    contacts: Sequence[Contact] = (),
) -> JsonObject:
    """The body of ``POST /environments``; optional fields are left out when not given."""
    body: JsonObject = {"name": name, "production": production}
    if display_name:
        body["displayName"] = display_name
    if contacts:
        body["contacts"] = [contact.to_json() for contact in contacts]
    return body


def list_environments(client: BrokerClient) -> JsonObject:
    return client.get_json(client.index_link("pb:environments"))


def environments_of(listing: JsonObject) -> list[JsonObject]:
    embedded = listing.get("_embedded")
    found = embedded.get("environments") if isinstance(embedded, dict) else None
    return [item for item in found or [] if isinstance(item, dict)]


def find_environment(client: BrokerClient, name: str) -> JsonObject:
    """The environment called ``name``, or :class:`BrokerLookupError` naming the ones that exist."""
    listing = list_environments(client)
    environments = environments_of(listing)
    for environment in environments:
        if environment.get("name") == name:
            return environment
    links = listing.get("_links", {}).get("pb:environments")
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict) and link.get("name") == name and "href" in link:
            return client.get_json(str(link["href"]))
    known = ", ".join(sorted(str(env.get("name")) for env in environments)) or "none"
    raise BrokerLookupError(
        f"environment {name!r} does not exist in the broker at {client.base_url} "
        f"(known: {known}); create it with: accord create-environment --name {name}"
    )


def _environment_href(client: BrokerClient, uuid: str) -> str:
    links = client.index().get("_links", {})
    if isinstance(links, dict) and "pb:environment" in links:
        return client.index_link("pb:environment", uuid=uuid)
    return expand_href(ENVIRONMENT_PATH, {"uuid": uuid})


def describe_environment(client: BrokerClient, uuid: str) -> JsonObject:
    return client.get_json(_environment_href(client, uuid))


def create_environment(client: BrokerClient, body: JsonObject) -> JsonObject:
    return client.post_json(client.index_link("pb:environments"), body)


def update_environment(client: BrokerClient, uuid: str, changes: JsonObject) -> JsonObject:
    """Read the environment, apply ``changes`` and ``PUT`` the whole of it back."""
    href = _environment_href(client, uuid)
    current = client.get_json(href)
    body: dict[str, Any] = {
        key: current[key]
        for key in ("name", "displayName", "production", "contacts")
        if key in current and current[key] is not None
    }
    body.update(changes)
    return client.put_json(href, body)


def delete_environment(client: BrokerClient, uuid: str) -> None:
    client.delete(_environment_href(client, uuid))
