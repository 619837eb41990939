"""The one exception tree of accord.

Every error a user can meet is an :class:`AccordError`. Each says what was wrong, where, and
what to do, and carries the exit code the CLI should use, so a CI script can trust it.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accord.verifier.results import VerificationResult


class AccordError(Exception):
    """Base of every error accord raises on purpose."""

    exit_code: int = 2


class PactFormatError(AccordError):
    """A pact file (or pact JSON) is not what the Pact specification describes.

    ``source`` names the file (or ``<memory>``), ``path`` the JSON path inside it
    (``interactions[3].response.matchingRules.body``) and ``expected`` what should be there.
    """

    def __init__(self, source: str, path: str, expected: str, found: str | None = None) -> None:
        self.source = source
        self.path = path
        self.expected = expected
        self.found = found
        where = f"{source}: {path}" if path else source
        detail = f"expected {expected}"
        if found is not None:
            detail += f", found {found}"
        super().__init__(f"{where}: {detail}")


class BrokerError(AccordError):
    """A Pact Broker answered with an error, or could not be reached.

    ``url`` is the request URL, ``status`` the HTTP status (``None`` when the broker could not be
    reached at all) and ``detail`` the broker's own error text, so a CI log says which call failed
    and why without a debug rerun.
    """

    exit_code = 1

    def __init__(self, method: str, url: str, status: int | None, detail: str) -> None:
        self.method = method
        self.url = url
        self.status = status
        self.detail = detail
        what = f"HTTP {status}" if status is not None else "no response"
        super().__init__(f"{method} {url} failed ({what}): {detail}")


class VerifierConfigError(AccordError):
    """The verifier was asked for something impossible (no provider, two targets, a bad flag)."""

    exit_code = 2


class NoPactsFound(AccordError):  # noqa: N818 - the name says the outcome
    """No pact matched the sources and filters, so nothing could be verified.

    A selector with a typo would otherwise look green; pass ``ignore_no_pacts_error=True``
    (``--ignore-no-pacts-error``) when an empty run is expected.
    """

    exit_code = 3


class VerificationFailed(AccordError):  # noqa: N818 - the name says the outcome
    """At least one non-pending interaction failed; ``result`` holds every interaction's verdict."""

    exit_code = 1

    def __init__(self, result: "VerificationResult", summary: str) -> None:
        self.result = result
        super().__init__(summary)


class BrokerRequestError(AccordError):
    """The accord broker refuses a request; ``status`` is the HTTP status it answers with.

    ``errors`` maps a field (or a JSON path such as ``contracts[0].content``) to messages; it is
    rendered as the Pact Broker's ``{"errors": {field: [msg, ...]}}`` body, which every official
    client prints.
    """

    status: int = 400

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None) -> None:
        self.message = message
        self.errors = errors
        super().__init__(message)


class BrokerInputError(BrokerRequestError):
    """The request body or a parameter is invalid (HTTP 400)."""

    status = 400


class BrokerNotFoundError(BrokerRequestError):
    """A named pacticipant, version, pact or result does not exist (HTTP 404)."""

    status = 404


class BrokerConflictError(BrokerRequestError):
    """The request would change something that must not change, e.g. a pact's content (HTTP 409)."""

    status = 409


class ConsumerContractError(AccordError):
    """A consumer test did not do what its pact says (consumer side, pytest plugin).

    Raised when the mock server saw an unexpected request, a request that differed from the
    expected one, or when an interaction was never exercised. The message lists each problem with
    the request that was seen and the closest interaction the pact expects.
    """

    exit_code = 1


class PactMergeConflictError(AccordError):
    """Two tests wrote different versions of the same interaction for one consumer/provider pair."""

    exit_code = 1

    def __init__(self, consumer: str, provider: str, detail: str) -> None:
        self.consumer = consumer
        self.provider = provider
        self.detail = detail
        super().__init__(f"cannot merge the pact {consumer} → {provider}: {detail}")


class PublishConfigError(AccordError):
    """Publishing pacts was asked for without what it needs (a broker URL, a version, pacts)."""

    exit_code = 2


class InteractionNotExercisedError(ConsumerContractError):
    """A consumer test declared interactions in its pact and then never exercised them."""


class ProviderStateError(AccordError):
    """A provider state could not be set up or torn down; the interaction fails (or is pending)."""

    exit_code = 1


class MessageProducerError(AccordError):
    """A message producer is missing, raised, or returned something that is not a message."""

    exit_code = 1


class BrokerLookupError(AccordError):
    """Something a broker command names is not in the broker: an environment, a version, a
    deployment to end. The message names what was looked for and where, e.g. ``environment
    'prod' does not exist; list them with accord list-environments``.
    """

    exit_code = 1


class BrokerUnprocessableError(BrokerRequestError):
    """The request is well-formed but asks for something the broker cannot do (HTTP 422), e.g.
    marking an ended deployment as currently deployed again.
    """

    status = 422


class MatrixQueryError(BrokerRequestError):
    """A ``/matrix`` or ``/can-i-deploy`` query is invalid (HTTP 400).

    ``problems`` holds one sentence per problem; ``/matrix`` renders them as the Pact Broker's
    plain ``{"errors": [...]}`` array, ``/can-i-deploy`` as its ``{"errors": {field: [...]}}``.
    """

    status = 400

    def __init__(self, problems: list[str], *, errors: dict[str, list[str]] | None = None) -> None:
        self.problems = problems
        super().__init__("; ".join(problems), errors=errors)


class BrokerNotInstalledError(AccordError):
    """``accord broker …`` ran in an installation without the broker extra (``accord[broker]``)."""

    exit_code = 2


class WebhookTargetRefusedError(AccordError):
    """A webhook request may not be sent: its scheme, method or host is not allowed, or its host
    is (or resolves to) a link-local or cloud-metadata address. Allow the host with
    ``ACCORD_BROKER_WEBHOOK_ALLOWED_HOSTS`` (metadata addresses can never be allowed).
    """

    exit_code = 1


class ReadOnlySessionError(AccordError):
    """A statement that writes was run in one of the broker's read sessions: a programming
    error, since reads run without a transaction on PostgreSQL and a write there would commit
    at once, alone. Use ``Database.write`` for work that writes."""


class DateExpressionError(AccordError):
    """A V4 ``Date``/``Time``/``DateTime`` generator ``expression`` could not be read or evaluated.

    ``expression`` is the text as written and ``detail`` names the word (and its 1-based position)
    that was not understood and what would have been accepted there, so the pact author can fix
    the expression without reading the grammar.
    """

    exit_code = 2

    def __init__(self, expression: str, detail: str) -> None:
        self.expression = expression
        self.detail = detail
        super().__init__(f"date/time expression {expression!r}: {detail}")


class GeneratorBaseError(AccordError):
    """A provider-state value that sets the base moment of the V4 ``Date``/``Time``/``DateTime``
    generators (``baseDate``, ``baseTime``, ``baseDateTime``) cannot be read.

    ``key`` and ``value`` are what the provider-state context held, ``expected`` the forms that
    key accepts and ``reason`` what was wrong (not text of that form, a day outside its month,
    …), so the state handler can be fixed without reading accord's source.
    """

    exit_code = 2

    def __init__(self, key: str, value: object, expected: str, reason: str) -> None:
        self.key = key
        self.value = value
        self.expected = expected
        self.reason = reason
        super().__init__(
            f"provider-state value {key}={value!r} cannot be the base of a date/time "
            f"generator: {reason}; expected {expected}"
        )
