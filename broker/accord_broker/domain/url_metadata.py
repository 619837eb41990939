"""The opaque ``/metadata/{m}`` segment of pact URLs handed to verifiers.

The Pact Broker encodes a nested query string (``w=true``, ``p=true``, ``cvn=1.2.3``, selector
lists ``s[][b]=main``…) as unpadded URL-safe base64, and expects it back on the verification POST
to learn whether the verification was WIP (``w``) or against a pending pact (``p``). Decoding is
tolerant: junk decodes to nothing, and a URL without metadata works as well.
"""

import base64
import binascii
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qsl, quote

MetadataValue = str | bool | Sequence[Mapping[str, str | bool]]


def _scalar(value: str | bool) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else value


def encode_metadata(values: Mapping[str, MetadataValue]) -> str:
    """``{"w": True}`` → the base64url segment (``lists of dicts`` become ``k[][sub]=v`` pairs)."""
    pairs: list[str] = []
    for key, value in values.items():
        if isinstance(value, str | bool):
            pairs.append(f"{quote(key)}={quote(_scalar(value), safe='')}")
            continue
        for item in value:
            for sub, sub_value in item.items():
                pairs.append(f"{quote(key)}[][{quote(sub)}]={quote(_scalar(sub_value), safe='')}")
    raw = "&".join(pairs).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_metadata(segment: str) -> dict[str, str]:
    """The flat keys of a metadata segment (``w``, ``p``, ``cvn``…); ``{}`` when undecodable."""
    padded = segment + "=" * (-len(segment) % 4)
    for decoder in (base64.urlsafe_b64decode, base64.b64decode):
        try:
            text = decoder(padded.encode()).decode()
        except (binascii.Error, ValueError, UnicodeDecodeError):
            continue
        return {k: v for k, v in parse_qsl(text, keep_blank_values=True) if "[" not in k}
    return {}
