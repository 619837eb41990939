"""Names: validation, and the display names the official CLI needs (clients.md trap 9)."""

import re

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


def check_name(value: object, field: str, *, required: bool = True) -> str | None:
    """``value`` if it is a usable name (a non-blank, single-line string), else a 400 error."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise BrokerInputError(
            f"{field} must be a non-blank string", errors={field: ["must be a non-blank string"]}
        )
    if "\n" in value or "\r" in value:
        raise BrokerInputError(
            f"{field} must not contain new lines", errors={field: ["cannot contain multiple lines"]}
        )
    if len(value) > 255:
        raise BrokerInputError(
            f"{field} is longer than 255 characters", errors={field: ["is too long (max 255)"]}
        )
    return value
