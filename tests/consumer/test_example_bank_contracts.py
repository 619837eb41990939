"""The example bank's pacts hold against its real providers; the demo's breaking switch breaks them.

Checked with the official verifier (pact-python's ``Verifier``), independent of accord's own:
the consumer tests write the pacts, the providers run on real uvicorn servers with SQLite, and
the provider states in ``providers/*/states.py`` set up the rows.
"""

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accord.testing import serve_app

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.interop, pytest.mark.slow]


@pytest.fixture(scope="module")
def example_pacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pact_dir = tmp_path_factory.mktemp("example-pacts")
    command = [sys.executable, "-m", "pytest", "consumers", "providers", "-q"]
    command += ["-p", "no:cacheprovider", "-k", "pact", "--pact-dir", str(pact_dir)]
    completed = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, env=_env(), check=False
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    return pact_dir


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PACT_DO_NOT_TRACK": "true"}


def verify(
    provider: str, url: str, sources: list[Path], states: Callable[..., None], **extra: Any
) -> tuple[bool, str]:
    from pact import Verifier

    verifier = Verifier(provider, host="127.0.0.1").add_transport(url=url)
    for source in sources:
        verifier.add_source(source)
    verifier.state_handler(states, teardown=True)
    if "messages" in extra:
        verifier.message_handler(extra["messages"])
    try:
        verifier.verify()
        verified = True
    except RuntimeError:
        verified = False
    output = verifier.output(strip_ansi=True)
    close_relay_servers(verifier)
    return verified, output


def close_relay_servers(verifier: Any) -> None:
    """pact-python 4.2 shuts its state and message relay servers down but never closes their
    sockets (a ResourceWarning later, in whichever test the garbage collector runs). Close them."""
    for relay in (verifier._state_handler, verifier._message_producer):
        server = getattr(relay, "_server", None)
        if server is not None:
            server.server_close()


def accounts_verification(pacts: Path, tmp_path: Path, *, breaking: bool) -> tuple[bool, str]:
    from providers.accounts import states
    from providers.accounts.app import create_app

    app = create_app(f"sqlite:///{tmp_path / 'accounts.sqlite'}", breaking=breaking)

    def handle(state: str, action: str, parameters: dict[str, Any] | None) -> None:
        if action == "setup":
            states.set_up_state(app.state.sessions, state, parameters)
        else:
            states.reset(app.state.sessions)

    sources = [pacts / "web-accounts.json", pacts / "transfers-accounts.json"]
    with serve_app(app) as server:
        return verify("accounts", server.url, sources, handle)


def test_accounts_honours_the_pacts_of_web_and_transfers(
    example_pacts: Path, tmp_path: Path
) -> None:
    verified, output = accounts_verification(example_pacts, tmp_path, breaking=False)

    assert verified, output


def test_the_breaking_switch_makes_accounts_fail_its_consumers(
    example_pacts: Path, tmp_path: Path
) -> None:
    verified, output = accounts_verification(example_pacts, tmp_path, breaking=True)

    assert not verified
    assert "Actual map is missing the following keys: balance" in output


def test_transfers_honours_the_pact_of_web_and_the_event_pact_of_notifications(
    example_pacts: Path, tmp_path: Path
) -> None:
    from providers.transfers import states
    from providers.transfers.accounts_client import InMemoryAccounts
    from providers.transfers.app import create_app

    accounts = InMemoryAccounts()
    app = create_app(f"sqlite:///{tmp_path / 'transfers.sqlite'}", accounts)
    context = states.TransfersContext(app.state.sessions, accounts)

    def handle(state: str, action: str, parameters: dict[str, Any] | None) -> None:
        if action == "setup":
            states.set_up_state(context, state, parameters)
        else:
            states.reset(context)

    def as_pact_python_message(produce: Callable[[], dict[str, Any]]) -> Callable[[], Any]:
        def message() -> dict[str, Any]:
            produced = produce()
            return {
                "contents": json.dumps(produced["contents"]).encode(),
                "metadata": produced["metadata"],
                "content_type": produced["metadata"]["contentType"],
            }

        return message

    messages = {name: as_pact_python_message(f) for name, f in states.MESSAGES.items()}
    sources = [example_pacts / "web-transfers.json", example_pacts / "notifications-transfers.json"]
    with serve_app(app) as server:
        verified, output = verify("transfers", server.url, sources, handle, messages=messages)

    assert verified, output
