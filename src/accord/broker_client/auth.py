"""Broker credentials, from arguments or the ecosystem's environment variables.

The official clients read ``PACT_BROKER_USERNAME``/``PACT_BROKER_PASSWORD`` (basic) and
``PACT_BROKER_TOKEN`` (bearer); when both kinds are given the token wins, and so it does here.
"""

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BrokerAuth:
    username: str | None = None
    password: str | None = None
    token: str | None = None

    def header(self) -> str | None:
        """The ``Authorization`` header value, or ``None`` when no credentials were given."""
        if self.token:
            return f"Bearer {self.token}"
        if self.username is not None:
            pair = f"{self.username}:{self.password or ''}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return None


def auth_from_env(
    *,
    username: str | None = None,
    password: str | None = None,
    token: str | None = None,
    env: Mapping[str, str] | None = None,
) -> BrokerAuth:
    """Explicit arguments first, then ``PACT_BROKER_USERNAME/PASSWORD/TOKEN``.

    The variables' names come from :mod:`accord.broker_client.settings`, the one place that
    names the ``PACT_BROKER_*`` variables (and reads them, in ``BrokerSettings.from_env``).
    """
    from accord.broker_client.settings import PASSWORD_ENV, TOKEN_ENV, USERNAME_ENV

    environ = os.environ if env is None else env
    return BrokerAuth(
        username=username if username is not None else environ.get(USERNAME_ENV),
        password=password if password is not None else environ.get(PASSWORD_ENV),
        token=token if token is not None else environ.get(TOKEN_ENV),
    )
