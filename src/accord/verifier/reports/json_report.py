"""The JSON report (``--json``): one document a CI job can read with ``jq``.

It keeps the top-level keys of ``pact verifier --json`` (``result``, ``errors``,
``pendingErrors``, ``interactionResults``, ``notices``) so scripts written for it keep working,
and adds what users asked for: consumer, provider, states and mismatches per interaction, and
``warnings`` (always a list, usually empty) for what the verifier did that the user should know
about, such as a generator that kept the pact's example value.
"""

import json
from pathlib import Path
from typing import Any

from accord.verifier.results import InteractionResult, Mismatch, VerificationResult


def _mismatch(mismatch: Mismatch) -> dict[str, Any]:
    return {
        "attribute": mismatch.attribute,
        "path": mismatch.path,
        "expected": mismatch.expected,
        "actual": mismatch.actual,
        "mismatch": mismatch.message,
    }


def _interaction(result: InteractionResult) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "consumer": result.consumer,
        "provider": result.provider,
        "description": result.description,
        "kind": result.kind,
        "providerStates": list(result.states),
        "result": "OK" if result.success else "Error",
        "outcome": result.outcome,
        "pending": result.pending,
        "duration": round(result.duration, 6),
        "mismatches": [_mismatch(m) for m in result.mismatches],
        "warnings": list(result.warnings),
    }
    if result.interaction_id:
        entry["interactionId"] = result.interaction_id
    if result.error is not None:
        entry["error"] = result.error
    return entry


def _error(result: InteractionResult) -> dict[str, Any]:
    return {
        "interaction": result.test_id,
        "mismatch": (
            {"type": "error", "message": result.error}
            if result.error is not None
            else {"type": "mismatches", "mismatches": [_mismatch(m) for m in result.mismatches]}
        ),
    }


def json_report(result: VerificationResult) -> dict[str, Any]:
    return {
        "result": result.success,
        "summary": result.summary(),
        "errors": [_error(r) for r in result.failures],
        "pendingErrors": [_error(r) for r in result.pending_failures],
        "interactionResults": [_interaction(r) for r in result.interactions],
        "notices": [dict(n) for pact in result.pacts for n in pact.notices],
        "pacts": [
            {
                "consumer": pact.consumer,
                "provider": pact.provider,
                "source": pact.source,
                "pending": pact.pending,
                "wip": pact.wip,
                "success": pact.success,
            }
            for pact in result.pacts
        ],
    }


def write_json_report(result: VerificationResult, path: str | Path) -> None:
    Path(path).write_text(json.dumps(json_report(result), indent=2, default=str), encoding="utf-8")
