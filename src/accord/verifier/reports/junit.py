"""The JUnit XML report (``--junit``): one test suite per pact, one test case per interaction.

Every pact of a run lands in the same file (pact-provider-verifier#94 overwrote it per consumer,
so a failed run looked green). Pending failures are ``skipped``, never ``failure``. Warnings
lead the failure (or skipped) text; on a passed case they are its ``system-out``.
"""

import xml.etree.ElementTree as ET
from pathlib import Path

from accord.verifier.previews import printable
from accord.verifier.reports.console import failure_lines, warning_lines
from accord.verifier.results import VerificationResult


def junit_report(result: VerificationResult) -> ET.Element:
    suites = ET.Element("testsuites", name="accord verify")
    total = failures = skipped = 0
    for pact in result.pacts:
        suite = ET.SubElement(
            suites, "testsuite", name=f"{pact.consumer} -> {pact.provider}", file=pact.source
        )
        suite_failures = suite_skipped = 0
        suite_time = 0.0
        for interaction in pact.interactions:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{pact.provider}.{pact.consumer}",
                name=interaction.description,
                time=f"{interaction.duration:.6f}",
            )
            suite_time += interaction.duration
            details = "\n".join(failure_lines(interaction, indent=""))
            if interaction.outcome == "failed":
                suite_failures += 1
                first = (
                    interaction.error
                    if interaction.error is not None
                    else interaction.mismatches[0].message
                )
                failure = ET.SubElement(
                    case, "failure", message=printable(first), type="VerificationFailure"
                )
                failure.text = details
            elif interaction.outcome == "pending":
                suite_skipped += 1
                ET.SubElement(
                    case, "skipped", message="pending: failure is not fatal"
                ).text = details
            elif interaction.warnings:
                ET.SubElement(case, "system-out").text = printable(
                    "\n".join(warning_lines(interaction, indent=""))
                )
        suite.set("tests", str(len(pact.interactions)))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        suite.set("skipped", str(suite_skipped))
        suite.set("time", f"{suite_time:.6f}")
        total += len(pact.interactions)
        failures += suite_failures
        skipped += suite_skipped
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("errors", "0")
    suites.set("skipped", str(skipped))
    return suites


def write_junit_report(result: VerificationResult, path: str | Path) -> None:
    tree = ET.ElementTree(junit_report(result))
    ET.indent(tree)
    tree.write(Path(path), encoding="utf-8", xml_declaration=True)
