"""A provider's pacts by consumer branch (``get-pacts``), and saving them as pact files.

The official ``pact broker get-pacts`` reads these fixed Pact Broker paths (not index
relations), so accord reads the same ones and works against the same brokers:

==========================  ==============================================================
flags                        path under ``/pacts/provider/{provider}``
==========================  ==============================================================
(none)                       ``/branch`` (every consumer's main branch)
``--latest``                 ``/branch/latest``
``--branch B``               ``/branch/B`` (``/branch/B/latest`` with ``--latest``)
``--consumer C``             ``/consumer/C/branch`` (``…/branch/latest`` with ``--latest``)
``--consumer C --branch B``  ``/consumer/C/branch/B`` (``…/B/latest`` with ``--latest``)
==========================  ==============================================================
"""

import json
from pathlib import Path
from typing import Any

from accord.broker_client.client import BrokerClient, JsonObject, expand_href
from accord.errors import BrokerError, BrokerLookupError

__all__ = ["download_pacts", "get_pacts", "pact_links", "pacts_path"]


def pacts_path(
    provider: str, *, consumer: str | None = None, branch: str | None = None, latest: bool = False
) -> str:
    """The broker path the official CLI reads for this combination of flags."""
    path = "/pacts/provider/{provider}"
    if consumer is not None:
        path += "/consumer/{consumer}"
    path += "/branch" + ("/{branch}" if branch is not None else "")
    path += "/latest" if latest else ""
    values = {"provider": provider, "consumer": consumer or "", "branch": branch or ""}
    return expand_href(path, values)


def get_pacts(
    client: BrokerClient,
    provider: str,
    *,
    consumer: str | None = None,
    branch: str | None = None,
    latest: bool = False,
) -> JsonObject:
    """The listing as the official CLI prints it: ``{"pacts": [{href, name, title}]}`` when the
    broker lists links (``_links.pb:pacts``), otherwise the broker's document (one pact)."""
    href = pacts_path(provider, consumer=consumer, branch=branch, latest=latest)
    try:
        answer = client.get_json(href)
    except BrokerError as exc:
        if exc.status == 404:
            who = f"provider {provider!r}" + (f" or consumer {consumer!r}" if consumer else "")
            raise BrokerLookupError(
                f"no pacts at {exc.url}: the broker at {client.base_url} does not know the "
                f"{who}{' (or has no such pact)' if latest and consumer else ''}; check the "
                "names with `accord list-pacticipants`"
            ) from exc
        raise
    links = answer.get("_links")
    if isinstance(links, dict) and isinstance(links.get("pb:pacts"), list):
        return {"pacts": links["pb:pacts"]}
    return answer


def pact_links(listing: JsonObject) -> list[dict[str, Any]]:
    """The ``{href, name, title}`` entries of a listing; a single pact document gives its own."""
    pacts = listing.get("pacts")
    if isinstance(pacts, list):
        return [entry for entry in pacts if isinstance(entry, dict)]
    own = listing.get("_links", {}).get("self") if isinstance(listing.get("_links"), dict) else None
    if isinstance(own, dict) and isinstance(
        listing.get("interactions", listing.get("messages")), list
    ):
        consumer = listing.get("consumer", {})
        return [
            {
                "href": own.get("href"),
                "title": own.get("name") or own.get("title"),  # the self link's name is the title
                "name": consumer.get("name") if isinstance(consumer, dict) else None,
            }
        ]
    return []


def _link_name(document: JsonObject, relation: str) -> str:
    links = document.get("_links")
    found = links.get(relation) if isinstance(links, dict) else None
    name = found.get("name") if isinstance(found, dict) else None
    return str(name) if name else "unknown"


def download_pacts(client: BrokerClient, listing: JsonObject, directory: Path) -> list[Path]:
    """Fetch each listed pact and write it as ``{consumer}-{provider}-{version}.json`` (the
    official CLI's file names), pretty-printed, into ``directory`` (created if missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for entry in pact_links(listing):
        href = entry.get("href")
        if not isinstance(href, str):
            continue
        document = client.get_json(href)
        name = "-".join(
            _link_name(document, relation)
            for relation in ("pb:consumer", "pb:provider", "pb:consumer-version")
        )
        path = directory / f"{name}.json"
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    return written
