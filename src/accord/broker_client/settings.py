"""Where the broker is and how to talk to it: the ``PACT_BROKER_*`` variables, read in one place.

Every entry point (each CLI command, the verifier's pytest plugin, ``verify()``) reads the same
variables the official clients read, with the same precedence: a value given explicitly (a
flag, a marker option, an argument) wins over the environment.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass

from accord.broker_client.auth import BrokerAuth

BASE_URL_ENV = "PACT_BROKER_BASE_URL"
USERNAME_ENV = "PACT_BROKER_USERNAME"
PASSWORD_ENV = "PACT_BROKER_PASSWORD"
TOKEN_ENV = "PACT_BROKER_TOKEN"
RETRIES_ENV = "PACT_BROKER_HTTP_RETRIES"

#: The official CLI's default: 8 retries of 5xx answers and timeouts, back-off from 0.5 s
#: doubling (capped at 30 s per wait). A refused connection is never retried.
DEFAULT_RETRIES = 8


@dataclass(frozen=True, slots=True)
class BrokerSettings:
    """A broker's base URL, credentials and retry budget."""

    base_url: str | None = None
    username: str | None = None
    password: str | None = None
    token: str | None = None
    retries: int = DEFAULT_RETRIES

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        base_url: str | None = None,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        retries: int | None = None,
    ) -> "BrokerSettings":
        """Explicit values first, then the ``PACT_BROKER_*`` variables of ``env`` (os.environ).

        A ``PACT_BROKER_HTTP_RETRIES`` that is not a whole number ≥ 0 is a configuration error
        naming the variable, not a silent default.
        """
        environ = os.environ if env is None else env
        if retries is None:
            retries = _retries_from(environ.get(RETRIES_ENV))
        return cls(
            base_url=base_url or environ.get(BASE_URL_ENV) or None,
            username=username if username is not None else environ.get(USERNAME_ENV),
            password=password if password is not None else environ.get(PASSWORD_ENV),
            token=token if token is not None else environ.get(TOKEN_ENV),
            retries=retries,
        )

    @property
    def auth(self) -> BrokerAuth:
        """The credentials as the client sends them (a token wins over basic auth)."""
        return BrokerAuth(self.username, self.password, self.token)


def _retries_from(text: str | None) -> int:
    if text is None or not text.strip():
        return DEFAULT_RETRIES
    if not text.strip().isdigit():
        from accord.errors import VerifierConfigError

        raise VerifierConfigError(
            f"{RETRIES_ENV}={text!r} is not a whole number of retries; set it to e.g. 3 "
            "(or 0 for none)"
        )
    return int(text)
