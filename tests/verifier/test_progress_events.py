"""The verifier tells a listener when each pact starts and finishes, in order, with its verdict."""

from pathlib import Path
from typing import Any

import pytest
from verifier_providers import pact_document

from accord.pact.parse import parse_pact
from accord.verifier import verify
from accord.verifier.progress import (
    PactFinished,
    PactStarted,
    ProgressEvent,
    consumer_version_of,
)
from accord.verifier.sources import LoadedPact


def _version(description: str = "the version") -> dict[str, Any]:
    return {
        "description": description,
        "request": {"method": "GET", "path": "/version"},
        "response": {"status": 200, "body": "1.2.3", "headers": {"Content-Type": "text/plain"}},
    }


def _missing_account(description: str = "a missing account") -> dict[str, Any]:
    return {
        "description": description,
        "request": {"method": "GET", "path": "/accounts/999"},
        "response": {"status": 200, "body": {"id": 999}},
    }


def _pending(interaction: dict[str, Any]) -> dict[str, Any]:
    """The same interaction in a V4 pact, marked pending (its failure is not fatal)."""
    request = interaction["request"]
    return {
        "type": "Synchronous/HTTP",
        "description": interaction["description"],
        "pending": True,
        "request": request,
        "response": {"status": interaction["response"]["status"]},
    }


def _run(files: list[Path], url: str, **options: Any) -> list[ProgressEvent]:
    events: list[ProgressEvent] = []
    verify(
        files=files,
        provider_base_url=url,
        output=None,
        raise_on_failure=False,
        on_progress=events.append,
        **options,
    )
    return events


def test_each_pact_is_announced_then_judged_in_order(write_pact, serve_accounts) -> None:
    server, _ = serve_accounts()
    good = write_pact(pact_document([_version(), _version("again")], consumer="web"))
    bad = write_pact(pact_document([_version(), _missing_account()], consumer="mobile"))

    events = _run([good, bad], server.url)

    assert [(type(e).__name__, e.index, e.total, e.consumer) for e in events] == [
        ("PactStarted", 1, 2, "web"),
        ("PactFinished", 1, 2, "web"),
        ("PactStarted", 2, 2, "mobile"),
        ("PactFinished", 2, 2, "mobile"),
    ]
    first, second = events[1], events[3]
    assert isinstance(first, PactFinished) and isinstance(second, PactFinished)
    assert (first.verdict, first.passed, first.failed, first.interactions) == ("passed", 2, 0, 2)
    assert (second.verdict, second.passed, second.failed) == ("failed", 1, 1)
    assert second.result.interactions[1].description == "a missing account"
    assert second.provider == "accounts" and second.source == str(bad)
    assert 0 < first.seconds < 30


def test_a_pact_whose_only_failures_are_pending_is_pending_failed(
    write_pact, serve_accounts
) -> None:
    server, _ = serve_accounts()
    document = pact_document([], spec="4.0")
    document["interactions"] = [_pending(_missing_account())]
    pact = write_pact(document)

    events = _run([pact], server.url)

    finished = events[-1]
    assert isinstance(finished, PactFinished)
    assert (finished.verdict, finished.pending_failed, finished.failed) == ("pending-failed", 1, 0)


def test_the_started_event_counts_only_the_interactions_the_filters_select(
    write_pact, serve_accounts
) -> None:
    server, _ = serve_accounts()
    pact = write_pact(pact_document([_version(), _version("again"), _missing_account()]))

    events = _run([pact], server.url, filter_description="version|again")

    started, finished = events
    assert isinstance(started, PactStarted) and started.interactions == 2
    assert isinstance(finished, PactFinished) and finished.verdict == "passed"


def test_stopping_at_the_first_failure_never_starts_the_next_pact(
    write_pact, serve_accounts
) -> None:
    server, _ = serve_accounts()
    bad = write_pact(pact_document([_missing_account(), _version()], consumer="mobile"))
    good = write_pact(pact_document([_version()], consumer="web"))

    events = _run([bad, good], server.url, exit_on_first_error=True)

    assert [type(e).__name__ for e in events] == ["PactStarted", "PactFinished"]
    started, finished = events
    assert isinstance(started, PactStarted) and started.interactions == 2
    assert isinstance(finished, PactFinished)
    assert (finished.verdict, finished.interactions, finished.total) == ("failed", 1, 2)


def test_without_a_listener_the_verdicts_are_the_same(write_pact, serve_accounts) -> None:
    server, _ = serve_accounts()
    pact = write_pact(pact_document([_version(), _missing_account()]))
    events: list[ProgressEvent] = []

    plain = verify(files=[pact], provider_base_url=server.url, output=None, raise_on_failure=False)
    watched = verify(
        files=[pact],
        provider_base_url=server.url,
        output=None,
        raise_on_failure=False,
        on_progress=events.append,
    )

    assert [i.outcome for i in plain.interactions] == [i.outcome for i in watched.interactions]
    assert len(events) == 2


@pytest.mark.parametrize(
    ("source", "version"),
    [
        ("http://b/pacts/provider/accounts/consumer/web/version/1.2.3", "1.2.3"),
        ("http://b/pacts/provider/accounts/consumer/web/version/feat%2Fx%201", "feat/x 1"),
        ("http://b/pacts/provider/accounts/consumer/web/pact-version/abc/metadata/xyz", None),
        ("pacts/web-accounts.json", None),
    ],
)
def test_the_consumer_version_is_read_from_a_broker_url(source: str, version: str | None) -> None:
    loaded = LoadedPact(parse_pact(pact_document([_version()]), source=source), source)

    assert consumer_version_of(loaded) == version
