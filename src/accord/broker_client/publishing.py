"""Publish pact files with ``POST /contracts/publish`` (``pb:publish-contracts``).

The same exchange ``pact broker publish`` makes: one request per consumer/provider pair, the pact
as base64, with the consumer version, branch, tags and build URL. Files that share a pair are
merged first (as the official client does), so a pact split across test workers arrives as one
contract. Requests go through :class:`BrokerClient`, so 5xx/429 answers are retried.
"""

import base64
import glob
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.broker_client.client import BrokerClient, JsonObject
from accord.errors import PactFormatError, PublishConfigError

PUBLISH_RELATION = "pb:publish-contracts"


@dataclass(frozen=True, slots=True)
class Contract:
    """One consumer/provider pact, ready to send (``sources`` are the files it came from)."""

    consumer: str
    provider: str
    document: JsonObject
    sources: tuple[Path, ...]
    #: the file's bytes when the contract is a single file: sent as written, not re-serialised
    content: bytes | None = None


@dataclass(frozen=True, slots=True)
class VersionProperties:
    """What the broker records about the consumer version being published."""

    number: str
    branch: str | None = None
    tags: tuple[str, ...] = ()
    build_url: str | None = None
    on_conflict: str = "overwrite"  # "merge" with --merge


@dataclass(frozen=True, slots=True)
class PublishedContract:
    consumer: str
    provider: str
    notices: tuple[str, ...]
    response: JsonObject


def find_pact_files(arguments: Sequence[str]) -> list[Path]:
    """Files named directly, the ``*.json`` files of directories, and glob matches."""
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            matches = sorted(path.glob("*.json"))
        elif path.is_file():
            matches = [path]
        else:
            matches = sorted(Path(match) for match in glob.glob(argument, recursive=True))
            matches = [match for match in matches if match.is_file()]
        if not matches:
            raise PublishConfigError(
                f"no pact files found at {argument!r}; pass pact JSON files, a directory of "
                "them, or a glob such as 'pacts/*.json'"
            )
        found.extend(match for match in matches if match not in found)
    return found


def _read(path: Path) -> tuple[JsonObject, bytes]:
    try:
        raw = path.read_bytes()
        document = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PactFormatError(str(path), "$", "a readable JSON pact file", str(exc)) from exc
    if not isinstance(document, dict):
        raise PactFormatError(str(path), "$", "a JSON object", type(document).__name__)
    for role in ("consumer", "provider"):
        party = document.get(role)
        if not isinstance(party, dict) or not isinstance(party.get("name"), str):
            raise PactFormatError(str(path), f"$.{role}.name", "the pacticipant's name")
    return document, raw


def _merged(first: JsonObject, second: JsonObject) -> JsonObject:
    merged = dict(first)
    for key in ("interactions", "messages"):
        if key in first or key in second:
            combined: list[Any] = list(first.get(key) or [])
            combined += [item for item in second.get(key) or [] if item not in combined]
            merged[key] = combined
    return merged


def load_contracts(files: Sequence[Path]) -> list[Contract]:
    """Read and group pact files by consumer/provider pair, merging files of one pair."""
    pairs: dict[tuple[str, str], Contract] = {}
    for path in files:
        document, raw = _read(path)
        key = (str(document["consumer"]["name"]), str(document["provider"]["name"]))
        if key in pairs:
            known = pairs[key]
            pairs[key] = Contract(
                key[0], key[1], _merged(known.document, document), (*known.sources, path)
            )
        else:
            pairs[key] = Contract(key[0], key[1], document, (path,), raw)
    return list(pairs.values())


def publication_body(contract: Contract, version: VersionProperties) -> JsonObject:
    """The JSON body of ``POST /contracts/publish`` for one contract."""
    content = contract.content
    if content is None:
        content = json.dumps(contract.document).encode("utf-8")
    body: JsonObject = {
        "pacticipantName": contract.consumer,
        "pacticipantVersionNumber": version.number,
    }
    if version.branch:
        body["branch"] = version.branch
    if version.tags:
        body["tags"] = list(version.tags)
    if version.build_url:
        body["buildUrl"] = version.build_url
    body["contracts"] = [
        {
            "consumerName": contract.consumer,
            "providerName": contract.provider,
            "specification": "pact",
            "contentType": "application/json",
            "content": base64.b64encode(content).decode("ascii"),
            "onConflict": version.on_conflict,
        }
    ]
    return body


def _notice_texts(response: JsonObject) -> tuple[str, ...]:
    notices = response.get("notices")
    return tuple(
        str(item.get("text", ""))
        for item in notices or []
        if isinstance(item, dict) and item.get("text")
    )


def publish_contracts(
    client: BrokerClient,
    contracts: Sequence[Contract],
    version: VersionProperties,
    *,
    on_published: Callable[[PublishedContract], None] | None = None,
) -> list[PublishedContract]:
    """Publish each contract in turn; the first broker error stops the run (``BrokerError``)."""
    if not version.number:
        raise PublishConfigError("publishing needs the consumer version (--consumer-app-version)")
    href = client.index_link(PUBLISH_RELATION)
    published = []
    for contract in contracts:
        response = client.post_json(href, publication_body(contract, version))
        outcome = PublishedContract(
            contract.consumer, contract.provider, _notice_texts(response), response
        )
        published.append(outcome)
        if on_published is not None:
            on_published(outcome)
    return published
