"""The broker's own exception tree: what the accord broker service raises, never the client library.

``accord.errors`` holds what the client library (verifier, broker client, consumer plugin, CLI)
raises; these classes are the broker service's. They still derive from
:class:`accord.errors.AccordError`, so the ``accord broker …`` commands report them with an exit
code like any other accord error. The HTTP layer (``api/errors.py``) turns each
:class:`BrokerRequestError` into the Pact Broker's error body with its ``status``.
"""

from accord.errors import AccordError


class BrokerServiceError(AccordError):
    """Root of the errors the accord broker service raises."""


class BrokerRequestError(BrokerServiceError):
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


class BrokerUnprocessableError(BrokerRequestError):
    """The request is well-formed but asks for something the broker cannot do (HTTP 422), e.g.
    marking an ended deployment as currently deployed again.
    """

    status = 422


class DatabaseRefusedValueError(BrokerInputError):
    """The database refused a value of the request (HTTP 400): it is out of the range, length
    or encoding the database can hold. Change the value; the broker's own validation should
    have named it, so the HTTP layer logs the refusal for the operator too."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(
            f"the database refused a value of this request: {detail}",
            errors={"request": [f"the database refused a value: {detail}"]},
        )


class MatrixQueryError(BrokerRequestError):
    """A ``/matrix`` or ``/can-i-deploy`` query is invalid (HTTP 400).

    ``problems`` holds one sentence per problem; ``/matrix`` renders them as the Pact Broker's
    plain ``{"errors": [...]}`` array, ``/can-i-deploy`` as its ``{"errors": {field: [...]}}``.
    """

    status = 400

    def __init__(self, problems: list[str], *, errors: dict[str, list[str]] | None = None) -> None:
        self.problems = problems
        super().__init__("; ".join(problems), errors=errors)


class WebhookTargetRefusedError(BrokerServiceError):
    """A webhook request may not be sent: its scheme, method or host is not allowed, or its host
    is (or resolves to) a link-local or cloud-metadata address. Allow the host with
    ``ACCORD_BROKER_WEBHOOK_ALLOWED_HOSTS`` (metadata addresses can never be allowed).
    """

    exit_code = 1


class ReadOnlySessionError(BrokerServiceError):
    """A statement that writes was run in one of the broker's read sessions: a programming
    error, since reads run without a transaction on PostgreSQL and a write there would commit
    at once, alone. Use ``Database.write`` for work that writes."""


class StatementTimeoutError(BrokerServiceError):
    """The database cancelled a statement that ran longer than the broker's statement timeout
    (``ACCORD_BROKER_DATABASE_STATEMENT_TIMEOUT_MS``); the HTTP layer answers 503 and says so."""

    exit_code = 1

    def __init__(self) -> None:
        super().__init__(
            "the database did not answer within the statement timeout, so the query was "
            "cancelled (the limit is ACCORD_BROKER_DATABASE_STATEMENT_TIMEOUT_MS)"
        )


class DatabaseUnavailableError(BrokerServiceError):
    """The database cannot be reached, dropped the connection, or did not answer within the
    broker's bounds (connect timeout, pool timeout, a stalled connection cut); the HTTP layer
    answers 503 with the reason. Nothing to fix in the request: try again, and if it lasts,
    check the database the broker is configured with (``ACCORD_BROKER_DATABASE_URL``). The
    broker reconnects by itself once the database answers again."""

    exit_code = 1

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"the database is unavailable ({reason}); try again shortly, the broker reconnects "
            "by itself when the database answers again"
        )


class WebhookSecretMissingError(BrokerServiceError):
    """A webhook refers to a broker-side secret ``${user.NAME}`` that the broker does not have:
    set ``ACCORD_BROKER_WEBHOOK_SECRET_<NAME>`` where the broker runs. The delivery fails (and
    is retried on its schedule) rather than sending the placeholder."""

    exit_code = 1


class DiffTooLargeError(BrokerRequestError):
    """A pact is larger than ``ACCORD_BROKER_DIFF_MAX_BYTES``, so the broker will not diff it
    (HTTP 413); compare the two pacts locally with ``accord pact diff``."""

    status = 413


class DiffTooSlowError(BrokerRequestError):
    """A pact diff ran past ``ACCORD_BROKER_DIFF_TIME_BUDGET_SECONDS`` and was abandoned
    (HTTP 422), so one read cannot hold a CPU for minutes."""

    status = 422
