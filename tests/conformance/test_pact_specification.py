"""Every official Pact specification matching case, run through the public matching API.

Each JSON file under ``../shared/pact-spec-testcases/<version>/<part>/<aspect>/`` is one test,
named by its path there. A case passes when the engine finds no mismatch exactly when the case
says ``"match": true``.
"""

import json
import os
from pathlib import Path
from typing import Any

import pytest

from accord.matching import Mismatch, match_message, match_request, match_response

CASES_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "pact-spec-testcases"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SPEC_OF_FOLDER = {"v1": "V1", "v1.1": "V1.1", "v2": "V2", "v3": "V3", "v4": "V4"}
MATCHERS = {"request": match_request, "response": match_response, "message": match_message}


def _case_ids() -> list[str]:
    if not CASES_DIR.is_dir():
        return []
    return sorted(p.relative_to(CASES_DIR).as_posix() for p in CASES_DIR.rglob("*.json"))


CASE_IDS = _case_ids()


def test_the_official_cases_are_present() -> None:
    if not CASE_IDS:
        message = (
            f"The Pact specification cases were not found at {CASES_DIR}: check out the shared "
            "folder beside the repository (../shared/pact-spec-testcases)."
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    assert len(CASE_IDS) == 803


def _load(case_id: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((CASES_DIR / case_id).read_text(encoding="utf-8-sig"))
    return loaded


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_case(case_id: str) -> None:
    folder, part = case_id.split("/")[:2]
    case = _load(case_id)
    mismatches: list[Mismatch] = MATCHERS[part](
        case["expected"], case["actual"], spec=SPEC_OF_FOLDER[folder]
    )
    if case["match"]:
        assert mismatches == [], f"{case.get('comment')}: expected a match, got {mismatches}"
    else:
        assert mismatches, f"{case.get('comment')}: expected a mismatch, found none"
        assert all(isinstance(m, Mismatch) and m.message for m in mismatches)
