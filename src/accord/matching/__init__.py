"""The matching engine: compare what was sent or received with what a pact expects.

Pure functions, for every Pact specification version (V1-V4). The expected side is a part of
the pact model (``accord.pact.HttpRequest``, ``HttpResponse``, ``MessageContents``), the actual
side what was seen (:class:`ActualRequest`, :class:`ActualResponse`, :class:`ActualMessage`)::

    from accord.matching import ActualResponse, match_response
    seen = ActualResponse(200, {"Content-Type": "application/json"}, b'{"id": 7}')
    mismatches = match_response(interaction.response, seen, spec=pact.spec)

Either side may also be given as pact JSON (a dict per part, as a pact file writes it), a
convenience for callers that hold JSON. An empty list means the actual part satisfies the
contract. ``apply_generators`` fills in the values a pact asks to be generated (random ids,
dates, provider-state values) before a request is replayed or a response is served.
"""

from typing import TYPE_CHECKING, Any

from accord.matching.actual import ActualMessage, ActualRequest, ActualResponse
from accord.matching.interactions import match_message, match_request, match_response
from accord.matching.mismatch import Mismatch, MismatchKind

if TYPE_CHECKING:
    from accord.matching.generators import apply_generators

__all__ = [
    "ActualMessage",
    "ActualRequest",
    "ActualResponse",
    "Mismatch",
    "MismatchKind",
    "apply_generators",
    "match_message",
    "match_request",
    "match_response",
]


def __getattr__(name: str) -> Any:
    """``apply_generators`` loads the generator engine (random values, dates, regex
    generation) on first use: matching alone, as a verification of a pact without
    generators does, never needs it."""
    if name == "apply_generators":
        from accord.matching.generators import apply_generators

        return apply_generators
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
