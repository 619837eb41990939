"""The one exception tree of accord.

Every error a user can meet is an :class:`AccordError`. Each says what was wrong, where, and
what to do, and carries the exit code the CLI should use, so a CI script can trust it.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from accord.verifier.plugins import PluginNeed
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


class PactRegexError(AccordError):
    """A regex in a pact (a ``regex`` matcher, a ``Regex`` generator) that accord cannot run.

    Pact regexes run on a linear-time engine (RE2), so a hostile pattern can never hang a
    verification; the constructs such an engine cannot run (backreferences, look-around,
    possessive quantifiers, atomic groups) are refused, as the Pact reference implementation
    refuses them. ``pattern`` is the regex as written, ``problem`` what is wrong with it and
    ``construct`` the offending piece (``None`` for a plain syntax error).
    """

    exit_code = 2

    def __init__(self, pattern: str, problem: str, construct: str | None = None) -> None:
        self.pattern = pattern
        self.problem = problem
        self.construct = construct
        super().__init__(f"the regex {pattern!r} cannot be run: {problem}")


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
        # the broker refusing what it was sent is an input error, as when caught locally
        if status in _INPUT_REFUSED:
            self.exit_code = 2
        what = f"HTTP {status}" if status is not None else "no response"
        super().__init__(f"{method} {url} failed ({what}): {detail}")


#: Broker answers that mean "what you sent is wrong" (a malformed pact, a changed pact
#: version, an invalid rule): exit 2, the code of the same problem found locally.
_INPUT_REFUSED = frozenset({400, 409, 422})


class BrokerUnreachableError(BrokerError):
    """The broker could not be reached at all: connection refused, unknown host, TLS failure.

    Not retried (a broker that is down stays down for the seconds a retry waits); the message
    asks whether the broker runs at the configured base URL.
    """

    def __init__(self, method: str, url: str, base_url: str, reason: str) -> None:
        self.base_url = base_url
        super().__init__(
            method,
            url,
            None,
            f"{reason}; is the broker running at {base_url}? (the URL comes from the "
            "command's broker URL flag or PACT_BROKER_BASE_URL)",
        )


class VerifierConfigError(AccordError):
    """The verifier was asked for something impossible (no provider, two targets, a bad flag)."""

    exit_code = 2


class PluginRequiredError(AccordError):
    """A pact has interactions that need a Pact plugin (protobuf, gRPC, Avro…), which accord
    does not run. Nothing was verified: passing such an interaction unread would be a lie.

    ``needs`` holds one :class:`accord.verifier.plugins.PluginNeed` per interaction: the pact
    file, the interaction's description, the plugins (``"protobuf 0.3.15"``) and why.
    """

    exit_code = 2

    def __init__(self, needs: "Sequence[PluginNeed]") -> None:
        self.needs = tuple(needs)
        lines = [
            f"accord does not run Pact plugins, so it cannot verify {len(self.needs)} "
            f"interaction{'' if len(self.needs) == 1 else 's'}:"
        ]
        for need in self.needs:
            if need.plugins:
                noun = "plugin" if len(need.plugins) == 1 else "plugins"
                what = f"the {noun} {', '.join(need.plugins)}"
            else:
                what = "a plugin the pact does not name"
            lines.append(
                f"  {need.source} ({need.consumer} -> {need.provider}): "
                f"{need.interaction!r} needs {what} ({need.reason})"
            )
        lines.append(
            "Verify these with a Pact verifier that loads plugins (the Pact reference "
            "verifier), and leave them out here with --filter-description or --filter-consumer."
        )
        super().__init__("\n".join(lines))


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
    'prod' does not exist; list them with accord list-environments``. An input error (exit 2),
    as a typo caught locally would be.
    """

    exit_code = 2


class BrokerNotInstalledError(AccordError):
    """``accord broker …`` ran in an installation without the broker extra (``accord[broker]``)."""

    exit_code = 2


class BrokerConfigError(AccordError):
    """The accord broker cannot start with its configuration: a database URL it cannot use (a
    scheme it does not support, a SQLite file in a directory that does not exist), a port that
    is already in use. The message says what to change.
    """

    exit_code = 2


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


class OpenApiError(AccordError):
    """An OpenAPI document (or a pact given with it) cannot be used for a comparison or a diff.

    ``source`` names the file, ``pointer`` the JSON pointer inside it (``/paths/~1users/get``,
    empty for the whole document), ``problem`` what is wrong and ``hint`` how to fix it: an
    OpenAPI 2.0 document, invalid YAML, an unresolvable ``$ref``, something that is not OpenAPI.
    """

    exit_code = 2

    def __init__(self, source: str, pointer: str, problem: str, hint: str) -> None:
        self.source = source
        self.pointer = pointer
        self.problem = problem
        self.hint = hint
        where = f"{source} at {pointer}" if pointer else source
        super().__init__(f"{where}: {problem}; {hint}")


class StubConfigError(AccordError):
    """``accord stub`` cannot start: no pacts to serve, a bad provider-state regex, a broker
    source without a provider, a port already taken."""

    exit_code = 2
