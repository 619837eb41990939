"""Names: validation, and the display names the official CLI needs (clients.md trap 9)."""

import re
import unicodedata

from accord_broker.domain.limits import NAME_MAX_LENGTH
from accord_broker.errors import BrokerInputError

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def generate_display_name(name: str) -> str:
    """A human name from a machine name: ``prod-eu`` → ``Prod Eu``, ``UserAPI`` → ``User API``.

    The ``pact broker list-environments`` table panics on a null ``displayName``, so the broker
    never stores one: when none is given it derives one, as the Pact Broker does. Words are split
    on ``-``, ``_``, spaces and camelCase; a word's first letter is upper-cased, the rest kept.
    """
    spaced = _WORD_BOUNDARY.sub(" ", name)
    words = [w for w in re.split(r"[\s_\-]+", spaced) if w]
    return " ".join(w[0].upper() + w[1:] for w in words) or name


def name_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as a name or display name, or ``None`` when it can.

    Names go into URLs, command lines, table cells and HTTP headers, and PostgreSQL cannot hold
    NUL at all: a name is one line of printable text, at most ``NAME_MAX_LENGTH`` characters
    (counted as PostgreSQL counts them, so both databases accept the same names).
    """
    if any(c in value for c in "\n\r\u2028\u2029\x85"):
        return "cannot contain multiple lines"
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cs"):
            return f"cannot contain the control character U+{ord(char):04X}"
    if len(value) > NAME_MAX_LENGTH:
        return f"is too long (max {NAME_MAX_LENGTH})"
    return None


def _refuse(field: str, problem: str) -> BrokerInputError:
    return BrokerInputError(f"{field} {problem}", errors={field: [problem]})


def check_name(value: object, field: str, *, required: bool = True) -> str | None:
    """``value`` if it is a usable name (a non-blank, single-line string), else a 400 error."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise BrokerInputError(
            f"{field} must be a non-blank string", errors={field: ["must be a non-blank string"]}
        )
    problem = name_problem(value)
    if problem is not None:
        raise _refuse(field, problem)
    return value


def check_text(value: object, field: str) -> str | None:
    """``value`` if it is ``None`` or one line of text a name column holds, else a 400 error:
    for the optional texts shown beside names (display names, repository names)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _refuse(field, "must be a string")
    problem = name_problem(value)
    if problem is not None:
        raise _refuse(field, problem)
    return value
