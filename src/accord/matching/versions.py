"""Spec version names as users write them (``"V3"``, ``"3.0.0"``, ``"v1.1"``) → one spelling."""

from functools import lru_cache

from accord.pact.model import SpecVersion

_BY_MAJOR: dict[str, SpecVersion] = {"2": "V2", "3": "V3", "4": "V4"}


@lru_cache(maxsize=32)
def normalise_spec(spec: str) -> SpecVersion:
    """Read a version leniently; raise ``ValueError`` naming the accepted forms otherwise."""
    text = spec.strip().lower().removeprefix("v")
    parts = text.split(".")
    major = parts[0]
    minor = parts[1] if len(parts) > 1 else "0"
    if major == "1":
        return "V1.1" if minor == "1" else "V1"
    if major in _BY_MAJOR:
        return _BY_MAJOR[major]
    raise ValueError(
        f"unknown Pact specification version {spec!r}: use V1, V1.1, V2, V3 or V4 "
        "(or a number such as 3.0.0)"
    )
