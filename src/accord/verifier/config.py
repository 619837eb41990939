"""Every verifier option in one value, named after the ``pact verifier`` flag it mirrors.

``--file`` is ``files``, ``--state-change-url`` is ``state_change_url``, ``--provider-version``
is ``provider_version``, and so on, so a CLI maps flags to fields one to one. accord's additions
(an ``app`` object, a ``request_filter``, Python state handlers and message producers) sit
beside them.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from accord.errors import VerifierConfigError
from accord.verifier.messages import MessageProducers
from accord.verifier.progress import ProgressListener
from accord.verifier.runner import RequestFilter
from accord.verifier.states import ProviderStates
from accord.verifier.transport import AppKind


@dataclass(frozen=True)
class VerifierConfig:
    """Everything a verification run needs: the ``pact verifier`` flags, one field each,
    plus the in-process options (``app``, ``provider_states``, ``message_producers``)."""

    # loading pacts: --file, --dir, --url, --broker-url, --webhook-callback-url
    files: Sequence[str | Path] = ()
    dirs: Sequence[str | Path] = ()
    urls: Sequence[str] = ()
    broker_url: str | None = None
    webhook_callback_url: str | None = None
    ignore_no_pacts_error: bool = False
    # authentication: --user, --password, --token (env PACT_BROKER_* applies)
    user: str | None = None
    password: str | None = None
    token: str | None = None
    # provider: --hostname, --port, --transport, --base-path, --provider-name, -H, ...
    provider_name: str | None = None
    provider_base_url: str | None = None
    hostname: str | None = None
    port: int | None = None
    transport: str = "http"
    base_path: str = ""
    headers: Mapping[str, str] | Sequence[str] = ()
    request_timeout: float = 5.0  # seconds (``--request-timeout`` takes milliseconds)
    disable_ssl_verification: bool = False
    follow_redirects: bool = False
    app: Any = None
    app_kind: AppKind | None = None
    request_filter: RequestFilter | None = None
    # provider states: --state-change-url, --state-change-as-query, --state-change-teardown
    state_change_url: str | None = None
    state_change_as_query: bool = False
    state_change_teardown: bool = False
    provider_states: ProviderStates | Mapping[str, Any] | None = None
    # (accord) --strict-states: an interaction whose states nothing sets up is an error, not a
    # warning
    strict_states: bool = False
    message_producers: MessageProducers | Mapping[str, Any] | None = None
    # filtering: --filter-description, --filter-state, --filter-no-state, --filter-consumer
    filter_description: str | None = None
    filter_state: str | None = None
    filter_no_state: bool = False
    filter_consumer: Sequence[str] = ()
    # publishing: --publish, --provider-version, --build-url, --provider-tags, --provider-branch
    publish: bool = False
    provider_version: str | None = None
    build_url: str | None = None
    provider_tags: Sequence[str] = ()
    provider_branch: str | None = None
    # broker: --consumer-version-tags, --consumer-version-selectors, --enable-pending, ...
    consumer_version_tags: Sequence[str] = ()
    consumer_version_selectors: Sequence[Mapping[str, Any] | str] = ()
    enable_pending: bool = False
    include_wip_pacts_since: str | None = None
    retries: int = 3
    # development and output: --exit-on-first-error, --json, --junit, --no-colour
    exit_on_first_error: bool = False
    json_report: str | Path | None = None
    junit_report: str | Path | None = None
    output: TextIO | None = None
    colour: bool = False
    raise_on_failure: bool = True
    # (accord) told when each pact starts and finishes, e.g. to show progress
    on_progress: ProgressListener | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def parsed_headers(self) -> dict[str, str]:
        """``-H KEY=VALUE`` strings (or a mapping) as a header dict."""
        if isinstance(self.headers, Mapping):
            return {str(k): str(v) for k, v in self.headers.items()}
        parsed: dict[str, str] = {}
        for item in self.headers:
            name, sep, value = item.partition("=")
            if not sep:
                name, sep, value = item.partition(":")
            if not sep or not name.strip():
                raise VerifierConfigError(
                    f"custom header {item!r} is not KEY=VALUE; e.g. -H 'Authorization=Bearer x'"
                )
            parsed[name.strip()] = value.strip()
        return parsed

    def parsed_selectors(self) -> list[Mapping[str, Any]]:
        """Selectors given as mappings or as the JSON strings the CLI flag takes."""
        selectors: list[Mapping[str, Any]] = []
        for selector in self.consumer_version_selectors:
            if isinstance(selector, str):
                try:
                    value = json.loads(selector)
                except ValueError as exc:
                    raise VerifierConfigError(
                        f"consumer version selector {selector!r} is not JSON: {exc}"
                    ) from exc
                if not isinstance(value, dict):
                    raise VerifierConfigError(
                        f"consumer version selector {selector!r} must be a JSON object, "
                        'e.g. {"mainBranch": true}'
                    )
                selectors.append(value)
            else:
                selectors.append(selector)
        return selectors

    def provider_url(self) -> str | None:
        """The provider's base URL from ``provider_base_url`` or hostname/port/base path."""
        if self.provider_base_url:
            return self.provider_base_url.rstrip("/") + self.base_path.rstrip("/")
        if self.hostname is None and self.port is None:
            return None
        host = self.hostname or "localhost"
        port = f":{self.port}" if self.port else ""
        base = self.base_path.rstrip("/")
        if base and not base.startswith("/"):
            base = "/" + base
        return f"{self.transport}://{host}{port}{base}"

    def validate(self) -> None:
        if self.app is not None and (self.provider_base_url or self.hostname or self.port):
            raise VerifierConfigError(
                "give either an app object (in-process) or the provider's address "
                "(--provider-base-url, or --hostname/--port), not both"
            )
        if self.publish and not self.provider_version:
            raise VerifierConfigError(
                "publishing results needs the provider version: pass --provider-version "
                "(e.g. --provider-version $GIT_SHA)"
            )
        if (
            (self.broker_url or self.webhook_callback_url)
            and not self.provider_name
            and not (self.webhook_callback_url)
        ):
            raise VerifierConfigError(
                "fetching pacts from a broker needs the provider name: pass --provider-name "
                "(or set PACT_PROVIDER_NAME)"
            )
        if self.webhook_callback_url and not self.broker_url:
            raise VerifierConfigError(
                "--webhook-callback-url needs the broker: pass --broker-url "
                "(or set PACT_BROKER_BASE_URL)"
            )
        if self.provider_base_url and (self.hostname or self.port):
            raise VerifierConfigError(
                "--provider-base-url and --hostname/--port both say where the provider is; "
                "pass one of them (e.g. --provider-base-url http://127.0.0.1:8000)"
            )
        if self.webhook_callback_url and (self.files or self.dirs or self.urls):
            raise VerifierConfigError(
                "--webhook-callback-url verifies the one pact a webhook names; it cannot be "
                "combined with --file, --dir or --url (run those in a separate `accord verify`)"
            )
        if self.filter_state and self.filter_no_state:
            raise VerifierConfigError(
                "--filter-state and --filter-no-state exclude each other; pass one of them"
            )
        if not (self.files or self.dirs or self.urls or self.broker_url):
            raise VerifierConfigError(
                "no pact source: pass --file, --dir, --url or --broker-url "
                "(or set PACT_BROKER_BASE_URL with --provider-name)"
            )
