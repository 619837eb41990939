"""Provider verification as pytest tests: one test item per interaction.

It is registered with pytest (a ``pytest11`` entry point named like this module), so a provider
project needs no ``-p`` or ``pytest_plugins`` line; a session that uses no ``accord_pacts``
marker is untouched (the verifier is imported only when a test asks for it). In a test module::

    pytestmark = pytest.mark.accord_pacts(dirs=["pacts"], provider_name="accounts")

    @pytest.fixture(scope="session")
    def accord_provider():
        return app                      # an ASGI/WSGI app object, or a base URL

    @pytest.fixture
    def accord_provider_states(db):     # states as fixtures (optional; @provider_state works)
        states = ProviderStates()
        states.add("an account exists", lambda params: db.add_account(**params))
        return states

    def test_contract(accord_interaction):
        accord_interaction.verify()

Each interaction becomes ``test_contract[consumer::description]``. A failure shows every
mismatch and the body diff, after any warnings (a generator that kept the pact's example value);
a passed test with warnings shows them in an "accord warnings" section (``-rP``). A pending
interaction that fails is reported as ``xfail``. With
``--accord-publish --accord-provider-version V`` the results are published to the broker once,
at the end of the session (on the xdist controller when run with ``-n``), one summary line per
pact.

``--accord-provider-branch``, ``--accord-provider-tags`` and ``--accord-provider-version`` are
also the defaults of the marker's ``provider_branch``/``provider_tags``/``provider_version``
(a value the marker names wins), so the branch given once decides both which pacts the broker
selects (``matchingBranch``, pending status) and where the results are recorded.

Each module (or class) may define its own ``accord_provider``: requests go to the provider the
test resolved, with one keep-alive transport per provider for the whole session.

A marker without ``broker_url`` and without ``files``/``dirs``/``urls`` asks the broker named by
``PACT_BROKER_BASE_URL`` (credentials from ``PACT_BROKER_USERNAME``/``_PASSWORD``/``_TOKEN``),
as ``accord verify`` does. A marker that finds no pact fails the session with exit status 3 and
the message of ``accord verify``, unless it says ``ignore_no_pacts_error=True``. States that
nothing can set up are a warning, an error with ``strict_states=True`` or
``--accord-strict-states``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from accord.verifier.pytest_results import (
    NOTHING_KEY,
    RESULT_KEY,
    ResultPublisher,
    command_line_tags,
    to_record,
)

if TYPE_CHECKING:  # the verifier is imported when a test uses it, not at plugin load
    from accord.pact import AnyInteraction
    from accord.verifier.config import VerifierConfig
    from accord.verifier.results import InteractionResult
    from accord.verifier.runner import Runner
    from accord.verifier.sources import LoadedPact
    from accord.verifier.states import ProviderStates
    from accord.verifier.transport import Transport

_MARKER = "accord_pacts"


class _NoPacts:
    """The one parameter of a marker that found no pact: its test fails with the reason."""

    def __init__(self, message: str) -> None:
        self.message = message


class InteractionFailed(AssertionError):  # noqa: N818 - reads as the verdict in reports
    """An interaction did not verify; the message lists every mismatch and the body diff."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("accord", "accord provider verification")
    group.addoption("--accord-publish", action="store_true", help="publish results to the broker")
    group.addoption(
        "--accord-provider-version",
        help="provider version: recorded with published results; the marker's default",
    )
    group.addoption(
        "--accord-provider-branch",
        help="provider branch: selects the broker's pacts (matchingBranch, pending) and is "
        "recorded with published results; the marker's default",
    )
    group.addoption(
        "--accord-provider-tags",
        default="",
        help="comma-separated provider tags, used like the branch; the marker's default",
    )
    group.addoption("--accord-build-url", help="CI build URL for published results")
    group.addoption(
        "--accord-strict-states",
        action="store_true",
        help="fail interactions whose provider states no handler or state-change URL can set "
        "up (default: a warning naming the states); the marker's strict_states default",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(**options): verify the pacts these options name (files, dirs, urls, "
        "broker_url, provider_name, consumer_version_selectors, ...), one test per interaction",
    )
    config.stash[_pacts_key] = {}
    config.pluginmanager.register(ResultPublisher(config), "accord-verifier-publisher")


_pacts_key = pytest.StashKey[dict[str, list["LoadedPact"]]]()


def _marker_options(config: pytest.Config, marker: pytest.Mark | None) -> dict[str, Any]:
    """The marker's options, with the provider's branch, tags and version from the command line.

    The branch decides which pacts the broker selects (``matchingBranch``) and which are
    pending, so it must reach loading as well as publishing; passing it once on the command
    line covers both. A value the marker names (not ``None``) wins.
    """
    options = dict(marker.kwargs if marker else {})
    given = {
        "provider_branch": config.getoption("--accord-provider-branch"),
        "provider_tags": command_line_tags(config),
        "provider_version": config.getoption("--accord-provider-version"),
    }
    for name, value in given.items():
        if value and options.get(name) is None:
            options[name] = value
    if config.getoption("--accord-strict-states") and options.get("strict_states") is None:
        options["strict_states"] = True
    return options


def _config_from(options: Mapping[str, Any]) -> VerifierConfig:
    from dataclasses import fields

    from accord.verifier.config import VerifierConfig

    unknown = set(options) - {f.name for f in fields(VerifierConfig)}
    if unknown:
        raise pytest.UsageError(f"@pytest.mark.{_MARKER}: unknown options {sorted(unknown)}")
    return VerifierConfig(**{**options, "output": None})


def _with_broker_from_env(options: Mapping[str, Any]) -> dict[str, Any]:
    """The marker's options, with the broker of ``PACT_BROKER_BASE_URL`` when it names none.

    Files mean files: a marker naming ``files``/``dirs``/``urls`` keeps to them, as
    ``accord verify -f`` does.
    """
    from accord.broker_client.settings import BrokerSettings

    resolved = dict(options)
    local = any(resolved.get(name) for name in ("files", "dirs", "urls"))
    if not resolved.get("broker_url") and not local:
        resolved["broker_url"] = BrokerSettings.from_env().base_url
    return resolved


def _load(config: VerifierConfig) -> list[LoadedPact]:
    """The marker's pacts (a configuration problem is a usage error naming the test's marker)."""
    from accord.broker_client import BrokerClient
    from accord.broker_client.settings import BrokerSettings
    from accord.errors import AccordError
    from accord.verifier.api import load_pacts
    from accord.verifier.plugins import refuse_plugins

    try:
        config.validate()
    except AccordError as exc:
        raise pytest.UsageError(f"@pytest.mark.{_MARKER}: {exc}") from exc
    broker = None
    if config.broker_url:
        settings = BrokerSettings.from_env(
            base_url=config.broker_url,
            username=config.user,
            password=config.password,
            token=config.token,
            retries=config.retries,
        )
        broker = BrokerClient(config.broker_url, auth=settings.auth, retries=settings.retries)
    try:
        loaded = [
            pact
            for pact in load_pacts(config, broker)
            if not config.filter_consumer or pact.pact.consumer in config.filter_consumer
        ]
    finally:
        if broker is not None:
            broker.close()
    try:
        # accord runs no plugins: a pact that needs one is refused, as `accord verify` does
        refuse_plugins((item.pact, item.pact.interactions) for item in loaded)
    except AccordError as exc:
        raise pytest.UsageError(f"@pytest.mark.{_MARKER}: {exc}") from exc
    return loaded


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "accord_interaction" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker(_MARKER)
    if marker is None:
        raise pytest.UsageError(
            f"{metafunc.definition.nodeid} uses accord_interaction but has no "
            f"@pytest.mark.{_MARKER}(...) naming the pacts to verify"
        )
    options = _with_broker_from_env(_marker_options(metafunc.config, marker))
    config = _config_from(options)
    cache = metafunc.config.stash[_pacts_key]
    key = repr(sorted(options.items(), key=lambda item: item[0]))
    if key not in cache:
        cache[key] = _load(config)
    cases: list[Any] = [
        (pact, interaction) for pact in cache[key] for interaction in pact.pact.interactions
    ]
    ids = [f"{pact.pact.consumer}::{interaction.description}" for pact, interaction in cases]
    if not cases and not config.ignore_no_pacts_error:
        # one failing test says why, and the session ends with accord verify's exit status 3
        from accord.verifier.api import no_pacts_message

        cases, ids = [_NoPacts(no_pacts_message(config.provider_name))], ["no pacts"]
    metafunc.parametrize("accord_interaction", cases, ids=ids, indirect=True)


@pytest.fixture(scope="session")
def accord_provider() -> Any:
    """The provider under test: override it with a fixture returning a base URL or an app."""
    raise pytest.UsageError(
        "define a fixture `accord_provider` returning the provider's base URL "
        "(e.g. 'http://127.0.0.1:8000') or an ASGI/WSGI app object"
    )


@pytest.fixture
def accord_provider_states() -> ProviderStates | Mapping[str, Any] | None:
    """State handlers for one test; override to build them from other fixtures."""
    return None


@pytest.fixture(scope="session")
def accord_options() -> Mapping[str, Any]:
    """Extra verifier options (``headers``, ``request_filter``, ``state_change_url``...)."""
    return {}


class _TransportPool:
    """One transport (one keep-alive session) per provider target, for the whole session.

    Keyed by the provider each test actually resolved (the app object's identity, or the URL)
    and the options that shape the target, so modules that override ``accord_provider``
    differently each reach their own provider, while the tests of one provider share a
    connection. The provider object is kept with its transport so its ``id`` stays unique.
    """

    def __init__(self) -> None:
        self._transports: dict[tuple[Any, ...], tuple[Any, Transport | None]] = {}

    def for_provider(self, provider: Any, options: Mapping[str, Any]) -> Transport | None:
        identity = provider if isinstance(provider, str) else id(provider)
        key = (identity, repr(sorted(options.items())))
        if key not in self._transports:
            from accord.verifier.api import build_transport
            from accord.verifier.config import VerifierConfig

            if isinstance(provider, str):
                config = VerifierConfig(provider_base_url=provider, **options)
            else:
                config = VerifierConfig(app=provider, **options)
            self._transports[key] = (provider, build_transport(config))
        return self._transports[key][1]

    def close(self) -> None:
        for _, transport in self._transports.values():
            if transport is not None:
                transport.close()
        self._transports.clear()


@pytest.fixture(scope="session")
def _accord_transports() -> Iterator[_TransportPool]:
    pool = _TransportPool()
    yield pool
    pool.close()


@pytest.fixture
def _accord_transport(
    accord_provider: Any,
    accord_options: Mapping[str, Any],
    _accord_transports: _TransportPool,
) -> Transport | None:
    """The transport to the provider this test's module (or class) defines."""
    return _accord_transports.for_provider(accord_provider, _target_options(accord_options))


def _target_options(options: Mapping[str, Any]) -> dict[str, Any]:
    wanted = {
        "request_timeout",
        "follow_redirects",
        "disable_ssl_verification",
        "base_path",
        "app_kind",
    }
    return {k: v for k, v in options.items() if k in wanted}


@dataclass
class InteractionCheck:
    """The interaction a test item stands for; ``verify()`` runs it against the provider."""

    pact: LoadedPact
    interaction: AnyInteraction
    runner: Runner
    node: pytest.Item

    def verify(self) -> InteractionResult:
        __tracebackhide__ = True
        from accord.verifier.reports.console import failure_lines

        result = self.runner.verify(self.pact, self.interaction)
        self.node.user_properties.append((RESULT_KEY, to_record(self.pact, result)))
        if result.warnings and result.outcome == "passed":
            # a failure's message leads with them; a pass shows them in a section (-rP)
            self.node.add_report_section("call", "accord warnings", "\n".join(result.warnings))
        if result.outcome == "failed":
            raise InteractionFailed("\n".join([result.test_id, *failure_lines(result, "  ")]))
        if result.outcome == "pending":
            pytest.xfail("pending (not fatal):\n" + "\n".join(failure_lines(result, "  ")))
        return result


@pytest.fixture
def accord_interaction(
    request: pytest.FixtureRequest,
    _accord_transport: Transport | None,
    accord_provider_states: ProviderStates | Mapping[str, Any] | None,
    accord_options: Mapping[str, Any],
) -> Iterator[InteractionCheck]:
    if isinstance(request.param, _NoPacts):
        request.node.user_properties.append((NOTHING_KEY, request.param.message))
        pytest.fail(request.param.message, pytrace=False)
    pact, interaction = request.param
    marker = request.node.get_closest_marker(_MARKER)
    options = {**_marker_options(request.config, marker), **accord_options}
    if accord_provider_states is not None:
        options["provider_states"] = accord_provider_states
    config = _config_from(options)
    from contextlib import ExitStack

    from accord.verifier.api import build_producers, build_state_runner
    from accord.verifier.runner import Runner

    with ExitStack() as stack:
        runner = Runner(
            transport=_accord_transport,
            states=build_state_runner(config, stack),
            producers=build_producers(config),
            custom_headers=config.parsed_headers(),
            request_filter=config.request_filter,
        )
        yield InteractionCheck(pact, interaction, runner, request.node)
