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

from accord.matching.actual import ActualMessage, ActualRequest, ActualResponse
from accord.matching.generators import apply_generators
from accord.matching.interactions import match_message, match_request, match_response
from accord.matching.mismatch import Mismatch, MismatchKind

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
