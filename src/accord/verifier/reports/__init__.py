"""Reports of a verification: console text, JSON (``--json``) and JUnit XML (``--junit``)."""

from accord.verifier.reports.console import render_console
from accord.verifier.reports.json_report import json_report, write_json_report
from accord.verifier.reports.junit import junit_report, write_junit_report

__all__ = [
    "json_report",
    "junit_report",
    "render_console",
    "write_json_report",
    "write_junit_report",
]
