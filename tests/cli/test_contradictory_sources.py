"""Issue #21: contradictory verifier options are usage errors (exit 2) before any network call."""

from pathlib import Path

from cli_support import Accord, make_pact, recording_broker, write_pact

from accord.testing import serve_app


def test_a_base_url_and_a_port_together_are_refused(tmp_path: Path) -> None:
    pact = write_pact(tmp_path, make_pact())

    result = Accord("")(
        "verify", "-f", str(pact), "--provider-base-url", "http://127.0.0.1:1", "--port", "2",
        env={"PACT_BROKER_BASE_URL": None},
    )  # fmt: skip

    assert result.exit_code == 2, result.output
    assert "--provider-base-url" in result.stderr
    assert "--hostname/--port" in result.stderr


def test_a_webhook_pact_and_files_together_are_refused_before_the_broker_is_asked(
    tmp_path: Path,
) -> None:
    pact = write_pact(tmp_path, make_pact())
    app, seen = recording_broker({})
    with serve_app(app) as broker:
        result = Accord(broker.url)(
            "verify", "-f", str(pact), "--port", "1", "--broker-url", broker.url,
            "--webhook-callback-url", f"{broker.url}/pacts/provider/P/consumer/C/version/1",
        )  # fmt: skip

    assert result.exit_code == 2, result.output
    assert "--webhook-callback-url" in result.stderr
    assert seen == []
