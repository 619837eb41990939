"""What the pytest verifier plugin records per interaction, and publishes at the end of a session.

A verdict travels from an xdist worker to the controller as a plain JSON-able record (a test
report's user property); the controller turns the records back into :class:`PactResult` values
and publishes them once, as ``accord verify --publish`` would. Kept apart from the plugin's
collection and fixtures because it is the part that talks to the broker.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from accord.verifier.results import InteractionResult, PactResult, PublicationOutcome
    from accord.verifier.sources import LoadedPact

RESULT_KEY = "accord_verification"
NOTHING_KEY = "accord_nothing_verified"
NOTHING_VERIFIED_STATUS = 3
"""The exit status of a session that verified nothing, as ``accord verify`` exits."""


def command_line_tags(config: pytest.Config) -> list[str]:
    return [
        t.strip()
        for t in str(config.getoption("--accord-provider-tags") or "").split(",")
        if t.strip()
    ]


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=repr))


def to_record(pact: LoadedPact, result: InteractionResult) -> dict[str, Any]:
    return {
        "source": pact.source,
        "publish_url": pact.publish_url,
        "provider_url": pact.provider_url,
        "pact_pending": pact.pending,
        "wip": pact.wip,
        "consumer": result.consumer,
        "provider": result.provider,
        "description": result.description,
        "kind": result.kind,
        "states": list(result.states),
        "interaction_id": result.interaction_id,
        "pending": result.pending,
        "error": result.error,
        "duration": result.duration,
        "mismatches": [
            [m.attribute, m.path, _plain(m.expected), _plain(m.actual), m.message]
            for m in result.mismatches
        ],
        "warnings": list(result.warnings),
    }


def pact_results(records: list[dict[str, Any]]) -> list[PactResult]:
    from accord.verifier.results import InteractionResult, Mismatch, PactResult

    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        grouped[record["source"]].append(record)
    pacts = []
    for source, items in grouped.items():
        first = items[0]
        pacts.append(
            PactResult(
                consumer=first["consumer"],
                provider=first["provider"],
                source=source,
                interactions=tuple(
                    InteractionResult(
                        consumer=r["consumer"],
                        provider=r["provider"],
                        description=r["description"],
                        kind=r["kind"],
                        states=tuple(r["states"]),
                        interaction_id=r["interaction_id"],
                        pending=r["pending"],
                        mismatches=tuple(Mismatch(*m) for m in r["mismatches"]),
                        error=r["error"],
                        duration=r["duration"],
                        warnings=tuple(r.get("warnings", ())),
                    )
                    for r in items
                ),
                pending=first["pact_pending"],
                wip=first["wip"],
                publish_url=first["publish_url"],
                provider_url=first["provider_url"],
            )
        )
    return pacts


class ResultPublisher:
    """Collects every interaction's verdict (from xdist workers too) and publishes at the end.

    Publishing happens when the session finishes; the outcome lines go into the terminal
    summary, where they start on a line of their own (not after the progress ``[100%]``).
    """

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.records: list[dict[str, Any]] = []
        self.announcements: list[str] = []
        self.nothing_verified: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == RESULT_KEY and isinstance(value, dict) and report.when == "call":
                self.records.append(value)
            elif name == NOTHING_KEY and value not in self.nothing_verified:
                self.nothing_verified.append(str(value))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        config = self.config
        if self.nothing_verified and session.exitstatus in (
            pytest.ExitCode.OK,
            pytest.ExitCode.TESTS_FAILED,
        ):
            session.exitstatus = NOTHING_VERIFIED_STATUS
            self.announcements.extend(f"accord: {text}" for text in self.nothing_verified)
        if hasattr(config, "workerinput") or not config.getoption("--accord-publish"):
            return
        version = config.getoption("--accord-provider-version")
        if not version:
            raise pytest.UsageError("--accord-publish needs --accord-provider-version")
        pacts = [p for p in pact_results(self.records) if p.publish_url]
        if not pacts:
            return
        from urllib.parse import urlsplit

        from accord.broker_client import BrokerClient
        from accord.broker_client.settings import BrokerSettings
        from accord.verifier.publishing import publish_results

        parts = urlsplit(str(pacts[0].publish_url))
        settings = BrokerSettings.from_env()
        base_url = f"{parts.scheme}://{parts.netloc}"
        with BrokerClient(base_url, auth=settings.auth, retries=settings.retries) as client:
            outcomes = publish_results(
                client,
                pacts,
                provider_version=version,
                provider_branch=config.getoption("--accord-provider-branch"),
                provider_tags=command_line_tags(config),
                build_url=config.getoption("--accord-build-url"),
            )
        self.announcements = [
            announcement(pact, outcome) for pact, outcome in zip(pacts, outcomes, strict=True)
        ]

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        for line in self.announcements:
            terminalreporter.write_line(line)


def announcement(pact: PactResult, outcome: PublicationOutcome) -> str:
    """One line per publication: who verified whom, and where the result is (or why not)."""
    pair = f"{pact.consumer} → {pact.provider}"
    if outcome.published:
        where = outcome.result_url or outcome.url
        return f"accord: verification results published for {pair}: {where}"
    return f"accord: verification results NOT published for {pair}: {outcome.detail}"
