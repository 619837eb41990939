"""The one exception tree of accord.

Every error a user can meet is an :class:`AccordError`. Each says what was wrong, where, and
what to do, and carries the exit code the CLI should use, so a CI script can trust it.
"""


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
