"""The consumer package's public face, pinned; importing it does not load pact-python."""

import subprocess
import sys

import accord.consumer


def test_the_public_names_are_pinned() -> None:
    assert sorted(accord.consumer.__all__) == [
        "FinalizedPacts",
        "PactDirectory",
        "PactPiece",
        "PublishOptions",
        "PublishedPact",
        "ReceivedMessage",
        "SyncMessage",
        "merge_pieces",
        "publish_pacts",
    ]


def test_importing_the_plugin_does_not_load_pact_python() -> None:
    code = "import sys, accord.consumer.plugin; print('pact' in sys.modules)"
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert completed.stdout.strip() == "False"


def test_the_cli_does_not_depend_on_the_consumer_package() -> None:
    """Git/CI detection is shared from ``accord.vcs``; the CLI needs nothing of the consumer."""
    code = (
        "import sys, accord.cli.app; "
        "print(sorted(m for m in sys.modules if m.startswith('accord.consumer')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert completed.stdout.strip() == "[]"
