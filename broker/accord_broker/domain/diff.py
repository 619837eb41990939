"""A readable difference between two pact contents (``pb:diff``), interactions compared by JSON."""

import difflib
import json
from typing import Any

from accord_broker.domain.pact_content import INTERACTION_LISTS


def _lines(content: dict[str, Any]) -> list[str]:
    comparable = {key: content[key] for key in INTERACTION_LISTS if key in content}
    return json.dumps(comparable, indent=2, sort_keys=True).splitlines()


def diff_pacts(
    older: dict[str, Any], newer: dict[str, Any], *, older_name: str, newer_name: str
) -> str:
    """A unified diff of the interactions of two pacts; empty when they ask the same things."""
    return "\n".join(
        difflib.unified_diff(_lines(older), _lines(newer), older_name, newer_name, lineterm="")
    )
