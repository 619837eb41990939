"""Pacticipants (the applications in contracts): create or update, describe, list."""

from dataclasses import dataclass

from accord.broker_client.client import BrokerClient, JsonObject
from accord.errors import BrokerError, BrokerLookupError


@dataclass(frozen=True, slots=True)
class PacticipantChange:
    """What ``create-or-update-pacticipant`` sets; ``None`` fields are left as they are."""

    name: str
    display_name: str | None = None
    main_branch: str | None = None
    repository_url: str | None = None

    def to_json(self) -> JsonObject:
        body: JsonObject = {"name": self.name}
        if self.display_name is not None:
            body["displayName"] = self.display_name
        if self.main_branch is not None:
            body["mainBranch"] = self.main_branch
        if self.repository_url is not None:
            body["repositoryUrl"] = self.repository_url
        return body


def find_pacticipant(client: BrokerClient, name: str) -> JsonObject | None:
    """The pacticipant resource, or ``None`` when the broker answers 404."""
    try:
        return client.get_json(client.index_link("pb:pacticipant", pacticipant=name))
    except BrokerError as exc:
        if exc.status == 404:
            return None
        raise


def describe_pacticipant(client: BrokerClient, name: str) -> JsonObject:
    found = find_pacticipant(client, name)
    if found is None:
        raise BrokerLookupError(
            f"pacticipant {name!r} does not exist in the broker at {client.base_url}; "
            "list them with: accord list-pacticipants"
        )
    return found


def create_or_update_pacticipant(
    client: BrokerClient, change: PacticipantChange
) -> tuple[JsonObject, bool]:
    """``(resource, created)``: POST to ``pb:pacticipants`` if new, else merge-PATCH it."""
    existing = find_pacticipant(client, change.name)
    if existing is None:
        return client.post_json(client.index_link("pb:pacticipants"), change.to_json()), True
    return client.patch_json(client.link(existing, "self"), change.to_json()), False


def list_pacticipants(client: BrokerClient) -> JsonObject:
    return client.get_json(client.index_link("pb:pacticipants"))


def pacticipants_of(listing: JsonObject) -> list[JsonObject]:
    """Entries of the list, from ``_embedded.pacticipants`` or the top-level ``pacticipants``."""
    embedded = listing.get("_embedded")
    found = embedded.get("pacticipants") if isinstance(embedded, dict) else None
    if found is None:
        found = listing.get("pacticipants")
    return [item for item in found or [] if isinstance(item, dict)]
