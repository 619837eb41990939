"""Where pacts come from: files, directories, URLs and brokers.

Every source yields :class:`LoadedPact` values: the parsed pact plus what a broker said about it
(pending, WIP, notices, where to publish results). Parsing happens once per pact; nothing is
re-read per interaction.
"""

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import AccordError, BrokerError, PactFormatError, VerifierConfigError
from accord.pact import Pact
from accord.pact.parse import load_pact, parse_pact

if TYPE_CHECKING:  # the broker client loads with the first broker or URL source, not before
    from accord.broker_client import BrokerAuth, BrokerClient


@dataclass(frozen=True, slots=True)
class LoadedPact:
    """A parsed pact and what its source said about it (pending, WIP, where to publish)."""

    pact: Pact
    source: str
    pending: bool = False
    wip: bool = False
    notices: tuple[Mapping[str, str], ...] = ()
    publish_url: str | None = None
    provider_url: str | None = None
    short_description: str = ""
    consumer_version: str | None = None
    """The consumer version the broker says the pact belongs to (``pb:consumer-version``);
    ``None`` for files."""


def _no_credentials() -> "BrokerAuth":
    """No broker credentials (the broker client is imported when a broker is used)."""
    from accord.broker_client import BrokerAuth

    return BrokerAuth()


@dataclass(frozen=True, slots=True)
class BrokerOptions:
    """How to ask a broker for pacts (the ``pact verifier`` broker flags, one field each)."""

    url: str
    provider: str
    auth: "BrokerAuth" = field(default_factory=_no_credentials)
    consumer_version_selectors: Sequence[Mapping[str, Any]] = ()
    consumer_version_tags: Sequence[str] = ()
    enable_pending: bool = False
    include_wip_pacts_since: str | None = None
    provider_branch: str | None = None
    provider_tags: Sequence[str] = ()
    retries: int = 3


@dataclass(frozen=True, slots=True)
class _BrokerLinks:
    """What a broker's pact document links to that the verifier uses."""

    publish_url: str | None = None
    provider_url: str | None = None
    consumer_version: str | None = None


def _links_of(document: Mapping[str, Any]) -> _BrokerLinks:
    links = document.get("_links")
    if not isinstance(links, Mapping):
        return _BrokerLinks()

    def field_of(relation: str, key: str) -> str | None:
        link = links.get(relation)
        if isinstance(link, Mapping) and isinstance(link.get(key), str):
            return str(link[key])
        return None

    return _BrokerLinks(
        field_of("pb:publish-verification-results", "href"),
        field_of("pb:provider", "href"),
        field_of("pb:consumer-version", "name"),
    )


def load_file(path: Path) -> LoadedPact:
    if not path.is_file():
        raise VerifierConfigError(f"pact file {str(path)!r} does not exist")
    return LoadedPact(load_pact(path), str(path))


def load_dir(path: Path, provider: str | None) -> list[LoadedPact]:
    """Every ``*.json`` pact in ``path`` (sorted), keeping only the provider's pacts if named."""
    if not path.is_dir():
        raise VerifierConfigError(f"pact directory {str(path)!r} does not exist")
    loaded = [load_file(file) for file in sorted(path.glob("*.json"))]
    if provider is None:
        return loaded
    return [item for item in loaded if item.pact.provider == provider]


def load_url(url: str, auth: "BrokerAuth", *, timeout: float = 30.0) -> LoadedPact:
    """A pact over HTTP (basic or bearer auth); its broker links are kept for publishing."""
    headers = {"Accept": "application/hal+json, application/json, */*"}
    header = auth.header()
    if header:
        headers["Authorization"] = header
    import requests  # here, not at the top: verifying local files never needs it

    try:
        response = requests.get(url, headers=headers, timeout=timeout)
    except requests.RequestException as exc:
        raise BrokerError("GET", url, None, str(exc)) from exc
    if response.status_code >= 400:
        raise BrokerError("GET", url, response.status_code, response.text[:500])
    try:
        document = response.json()
    except ValueError:
        raise PactFormatError(
            url, "", "a JSON pact document", "something that is not JSON"
        ) from None
    links = _links_of(document)
    return LoadedPact(
        parse_pact(document, source=url),
        url,
        publish_url=links.publish_url,
        provider_url=links.provider_url,
        consumer_version=links.consumer_version,
    )


def _selectors(options: BrokerOptions) -> list[Mapping[str, Any]]:
    selectors = list(options.consumer_version_selectors)
    selectors.extend({"tag": tag, "latest": True} for tag in options.consumer_version_tags)
    return selectors


def load_from_broker(client: "BrokerClient", options: BrokerOptions) -> Iterator[LoadedPact]:
    """Pacts for verification (selectors, pending, WIP); the legacy listing on old brokers."""
    index = client.index()
    links = index.get("_links", {})
    if "pb:provider-pacts-for-verification" in links:
        entries = client.for_verification(
            options.provider,
            consumer_version_selectors=_selectors(options),
            provider_version_branch=options.provider_branch,
            provider_version_tags=options.provider_tags,
            include_pending_status=options.enable_pending,
            include_wip_pacts_since=options.include_wip_pacts_since,
        )
        for entry in entries:
            properties = entry.get("verificationProperties") or {}
            notices = tuple(
                notice for notice in properties.get("notices", []) if isinstance(notice, Mapping)
            )
            href = client.link(entry, "self")
            yield _fetch(
                client,
                href,
                pending=bool(properties.get("pending", False)),
                wip=bool(properties.get("wip", False)),
                notices=notices,
                short_description=str(entry.get("shortDescription", "")),
            )
        return
    if "pb:latest-provider-pacts" not in links:
        raise BrokerError(
            "GET",
            client.base_url,
            None,
            "the broker index has neither 'pb:provider-pacts-for-verification' nor "
            "'pb:latest-provider-pacts'; is this a Pact Broker?",
        )
    tags: list[str | None] = [*options.consumer_version_tags] or [None]
    seen: set[str] = set()
    for tag in tags:
        for entry in client.latest_provider_pacts(options.provider, tag):
            href = str(entry.get("href", ""))
            if href and href not in seen:
                seen.add(href)
                yield _fetch(client, href)


def _fetch(
    client: "BrokerClient",
    href: str,
    *,
    pending: bool = False,
    wip: bool = False,
    notices: tuple[Mapping[str, str], ...] = (),
    short_description: str = "",
) -> LoadedPact:
    url = client.url_for(href)
    document = client.fetch_pact(url)
    links = _links_of(document)
    try:
        pact = parse_pact(document, source=url)
    except AccordError:
        raise
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise PactFormatError(url, "", "a pact document", str(exc)) from exc
    return LoadedPact(
        pact,
        url,
        pending=pending,
        wip=wip,
        notices=notices,
        publish_url=links.publish_url,
        provider_url=links.provider_url,
        short_description=short_description,
        consumer_version=links.consumer_version,
    )


def load_webhook_pact(client: "BrokerClient", url: str) -> LoadedPact:
    """The one pact a webhook names (``--webhook-callback-url``)."""
    return _fetch(client, url)
