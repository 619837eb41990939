"""The matching engine: compare what was sent or received with what a pact expects.

Pure functions over pact-JSON objects, for every Pact specification version (V1-V4)::

    from accord.matching import match_response
    mismatches = match_response(expected_response, actual_response, spec="V3")

An empty list means the actual part satisfies the contract. ``apply_generators`` fills in the
values a pact asks to be generated (random ids, dates, provider-state values) before a request
is replayed or a response is served.
"""

from accord.matching.generators import apply_generators
from accord.matching.interactions import match_message, match_request, match_response
from accord.matching.mismatch import Mismatch, MismatchKind

__all__ = [
    "Mismatch",
    "MismatchKind",
    "apply_generators",
    "match_message",
    "match_request",
    "match_response",
]
