"""``verify(...)``: load pacts, verify each interaction, report, publish.

The one entry point the CLI, the pytest plugin and users' scripts share. It returns a typed
:class:`VerificationResult`, and raises :class:`VerificationFailed` (carrying that result) when a
non-pending interaction failed, :class:`NoPactsFound` when there was nothing to verify.
"""

import re
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import NoPactsFound, VerificationFailed, VerifierConfigError
from accord.pact import AnyInteraction, SynchronousHttp
from accord.verifier.config import VerifierConfig
from accord.verifier.messages import MessageProducers, default_producers
from accord.verifier.plugins import refuse_plugins
from accord.verifier.progress import pact_finished, pact_started
from accord.verifier.reports.console import render_console
from accord.verifier.results import PactResult, VerificationResult
from accord.verifier.runner import Filters, Runner
from accord.verifier.sources import (
    BrokerOptions,
    LoadedPact,
    load_dir,
    load_file,
    load_from_broker,
    load_url,
    load_webhook_pact,
)
from accord.verifier.states import (
    ProviderStates,
    StateChangeUrl,
    StateRunner,
    default_states,
    unhandled_states_message,
)
from accord.verifier.transport import HttpTransport, Transport, app_transport

if TYPE_CHECKING:  # loaded with the first broker or URL source: verifying files never needs it
    from accord.broker_client import BrokerClient


def _compile(pattern: str | None, flag: str) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise VerifierConfigError(f"{flag} {pattern!r} is not a valid regex: {exc}") from exc


def load_pacts(config: VerifierConfig, broker: "BrokerClient | None") -> Iterator[LoadedPact]:
    """Every pact the config names, in the order given: files, dirs, URLs, then the broker."""
    for file in config.files:
        yield load_file(Path(file))
    for directory in config.dirs:
        yield from load_dir(Path(directory), config.provider_name)
    if not config.urls and broker is None:
        return
    from accord.broker_client import auth_from_env

    auth = auth_from_env(username=config.user, password=config.password, token=config.token)
    for url in config.urls:
        yield load_url(url, auth, timeout=max(config.request_timeout, 30.0))
    if broker is not None and config.webhook_callback_url:
        yield load_webhook_pact(broker, config.webhook_callback_url)
    elif broker is not None:
        assert config.provider_name is not None
        yield from load_from_broker(
            broker,
            BrokerOptions(
                url=broker.base_url,
                provider=config.provider_name,
                auth=auth,
                consumer_version_selectors=config.parsed_selectors(),
                consumer_version_tags=config.consumer_version_tags,
                enable_pending=config.enable_pending,
                include_wip_pacts_since=config.include_wip_pacts_since,
                provider_branch=config.provider_branch,
                provider_tags=config.provider_tags,
                retries=config.retries,
            ),
        )


def build_state_runner(config: VerifierConfig, stack: ExitStack) -> StateRunner:
    handlers: ProviderStates | None = None
    if isinstance(config.provider_states, ProviderStates):
        handlers = config.provider_states
    elif config.provider_states is not None:
        handlers = ProviderStates()
        handlers.update(config.provider_states)
    elif config.state_change_url is None and default_states:
        handlers = default_states
    url = None
    if config.state_change_url is not None:
        url = StateChangeUrl(
            config.state_change_url,
            as_query=config.state_change_as_query,
            timeout=config.request_timeout,
        )
        stack.callback(url.close)
    return StateRunner(
        handlers, url, teardown=config.state_change_teardown, strict=config.strict_states
    )


def build_producers(config: VerifierConfig) -> MessageProducers:
    if isinstance(config.message_producers, MessageProducers):
        return config.message_producers
    if config.message_producers is not None:
        return MessageProducers(config.message_producers)
    return default_producers


def build_transport(config: VerifierConfig) -> Transport | None:
    if config.app is not None:
        return app_transport(config.app, kind=config.app_kind, base_path=config.base_path)
    url = config.provider_url()
    if url is None:
        return None
    return HttpTransport(
        url,
        timeout=config.request_timeout,
        follow_redirects=config.follow_redirects,
        verify_tls=not config.disable_ssl_verification,
    )


def _publisher_for(pacts: list[PactResult], config: VerifierConfig) -> "BrokerClient | None":
    """A client for the broker a ``--url`` pact came from, when no broker URL was given."""
    from urllib.parse import urlsplit

    from accord.broker_client import BrokerClient, auth_from_env

    for pact in pacts:
        if pact.publish_url and pact.publish_url.startswith(("http://", "https://")):
            parts = urlsplit(pact.publish_url)
            return BrokerClient(
                f"{parts.scheme}://{parts.netloc}",
                auth=auth_from_env(
                    username=config.user, password=config.password, token=config.token
                ),
                retries=config.retries,
            )
    return None


def no_pacts_message(provider_name: str | None) -> str:
    """The one "nothing to verify" sentence of the CLI and the pytest plugin (exit 3)."""
    return (
        "no pacts found to verify"
        + (f" for provider {provider_name!r}" if provider_name else "")
        + "; check the sources, selectors and consumer filter, or pass "
        "--ignore-no-pacts-error when an empty run is expected"
    )


