"""The provider states a provider's pacts use (``provider-states list``).

Read from the Pact Broker's ``/pacts/provider/{provider}/provider-states`` (the latest pact of
each consumer's main branch), ``…/branch/{branch}`` or ``…/environment/{environment}`` (by
name), the fixed paths the official CLI reads.
"""

from dataclasses import dataclass
from typing import Any

from accord.broker_client.client import BrokerClient, JsonObject, expand_href
from accord.errors import BrokerError, BrokerLookupError

__all__ = ["ProviderState", "list_provider_states", "provider_states_of"]


@dataclass(frozen=True, slots=True)
class ProviderState:
    """One state, its params (``None`` when it has none) and the consumers that use it."""

    name: str
    params: dict[str, Any] | None
    consumers: tuple[str, ...]


def list_provider_states(
    client: BrokerClient,
    provider: str,
    *,
    branch: str | None = None,
    environment: str | None = None,
) -> JsonObject:
    """The broker's ``{"providerStates": [...]}`` for the provider's main branches, a consumer
    branch or an environment; an unknown provider is a :class:`BrokerLookupError`."""
    path = "/pacts/provider/{provider}/provider-states"
    if branch is not None:
        path += "/branch/{branch}"
    elif environment is not None:
        path += "/environment/{environment}"
    values = {"provider": provider, "branch": branch or "", "environment": environment or ""}
    try:
        return client.get_json(expand_href(path, values))
    except BrokerError as exc:
        if exc.status == 404:
            raise BrokerLookupError(
                f"provider {provider!r} not found in the broker at {client.base_url} "
                f"({exc.url} answered 404); check the name with `accord list-pacticipants`"
            ) from exc
        raise


def provider_states_of(document: JsonObject) -> list[ProviderState]:
    """The entries of a ``providerStates`` document, skipping any that are not objects."""
    entries = document.get("providerStates")
    states = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        params = entry.get("params")
        consumers = entry.get("consumers")
        states.append(
            ProviderState(
                name=str(entry.get("name", "")),
                params=params if isinstance(params, dict) else None,
                consumers=tuple(str(c) for c in consumers) if isinstance(consumers, list) else (),
            )
        )
    return states
