"""Merge the pacts written by many tests into one pact per consumer/provider pair.

Every consumer test writes its own small pact (one ``pact.Pact`` per test, because pact-python
cannot add interactions after its mock server has run). At the end of the session these pieces
are merged here, in plain Python, so that one rule applies whether the tests ran in one process
or on many xdist workers: an interaction is identified by its kind, description and provider
states; the same interaction written twice must be identical, otherwise the two tests disagree
about the contract and the merge refuses with both test ids.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from accord.errors import PactMergeConflictError

JsonObject = dict[str, Any]

#: The keys under which the pact formats keep their interactions (V1-V4 HTTP, V3 messages).
INTERACTION_LISTS = ("interactions", "messages")


@dataclass(frozen=True, slots=True)
class PactPiece:
    """One pact document written by one test (``origin`` is the pytest node id)."""

    document: JsonObject
    origin: str

    @property
    def pair(self) -> tuple[str, str]:
        return pact_pair(self.document)


def pact_pair(document: Mapping[str, Any]) -> tuple[str, str]:
    """``(consumer, provider)`` names of a pact document."""
    return str(document["consumer"]["name"]), str(document["provider"]["name"])


def interaction_identity(interaction: Mapping[str, Any]) -> str:
    """What makes two interactions "the same one": kind, description and provider states."""
    states = interaction.get("providerStates", interaction.get("providerState"))
    return json.dumps(
        [interaction.get("type", ""), interaction.get("description", ""), states],
        sort_keys=True,
    )


def merge_pieces(pieces: Iterable[PactPiece]) -> JsonObject:
    """Merge pieces of one pair into one document, interactions sorted for stable diffs.

    Raises :class:`~accord.errors.PactMergeConflictError` when two tests define the same interaction
    differently, or write different specification versions for the same pair.
    """
    pieces = list(pieces)
    if not pieces:
        raise ValueError("merge_pieces needs at least one pact piece")
    first = pieces[0]
    consumer, provider = first.pair
    version = _spec_version(first.document)
    merged: dict[str, dict[str, tuple[JsonObject, str]]] = {}
    for piece in pieces:
        if _spec_version(piece.document) != version:
            raise PactMergeConflictError(
                consumer,
                provider,
                f"specification version {_spec_version(piece.document)} in {piece.origin}"
                f" but {version} in {first.origin}: use one version for the pair",
            )
        for list_key in INTERACTION_LISTS:
            seen = merged.setdefault(list_key, {})
            for interaction in piece.document.get(list_key, []):
                _add_interaction(seen, interaction, piece.origin, consumer, provider)
    document: JsonObject = {
        key: value for key, value in first.document.items() if key not in INTERACTION_LISTS
    }
    for list_key, seen in merged.items():
        if seen or list_key in first.document:
            document[list_key] = [seen[identity][0] for identity in sorted(seen)]
    return document


def _add_interaction(
    seen: dict[str, tuple[JsonObject, str]],
    interaction: JsonObject,
    origin: str,
    consumer: str,
    provider: str,
) -> None:
    identity = interaction_identity(interaction)
    if identity not in seen:
        seen[identity] = (interaction, origin)
        return
    existing, existing_origin = seen[identity]
    if existing != interaction:
        raise PactMergeConflictError(
            consumer,
            provider,
            f"interaction {interaction.get('description')!r} is defined differently by"
            f" {existing_origin} and {origin}: give one of them another description or"
            " provider state, or make them identical",
        )


def _spec_version(document: Mapping[str, Any]) -> str:
    metadata = document.get("metadata", {})
    spec = metadata.get("pactSpecification") or metadata.get("pact-specification") or {}
    return str(spec.get("version", "unknown"))


def group_by_pair(pieces: Iterable[PactPiece]) -> dict[tuple[str, str], list[PactPiece]]:
    """Pieces grouped by consumer/provider pair, in the order given."""
    groups: dict[tuple[str, str], list[PactPiece]] = {}
    for piece in pieces:
        groups.setdefault(piece.pair, []).append(piece)
    return groups
