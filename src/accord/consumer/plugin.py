"""accord's pytest plugin for consumer contract tests on pact-python (entry point ``accord``).

Fixtures:

* ``pact_factory(consumer=None, provider=None, *, specification=None)`` makes a fresh
  :class:`~accord.consumer.contract.ConsumerPact` (a pact-python ``Pact``, V4 unless told
  otherwise) per call; names not given come from the closest
  ``@pytest.mark.pact(consumer=..., provider=..., specification=...)`` marker;
* ``pact`` is ``pact_factory()`` for the marker's pair;
* ``pact_stub(files=[...])`` starts a provider stub from pacts (see ``docs/stub.md``).

After a test passes, every pact it made is checked (declared interactions must have been
exercised: HTTP ones served, messages verified) and staged; at the end of the session the
pieces are merged into one file per pair in the pact directory and, with ``--pact-publish``,
published when every consumer test passed.

When the directory is cleared (a documented choice): not at session start but at session
*end*, by the controller, and only in a session that wrote pacts, named the directory
explicitly (``--pact-dir`` or the ``pact_dir`` ini option) or publishes. Then every pact file
in it is replaced by exactly what this session's passing tests wrote, so a deleted test leaves
nothing behind, while a crashed run keeps the previous files and a session that never touches
pacts (``pytest tests/unit``) leaves the directory alone. See :mod:`accord.consumer.pact_dir`.

The plugin is loaded in every pytest session where accord is installed, so it stays inert
otherwise: no file system access, and pact-python (which loads a Rust library) is imported
only when a pact fixture is used.
"""

import contextlib
import uuid
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from accord.consumer.pact_dir import FinalizedPacts, PactDirectory
from accord.errors import AccordError, InteractionNotExercisedError

if TYPE_CHECKING:
    from accord.consumer.contract import ConsumerPact
    from accord.stub import StubServer

DEFAULT_PACT_DIR = "pacts"
PACT_PROPERTY = "accord_pact"
_WORKER_SESSION_KEY = "accord_session_id"
_WORKER_DIR_KEY = "accord_pact_dir"


@dataclass
class ConsumerSession:
    """What the plugin knows about the running pytest session."""

    directory: PactDirectory
    explicit_dir: bool
    is_controller: bool
    failed_consumer_tests: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


