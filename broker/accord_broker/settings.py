"""Broker settings, read from the environment (prefix ``ACCORD_BROKER_``) or given in code."""

import os
from typing import Annotated, Literal

from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./accord-broker.sqlite"
WEBHOOK_SECRET_PREFIX = "ACCORD_BROKER_WEBHOOK_SECRET_"


def _secrets_in_env() -> dict[str, SecretStr]:
    """``${user.NAME}`` values from ``ACCORD_BROKER_WEBHOOK_SECRET_<NAME>`` variables."""
    return {
        key.removeprefix(WEBHOOK_SECRET_PREFIX): SecretStr(value)
        for key, value in os.environ.items()
        if key.startswith(WEBHOOK_SECRET_PREFIX) and len(key) > len(WEBHOOK_SECRET_PREFIX)
    }


class Settings(BaseSettings):
    """How one broker runs: where its data lives, who may read and write, what it accepts.

    Basic auth is on when ``basic_auth_username`` is set. The read-only user may read and ask
    for pacts to verify; ``allow_public_read`` lets anonymous clients read too.
    """

    model_config = SettingsConfigDict(
        env_prefix="ACCORD_BROKER_", extra="ignore", use_attribute_docstrings=True
    )

    database_url: str = DEFAULT_DATABASE_URL
    """Where the data lives: ``sqlite:///path/to/file.sqlite`` (the embedded default) or
    ``postgresql+psycopg://user:password@host/database``."""
    public_base_url: str | None = None
    """Base of the links the broker writes (behind a proxy); otherwise taken from each request."""

    basic_auth_username: str | None = None
    """The read-write user's name; setting it turns basic auth on for every route."""
    basic_auth_password: SecretStr | None = None
    """The read-write user's password."""
    basic_auth_read_only_username: str | None = None
    """A user who may read and ask for pacts to verify, but not write."""
    basic_auth_read_only_password: SecretStr | None = None
    """The read-only user's password."""
    allow_public_read: bool = False
    """Let clients without credentials read (auth still guards every write)."""
    enable_public_badge_access: bool = False
    """Serve the status badges without credentials (for README files), as the Pact Broker can."""

    max_body_bytes: int = 10 * 1024 * 1024
    """Larger request bodies are refused with 413 before they are parsed."""

    allow_dangerous_contract_modification: bool = False
    """Allow publishing different pact content for an existing consumer version (a new revision)."""

    migrate_on_start: bool = True
    """Bring the database schema up to date when the broker starts; turn off to leave that to
    a deploy step (``accord broker migrate``)."""

    database_statement_timeout_ms: int = 15_000
    """On PostgreSQL a statement running longer is cancelled and the request answered 503: a
    runaway query must not hold a connection and a CPU long after the client gave up."""
    database_prepared_statements: bool = True
    """On PostgreSQL, prepare the statements a connection runs again and again (planned once).
    Turn off behind a pooler that cannot carry prepared statements (PgBouncer before 1.21 in
    transaction mode)."""
    database_connect_timeout_seconds: int = 5
    """On PostgreSQL, how long opening a connection may take (at least 2) before the request
    is answered 503: an unreachable server must not hold requests."""
    database_pool_timeout_seconds: float = 5.0
    """How long a request waits for a free pooled connection (all busy, e.g. on a stalled
    database) before it is answered 503."""
    database_keepalives_idle_seconds: int = 15
    """On PostgreSQL, TCP keepalive: seconds of silence before the first probe, so a connection
    to a host that vanished (network cut, server host down) is found dead."""
    database_keepalives_interval_seconds: int = 5
    """On PostgreSQL, TCP keepalive: seconds between unanswered probes."""
    database_keepalives_count: int = 3
    """On PostgreSQL, TCP keepalive: unanswered probes before the connection counts as dead."""
    database_stall_grace_seconds: float = 5.0
    """On PostgreSQL, a statement still without an answer this long after the statement timeout
    should have cancelled it (a stalled server or network: the connection is open, no bytes
    move) has its connection cut and the request is answered 503. Requests on a stalled
    database therefore end within statement timeout + this grace (+ the pool timeout)."""
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    """SQLite's ``synchronous`` mode in WAL. ``FULL`` (the default) syncs the log on every
    commit, so an acknowledged write survives a power loss; ``NORMAL`` is faster for
    publications (``docs/benchmarks.md``) but a power loss (not a crash of the broker) may
    lose the last acknowledged writes."""

    # Webhooks (see accord_broker.domain.webhooks). Lists read from the environment as
    # comma- or space-separated values.
    webhook_allowed_hosts: Annotated[list[str], NoDecode] = []
    """Hosts webhooks may call: names, ``*.example.com``, IPs, CIDR ranges or ``/regex/``.
    Empty (the default) denies every host."""
    webhook_allowed_schemes: Annotated[list[str], NoDecode] = ["https"]
    """URL schemes webhooks may use (add ``http`` for targets inside a trusted network)."""
    webhook_allowed_methods: Annotated[list[str], NoDecode] = ["POST"]
    """HTTP methods webhooks may use."""
    webhook_retry_schedule: Annotated[list[float], NoDecode] = [10, 60, 120, 300, 600, 1200]
    """Seconds to wait before each retry of a failed delivery (one attempt plus one per entry)."""
    webhook_timeout_seconds: float = 10.0
    """How long one delivery may take before it counts as failed."""
    webhook_poll_interval_seconds: float = 1.0
    """How often the delivery worker looks for due deliveries."""
    webhook_lease_seconds: float = 15.0
    """How long a delivery claimed by a broker process stays with it unless renewed (each
    process renews its claims while it delivers): deliveries claimed by a process that was
    killed are sent by another one after at most this long."""
    webhook_worker_enabled: bool = True
    """Run the delivery worker in this process (turn off on replicas that should only serve
    requests)."""
    provider_contract_comparisons_in_request: int = 5
    """Consumer pacts a provider contract publication always compares before it answers (a
    small broker gets every verdict in the answer)."""
    provider_contract_comparison_budget_ms: float = 25.0
    """After those, how long a publication keeps comparing before it leaves the remaining pairs
    to the background worker (can-i-deploy answers "unknown" for them until they are recorded,
    within seconds; the worker runs where the delivery worker is enabled)."""

    # What tags and branches imply (see accord_broker.domain.versions.tag_effects); the Pact
    # Broker's switches of the same names, on by default so tag-based pipelines work with
    # branches and environments unchanged.
    use_first_tag_as_branch: bool = True
    """A version's first tag, added within 10 s of its creation while it has no branch, also
    puts it on a branch of that name."""
    create_deployed_versions_for_tags: bool = True
    """Tagging a version (``PUT …/tags/{tag}``) with an environment's name records a deployment
    of it there, as ``record-deployment`` without an application instance would."""
    auto_detect_main_branch: bool = True
    """A pacticipant without a main branch adopts the first branch or tag named like one of
    ``main_branch_candidates``; an existing main branch is never changed."""
    main_branch_candidates: Annotated[list[str], NoDecode] = ["develop", "main", "master"]
    """Names that make a branch or tag the main branch (space- or comma-separated in the
    environment)."""

    # Exposure to browsers (see accord_broker.web.security).
    cors_allowed_origins: Annotated[list[str], NoDecode] = []
    """Origins (``https://dashboard.example.com``) whose pages may call the API with the
    user's credentials (CORS). Empty (the default) gives no cross-origin permission at all."""

    webhook_secrets: dict[str, SecretStr] = {}
    """Broker-side secrets that webhook definitions reference as ``${user.NAME}`` (in the URL,
    headers, body or password), substituted only when a request is sent, so definitions never
    hold them. Set each as ``ACCORD_BROKER_WEBHOOK_SECRET_<NAME>``; in code, a mapping."""

    # Expensive reads (see accord_broker.domain.pacts.diff).
    diff_max_bytes: int = 1024 * 1024
    """Pact diffs compare at most this many bytes of canonical JSON per side; larger pacts get
    413 (compare them locally with ``accord pact diff``)."""
    diff_time_budget_seconds: float = 5.0
    """A pact diff that takes longer is abandoned with 422, so one request cannot hold a CPU."""

    # Operations (see accord_broker.observability and docs/operations.md).
    access_log: bool = True
    """Log one line per request (method, route, status, duration, request id)."""
    log_format: Literal["text", "json"] = "text"
    """``text`` for a terminal, ``json`` (one object per line, with the request id) for a log
    pipeline in production."""
    metrics_port: int | None = None
    """Serve the Prometheus metrics on this port too, without authentication (bind it to an
    internal interface); ``/metrics`` on the main port stays guarded like the rest of the API."""
    metrics_host: str = "127.0.0.1"
    """The interface the separate metrics port listens on."""
    readiness_timeout_seconds: float = 2.0
    """How long ``/diagnostic/status/dependencies`` waits for the database before answering 503."""
    shutdown_grace_seconds: float = 20.0
    """On SIGTERM, how long requests in flight may take to finish before the broker exits."""

    @field_validator(
        "cors_allowed_origins",
        "webhook_allowed_hosts",
        "webhook_allowed_schemes",
        "webhook_allowed_methods",
        "webhook_retry_schedule",
        "main_branch_candidates",
        mode="before",
    )
    @classmethod
    def _split_list(cls, value: object) -> object:
        return value.replace(",", " ").split() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _add_env_secrets(self) -> "Settings":
        """``ACCORD_BROKER_WEBHOOK_SECRET_<NAME>`` variables join ``webhook_secrets`` (given
        values win)."""
        self.webhook_secrets = {**_secrets_in_env(), **self.webhook_secrets}
        return self

    @property
    def auth_enabled(self) -> bool:
        return self.basic_auth_username is not None
