"""Published verification results carry each mismatch's expected and actual values and the body
diff, so the broker's verification page shows what the console printed."""

import json

from accord.verifier.publishing import results_body
from accord.verifier.results import BodyDiff, InteractionResult, Mismatch, PactResult


def test_published_results_carry_values_and_the_body_diff() -> None:
    failed = InteractionResult(
        consumer="Web",
        provider="Accounts",
        description="a request for account 2",
        kind="http",
        mismatches=(
            Mismatch("body", "$.name", "Bob", "Ada", "Expected 'Bob' but received 'Ada'"),
            Mismatch("body", "$.logo", b"\x89PNG", b"GIF8", "bytes differ"),
        ),
        body_diff=BodyDiff('{"name": "Bob"}', '{"name": "Ada"}'),
    )
    pact = PactResult("Web", "Accounts", "pact.json", (failed,))

    body = results_body(pact, provider_version="2.1.0", build_url=None)

    (entry,) = body["testResults"]
    name, logo = entry["mismatches"]
    assert (name["expected"], name["actual"]) == ("Bob", "Ada")
    assert logo["expected"].startswith("<4 bytes: 89 50 4e 47")
    assert entry["diff"].splitlines()[-2:] == ['-{"name": "Bob"}', '+{"name": "Ada"}']
    json.dumps(body)  # everything in it is JSON