SESSION_KEY = pytest.StashKey[ConsumerSession]()
ITEM_PACTS_KEY = pytest.StashKey[list["ConsumerPact"]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("accord", "consumer contract tests (accord)")
    group.addoption(
        "--pact-dir",
        default=None,
        help="directory the session's pacts are written to, one file per consumer/provider"
        " pair; the session owns it (default: <rootdir>/pacts)",
    )
    group.addoption(
        "--pact-publish",
        action="store_true",
        default=False,
        help="publish the pacts to a Pact Broker at the end of the session if every consumer"
        " test passed",
    )
    group.addoption("--pact-broker-url", default=None, help="broker URL [PACT_BROKER_BASE_URL]")
    group.addoption("--pact-broker-username", default=None, help="[PACT_BROKER_USERNAME]")
    group.addoption("--pact-broker-password", default=None, help="[PACT_BROKER_PASSWORD]")
    group.addoption("--pact-broker-token", default=None, help="[PACT_BROKER_TOKEN]")
    group.addoption(
        "--consumer-app-version",
        default=None,
        help="version of the consumer the pacts belong to (default: the git commit sha)",
    )
    group.addoption(
        "--pact-branch", default=None, help="branch of the consumer version (default: from git)"
    )
    group.addoption(
        "--pact-tag", action="append", default=[], help="tag for the consumer version (repeat)"
    )
    group.addoption("--pact-build-url", default=None, help="link to the CI build")
    parser.addini("pact_dir", "default for --pact-dir (relative to the rootdir)", default="")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "pact(consumer=None, provider=None, specification='V4'): the consumer/provider pair"
        " the `pact` fixture makes a pact for",
    )
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    explicit, root = _configured_pact_dir(config)
    if workerinput is not None and _WORKER_SESSION_KEY in workerinput:
        session_id = str(workerinput[_WORKER_SESSION_KEY])
        root = Path(workerinput[_WORKER_DIR_KEY])
        worker_id = str(workerinput.get("workerid", "worker"))
    else:
        session_id, worker_id = uuid.uuid4().hex[:12], "controller"
    state = ConsumerSession(
        directory=PactDirectory(root, session_id, worker_id),
        explicit_dir=explicit,
        is_controller=workerinput is None,
    )
    config.stash[SESSION_KEY] = state
    config.pluginmanager.register(SessionHooks(state), "accord-consumer-session")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: tell each worker where this session stages its pacts."""
    state = node.config.stash[SESSION_KEY]
    node.workerinput[_WORKER_SESSION_KEY] = state.directory.session_id
    node.workerinput[_WORKER_DIR_KEY] = str(state.directory.root)


def _configured_pact_dir(config: pytest.Config) -> tuple[bool, Path]:
    given = config.getoption("--pact-dir")
    if given:
        return True, (config.invocation_params.dir / str(given)).resolve()
    ini = str(config.getini("pact_dir") or "")
    if ini:
        return True, (config.rootpath / ini).resolve()
    return False, config.rootpath / DEFAULT_PACT_DIR


@pytest.fixture
def pact_factory(request: pytest.FixtureRequest) -> Callable[..., "ConsumerPact"]:
    """Make a pact-python ``Pact`` for a consumer/provider pair, staged when the test passes."""
    from accord.consumer.contract import ConsumerPact

    marker = request.node.get_closest_marker("pact")
    defaults = dict(marker.kwargs) if marker is not None else {}

    def make(
        consumer: str | None = None,
        provider: str | None = None,
        *,
        specification: str | None = None,
    ) -> ConsumerPact:
        consumer = consumer or defaults.get("consumer")
        provider = provider or defaults.get("provider")
        if not consumer or not provider:
            raise pytest.UsageError(
                f"{request.node.nodeid}: the pact needs a consumer and a provider name: add"
                " @pytest.mark.pact(consumer=..., provider=...) or pass them to pact_factory"
            )
        made = ConsumerPact(
            str(consumer),
            str(provider),
            specification=str(specification or defaults.get("specification", "V4")),
        )
        request.node.stash.setdefault(ITEM_PACTS_KEY, []).append(made)
        request.node.user_properties.append((PACT_PROPERTY, made.pair))
        return made

    return make


@pytest.fixture
def pact(pact_factory: Callable[..., "ConsumerPact"]) -> "ConsumerPact":
    """A pact-python ``Pact`` for the pair named by ``@pytest.mark.pact(...)``."""
    return pact_factory()


@pytest.fixture
def pact_stub() -> Generator[Callable[..., "StubServer"], None, None]:
    """Start a provider stub from pacts: ``stub = pact_stub(files=["pacts/web-accounts.json"])``
    takes :func:`accord.testing.stub_server`'s arguments; every stub stops after the test."""
    from accord.testing.stub import stub_server

    with contextlib.ExitStack() as stubs:
        yield lambda **options: stubs.enter_context(stub_server(**options))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """After a passing test: check its pacts were exercised, then stage them."""
    result = yield
    pacts = item.stash.get(ITEM_PACTS_KEY, [])
    if not pacts:
        return result
    problems = [problem for made in pacts for problem in made.unexercised_problems()]
    if problems:
        raise InteractionNotExercisedError("\n".join(problems))
    directory = item.config.stash[SESSION_KEY].directory
    for made in pacts:
        directory.stage(made, item.nodeid)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Show an "interaction not exercised" failure as its message: the traceback is ours."""
    report: pytest.TestReport = yield
    if call.excinfo is not None and call.excinfo.errisinstance(InteractionNotExercisedError):
        report.longrepr = f"{InteractionNotExercisedError.__name__}: {call.excinfo.value}"
    return report


class SessionHooks:
    """Hooks that need the session's state (registered by ``pytest_configure``)."""

    def __init__(self, state: ConsumerSession) -> None:
        self.state = state

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Remember failed consumer tests (on the controller this sees xdist workers' reports)."""
        is_consumer_test = any(name == PACT_PROPERTY for name, _ in report.user_properties)
        known = report.nodeid in self.state.failed_consumer_tests
        if report.failed and is_consumer_test and not known:
            self.state.failed_consumer_tests.append(report.nodeid)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        state = self.state
        if not state.is_controller:
            return
        publishing = bool(session.config.getoption("--pact-publish"))
        directory = state.directory
        if not (directory.staging_root.exists() or state.explicit_dir or publishing):
            return
        finalized = directory.finalize()
        _summarize(state, finalized)
        if finalized.conflicts:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if not publishing:
            return
        if state.failed_consumer_tests or finalized.conflicts or session.exitstatus != 0:
            reason = (
                f"{len(state.failed_consumer_tests)} consumer test(s) failed"
                if state.failed_consumer_tests
                else "the pacts could not be merged"
                if finalized.conflicts
                else "the test session failed"
            )
            state.summary.append(f"pacts NOT published: {reason}")
            return
        try:
            _publish(session.config, finalized, state)
        except AccordError as error:
            state.errors.append(f"publishing pacts failed: {error}")
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not (self.state.summary or self.state.errors):
            return
        terminalreporter.section("accord pacts")
        for line in self.state.summary:
            terminalreporter.line(line)
        for line in self.state.errors:
            terminalreporter.line(line, red=True)


def _summarize(state: ConsumerSession, finalized: FinalizedPacts) -> None:
    for path in finalized.written:
        state.summary.append(f"wrote {path}")
    for path in finalized.removed:
        state.summary.append(f"removed stale {path}")
    for conflict in finalized.conflicts:
        state.errors.append(str(conflict))


def _publish(config: pytest.Config, finalized: FinalizedPacts, state: ConsumerSession) -> None:
    from accord.broker_client.settings import BrokerSettings
    from accord.consumer.publish import PublishOptions, publish_pacts
    from accord.vcs import detect_branch, detect_build_url, detect_commit

    project = config.rootpath
    # the same PACT_BROKER_* reading as every accord command and the verifier's plugin
    broker = BrokerSettings.from_env(
        base_url=config.getoption("--pact-broker-url"),
        username=config.getoption("--pact-broker-username"),
        password=config.getoption("--pact-broker-password"),
        token=config.getoption("--pact-broker-token"),
    )
    options = PublishOptions(
        broker_url=broker.base_url or "",
        consumer_version=config.getoption("--consumer-app-version") or detect_commit(project) or "",
        branch=config.getoption("--pact-branch") or detect_branch(project),
        tags=tuple(config.getoption("--pact-tag")),
        build_url=config.getoption("--pact-build-url") or detect_build_url(),
        auth=broker.auth,
    )
    for published in publish_pacts(finalized.written, options):
        branch = f" on branch {options.branch}" if options.branch else ""
        state.summary.append(
            f"published {published.consumer} → {published.provider}"
            f" version {options.consumer_version}{branch} to {options.broker_url}"
        )
        state.summary.extend(f"  {notice}" for notice in published.notices if notice.strip())
