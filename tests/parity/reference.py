"""The reference verifier (``pact verifier`` from pact-python-cli), run as the parity tests need it.

Three suites compare accord's verdicts with the reference's, interaction by interaction: the
parity corpus, the verifier's seeded-fault cases and the real client pacts. They share this one
way of running it, so a change of flags or report format is made once.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

PACT_CLI = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "pact"


def reference_verdicts(
    source: str | Path, provider_url: str, report: Path, *, state_path: str = "/_pact/state"
) -> dict[str, bool]:
    """``{description: passed}`` for every interaction the reference verified.

    ``source`` is a pact file or a pact's URL (a broker's, so the broker round trip is covered
    too); the provider's state-change URL is ``provider_url + state_path``.
    """
    host, port = provider_url.removeprefix("http://").split(":")
    where = ["--url", source] if str(source).startswith("http") else ["--file", str(source)]
    done = subprocess.run(
        [
            str(PACT_CLI),
            "verifier",
            *where,
            "--hostname",
            host,
            "--port",
            port,
            "--state-change-url",
            provider_url + state_path,
            "--json",
            str(report),
            "--no-colour",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
        timeout=120,
        check=False,
    )
    assert report.exists(), f"the reference verifier wrote no report:\n{done.stdout}{done.stderr}"
    data = json.loads(report.read_text(encoding="utf-8"))
    return {item["description"]: item["result"] == "OK" for item in data["interactionResults"]}