def _check_runnable(loaded: list[LoadedPact], config: VerifierConfig, has_target: bool) -> None:
    """Refuse, before any replay or publication, a run whose verdicts could only be bogus.

    HTTP interactions without a provider address would all fail and be published as a failed
    provider version; with ``strict_states`` states that nothing can set up are a
    configuration error too.
    """
    interactions = [i for item in loaded for i in item.pact.interactions]
    if not has_target and any(isinstance(i, SynchronousHttp) for i in interactions):
        raise VerifierConfigError(
            "the pacts have HTTP interactions but no provider address was given: pass "
            "--provider-base-url URL, or --hostname and --port "
            "(PACT_PROVIDER_HOSTNAME, PACT_PROVIDER_PORT)"
        )
    has_states = config.provider_states or config.state_change_url or default_states
    if config.strict_states and not has_states:
        names = [state.name for i in interactions for state in i.provider_states]
        if names:
            raise VerifierConfigError(unhandled_states_message(names))


def run_verification(config: VerifierConfig) -> VerificationResult:
    """Verify without raising on failures (the CLI and the pytest plugin use this)."""
    config.validate()
    filters = Filters(
        _compile(config.filter_description, "filter_description"),
        _compile(config.filter_state, "filter_state"),
        config.filter_no_state,
    )
    consumers = set(config.filter_consumer)
    custom_headers = config.parsed_headers()
    config.parsed_selectors()  # fail on a malformed selector before any network call
    with ExitStack() as stack:
        broker = None
        if config.broker_url:
            from accord.broker_client import BrokerClient, auth_from_env

            broker = BrokerClient(
                config.broker_url,
                auth=auth_from_env(
                    username=config.user, password=config.password, token=config.token
                ),
                retries=config.retries,
            )
            stack.callback(broker.close)
        loaded = [
            pact
            for pact in load_pacts(config, broker)
            if not consumers or pact.pact.consumer in consumers
        ]
        if not loaded and not config.ignore_no_pacts_error:
            raise NoPactsFound(no_pacts_message(config.provider_name))
        # accord runs no plugins: their interactions stop the run before anything is verified
        refuse_plugins(
            (item.pact, [i for i in item.pact.interactions if filters.accepts(i)])
            for item in loaded
        )
        transport = build_transport(config)
        _check_runnable(loaded, config, transport is not None)
        if transport is not None:
            stack.callback(transport.close)
        runner = Runner(
            transport=transport,
            states=build_state_runner(config, stack),
            producers=build_producers(config),
            custom_headers=custom_headers,
            request_filter=config.request_filter,
        )
        pact_results: list[PactResult] = []
        stop = False
        for index, item in enumerate(loaded, start=1):
            selected = [i for i in item.pact.interactions if filters.accepts(i)]
            started = pact_started(item, index=index, total=len(loaded), interactions=len(selected))
            if config.on_progress is not None:
                config.on_progress(started)
            clock = time.perf_counter()
            interactions = []
            # the next interaction's state change may start early, unless the run could stop
            # after this one (it would set up a state nothing is verified against)
            upcoming: list[AnyInteraction | None] = [*selected[1:], None]
            if config.exit_on_first_error:
                upcoming = [None] * len(selected)
            for interaction, following in zip(selected, upcoming, strict=False):
                verdict = runner.verify(item, interaction, upcoming=following)
                interactions.append(verdict)
                if config.exit_on_first_error and verdict.outcome == "failed":
                    stop = True
                    break
            pact_results.append(
                PactResult(
                    consumer=item.pact.consumer,
                    provider=item.pact.provider,
                    source=item.source,
                    interactions=tuple(interactions),
                    pending=item.pending,
                    wip=item.wip,
                    notices=item.notices,
                    publish_url=item.publish_url,
                    provider_url=item.provider_url,
                )
            )
            if config.on_progress is not None:
                seconds = time.perf_counter() - clock
                config.on_progress(pact_finished(started, pact_results[-1], seconds=seconds))
            if stop:
                break
        result = VerificationResult(tuple(pact_results))
        publisher = broker or (_publisher_for(pact_results, config) if config.publish else None)
        if config.publish and publisher is not None and config.provider_version:
            from accord.verifier.publishing import publish_results

            if publisher is not broker:
                stack.callback(publisher.close)
            outcomes = publish_results(
                publisher,
                pact_results,
                provider_version=config.provider_version,
                provider_branch=config.provider_branch,
                provider_tags=config.provider_tags,
                build_url=config.build_url,
            )
            result = replace(result, publications=tuple(outcomes))
    if config.json_report is not None:
        from accord.verifier.reports.json_report import write_json_report

        write_json_report(result, config.json_report)
    if config.junit_report is not None:
        from accord.verifier.reports.junit import write_junit_report

        write_junit_report(result, config.junit_report)
    if config.output is not None:
        for line in render_console(result, colour=config.colour):
            config.output.write(line + "\n")
    return result


def verify(config: VerifierConfig | None = None, /, **options: Any) -> VerificationResult:
    """Verify pacts against a provider; raise :class:`VerificationFailed` if one fails.

    Options are the fields of :class:`VerifierConfig` (``files=``, ``provider_base_url=``,
    ``app=``, ``provider_states=``, ``state_change_url=``, ``publish=``, ...). The console
    report goes to stdout unless ``output=None`` is passed explicitly.
    """
    if config is None:
        options.setdefault("output", sys.stdout)
        try:
            config = VerifierConfig(**options)
        except TypeError as exc:
            raise VerifierConfigError(f"unknown verify() option: {exc}") from exc
    elif options:
        config = replace(config, **options)
    result = run_verification(config)
    if config.raise_on_failure and not result.success:
        raise VerificationFailed(result, f"pact verification failed: {result.summary()}")
    return result
