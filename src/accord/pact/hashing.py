"""The content identity of a pact: what makes two publications "the same contract".

A broker stores one pact *version* per distinct content and attaches verification results to
it, so the hash must ignore whatever does not change what a provider is asked to do: key order,
whitespace, the order of interactions, the ``consumer``/``provider`` blocks and ``metadata``
other than the specification version. The official CLIs rewrite ``metadata`` on every publish
(clients.md trap 7); hashing it would turn each re-publication into a new, unverified pact.

The shape follows the Pact Broker's own rule (sorted keys, interactions sorted by their JSON,
array order inside an interaction kept, SHA-1 of a compact serialisation) so that hashes agree
with data migrated from a Ruby broker.
"""

import json
from collections.abc import Mapping
from typing import Any


def _sha1(text: str) -> str:
    """SHA-1 hex digest; ``hashlib`` (and OpenSSL behind it) loads on the first hash, which
    reading and verifying a pact never needs."""
    import hashlib

    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _compact(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def spec_version_of(pact_json: Mapping[str, Any]) -> str | None:
    """The specification version a pact declares, from any of the metadata spellings in use."""
    metadata = pact_json.get("metadata")
    if not isinstance(metadata, Mapping):
        return None
    for key in ("pactSpecification", "pact-specification"):
        block = metadata.get(key)
        if isinstance(block, Mapping) and isinstance(block.get("version"), str):
            return str(block["version"])
    legacy = metadata.get("pactSpecificationVersion")
    return legacy if isinstance(legacy, str) else None


def content_sha(pact_json: Mapping[str, Any]) -> str:
    """SHA-1 (hex) of the parts of a pact that affect verification.

    Semantically identical pacts (different key order, whitespace, interaction order or client
    metadata) hash the same; any change inside an interaction or to the spec version does not.
    """
    identity: dict[str, Any] = {}
    for part in ("interactions", "messages"):
        items = pact_json.get(part)
        if isinstance(items, list):
            identity[part] = sorted(items, key=_compact)
    identity["pact_specification_version"] = spec_version_of(pact_json)
    return _sha1(_compact(identity))


def interaction_id(interaction: Mapping[str, Any]) -> str:
    """The ``_id`` a broker gives an interaction it serves: SHA-1 of its key-sorted JSON."""
    without_id = {k: v for k, v in interaction.items() if k != "_id"}
    return _sha1(_compact(without_id))
