"""Broker settings, read from the environment (prefix ``ACCORD_BROKER_``) or given in code."""

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./accord-broker.sqlite"


class Settings(BaseSettings):
    """How one broker runs: where its data lives, who may read and write, what it accepts.

    Basic auth is on when ``basic_auth_username`` is set. The read-only user may read and ask
    for pacts to verify; ``allow_public_read`` lets anonymous clients read too.
    """

    model_config = SettingsConfigDict(env_prefix="ACCORD_BROKER_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    public_base_url: str | None = None
    """Base of the links the broker writes (behind a proxy); otherwise taken from each request."""

    basic_auth_username: str | None = None
    basic_auth_password: SecretStr | None = None
    basic_auth_read_only_username: str | None = None
    basic_auth_read_only_password: SecretStr | None = None
    allow_public_read: bool = False

    max_body_bytes: int = 10 * 1024 * 1024
    """Larger request bodies are refused with 413 before they are parsed."""

    allow_dangerous_contract_modification: bool = False
    """Allow publishing different pact content for an existing consumer version (a new revision)."""

    migrate_on_start: bool = True

    @property
    def auth_enabled(self) -> bool:
        return self.basic_auth_username is not None
