"""Reports of a verification: console text, JSON (``--json``) and JUnit XML (``--junit``).

Each report's module loads when its name is first used: every run prints the console report,
but only ``--json`` and ``--junit`` runs need the other two (JUnit pulls in ElementTree).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.verifier.reports.console import render_console
    from accord.verifier.reports.json_report import json_report, write_json_report
    from accord.verifier.reports.junit import junit_report, write_junit_report

_HOMES = {
    "render_console": "accord.verifier.reports.console",
    "json_report": "accord.verifier.reports.json_report",
    "write_json_report": "accord.verifier.reports.json_report",
    "junit_report": "accord.verifier.reports.junit",
    "write_junit_report": "accord.verifier.reports.junit",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


__all__ = [
    "json_report",
    "junit_report",
    "render_console",
    "write_json_report",
    "write_junit_report",
]
