"""The stub's public face is pinned, and importing ``accord.testing`` does not load it."""

import subprocess
import sys

import accord.stub
import accord.testing


def test_the_stub_package_exports_exactly_its_public_names() -> None:
    assert sorted(accord.stub.__all__) == [
        "BrokerPacts",
        "InteractionIndex",
        "Match",
        "NoMatch",
        "StubApp",
        "StubInteraction",
        "StubOptions",
        "StubServer",
        "load_pacts",
    ]
    assert all(hasattr(accord.stub, name) for name in accord.stub.__all__)


def test_accord_testing_offers_the_stub_context_manager() -> None:
    assert "stub_server" in accord.testing.__all__


def test_importing_accord_testing_or_the_cli_does_not_load_the_stub() -> None:
    code = (
        "import sys, accord.testing, accord.cli.app; "
        "print(sorted(m for m in sys.modules if m.startswith('accord.stub')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )

    assert completed.stdout.strip() == "[]"
