"""Replaying HTTP interactions against a real provider and judging its answers."""

import io
from typing import Any

import pytest
from verifier_providers import get_account_interaction, pact_document

from accord.errors import VerificationFailed
from accord.verifier import ReplayRequest, verify


def _verify(pact_file: Any, url: str, **options: Any) -> Any:
    options.setdefault("output", None)
    options.setdefault("raise_on_failure", False)
    return verify(files=[pact_file], provider_base_url=url, **options)


def test_a_provider_that_honours_the_pact_passes(write_pact, serve_accounts) -> None:
    server, _ = serve_accounts()
    pact = write_pact(pact_document([get_account_interaction()]))
    result = _verify(pact, server.url, state_change_url=f"{server.url}/_pact/state")
    assert result.success
    assert result.exit_code == 0
    [interaction] = result.interactions
    assert interaction.outcome == "passed"
    assert interaction.test_id == "web::a request for account 42"
    assert interaction.states == ("an account exists",)


@pytest.mark.parametrize(
    ("fault", "attribute", "path_part"),
    [
        ("wrong-status", "status", ""),
        ("missing-field", "body", "owner"),
        ("wrong-type", "body", "balance"),
    ],
)
def test_a_seeded_fault_fails_with_a_located_mismatch(
    write_pact, serve_accounts, fault: str, attribute: str, path_part: str
) -> None:
    server, _ = serve_accounts(fault)
    pact = write_pact(pact_document([get_account_interaction()]))
    result = _verify(pact, server.url, state_change_url=f"{server.url}/_pact/state")
    assert not result.success
    assert result.exit_code == 1
    [interaction] = result.failures
    assert any(m.attribute == attribute and path_part in m.path for m in interaction.mismatches), (
        interaction.mismatches
    )


def test_verify_raises_verification_failed_carrying_the_results(write_pact, serve_accounts) -> None:
    server, _ = serve_accounts("wrong-type")
    pact = write_pact(pact_document([get_account_interaction()]))
    with pytest.raises(VerificationFailed) as caught:
        verify(
            files=[pact],
            provider_base_url=server.url,
            state_change_url=f"{server.url}/_pact/state",
            output=None,
        )
    assert caught.value.exit_code == 1
    assert caught.value.result.failures[0].description == "a request for account 42"


def test_the_console_report_shows_path_expected_actual_and_a_body_diff(
    write_pact, serve_accounts
) -> None:
    server, _ = serve_accounts("wrong-type")
    pact = write_pact(pact_document([get_account_interaction()]))
    out = io.StringIO()
    _verify(pact, server.url, state_change_url=f"{server.url}/_pact/state", output=out)
    text = out.getvalue()
    assert "Verifying a pact between web and accounts" in text
    assert "a request for account 42 (given an account exists) ... FAILED" in text
    assert "balance" in text
    assert "--- expected body" in text and "+++ actual body" in text
    assert '+  "balance": "100"' in text
    assert "1 interaction, 0 passed, 1 failed" in text


def test_query_and_header_mismatches_are_reported(write_pact, serve_accounts) -> None:
    server, app = serve_accounts("header")
    interaction = {
        "description": "accounts of alice",
        "providerStates": [{"name": "an account exists", "params": {"id": 7, "owner": "alice"}}],
        "request": {"method": "GET", "path": "/accounts", "query": {"owner": ["alice"]}},
        "response": {
            "status": 200,
            "headers": {"X-Total": "1"},
            "body": [{"id": 7, "owner": "alice", "balance": 100}],
        },
    }
    pact = write_pact(pact_document([interaction]))
    result = _verify(pact, server.url, state_change_url=f"{server.url}/_pact/state")
    [failed] = result.failures
    assert [m.attribute for m in failed.mismatches] == ["header"]
    assert "X-Total" in failed.mismatches[0].path
    sent = [r for r in app.state.requests if r["path"] == "/accounts"]
    assert sent[0]["query"] == "owner=alice"


def test_custom_headers_replace_the_pacts_and_a_request_filter_can_rewrite(
    write_pact, serve_accounts
) -> None:
    server, app = serve_accounts()
    interaction = {
        "description": "echo",
        "request": {"method": "GET", "path": "/echo-headers", "headers": {"Authorization": "old"}},
        "response": {"status": 200},
    }
    pact = write_pact(pact_document([interaction]))
    seen: list[ReplayRequest] = []

    def sign(request: ReplayRequest) -> ReplayRequest:
        request.headers["X-Signature"] = f"signed:{request.method}:{request.path}"
        seen.append(request)
        return request

    result = _verify(pact, server.url, headers=["Authorization=Bearer t0ken"], request_filter=sign)
    assert result.success
    sent = app.state.requests[-1]["headers"]
    assert sent["authorization"] == "Bearer t0ken"
    assert sent["x-signature"] == "signed:GET:/echo-headers"
    assert "accept" not in sent  # no default Accept that could sway content negotiation
    assert len(seen) == 1


def test_binary_bodies_travel_intact(write_pact, serve_accounts) -> None:
    import base64

    server, app = serve_accounts()
    payload = bytes(range(256))
    interaction = {
        "type": "Synchronous/HTTP",
        "description": "upload bytes",
        "request": {
            "method": "POST",
            "path": "/files",
            "headers": {"Content-Type": ["application/octet-stream"]},
            "body": {
                "content": base64.b64encode(payload).decode(),
                "contentType": "application/octet-stream",
                "encoded": "base64",
            },
        },
        "response": {
            "status": 200,
            "headers": {"Content-Type": ["application/octet-stream"]},
            "body": {
                "content": base64.b64encode(payload[::-1]).decode(),
                "contentType": "application/octet-stream",
                "encoded": "base64",
            },
        },
    }
    pact = write_pact(pact_document([interaction], spec="4.0"))
    result = _verify(pact, server.url)
    assert result.success, result.failures
    assert app.state.requests[-1]["body"] == payload


def test_redirects_are_not_followed_unless_asked(write_pact, serve_accounts) -> None:
    server, _ = serve_accounts()
    interaction = {
        "description": "the old address",
        "request": {"method": "GET", "path": "/old"},
        "response": {"status": 302},
    }
    pact = write_pact(pact_document([interaction]))
    assert _verify(pact, server.url).success
    assert not _verify(pact, server.url, follow_redirects=True).success


def test_a_base_path_and_hostname_port_address_the_provider(write_pact, serve_accounts) -> None:
    server, _ = serve_accounts()
    interaction = {
        "description": "a version",
        "request": {"method": "GET", "path": "/version"},
        "response": {"status": 200, "body": "1.2.3", "headers": {"Content-Type": "text/plain"}},
    }
    pact = write_pact(pact_document([interaction]))
    result = verify(
        files=[pact], hostname=server.host, port=server.port, output=None, raise_on_failure=False
    )
    assert result.success
    nested = verify(
        files=[pact],
        hostname=server.host,
        port=server.port,
        base_path="/nowhere",
        output=None,
        raise_on_failure=False,
    )
    assert nested.failures[0].mismatches[0].attribute == "status"


def test_an_unreachable_provider_fails_with_an_error_not_a_crash(write_pact) -> None:
    from accord.testing import free_port

    pact = write_pact(pact_document([get_account_interaction()]))
    result = _verify(pact, f"http://127.0.0.1:{free_port()}", request_timeout=2)
    [failed] = result.failures
    assert failed.error is not None and "failed" in failed.error


def test_filters_select_interactions_by_description_state_and_consumer(
    write_pact, serve_accounts
) -> None:
    server, _ = serve_accounts()
    stateless = {
        "description": "a version",
        "request": {"method": "GET", "path": "/version"},
        "response": {"status": 200},
    }
    pact = write_pact(pact_document([get_account_interaction(), stateless]))
    url = f"{server.url}/_pact/state"
    by_description = _verify(pact, server.url, state_change_url=url, filter_description="version")
    assert [r.description for r in by_description.interactions] == ["a version"]
    by_state = _verify(pact, server.url, state_change_url=url, filter_state="account")
    assert [r.description for r in by_state.interactions] == ["a request for account 42"]
    no_state = _verify(pact, server.url, state_change_url=url, filter_no_state=True)
    assert [r.description for r in no_state.interactions] == ["a version"]
    other = _verify(
        pact,
        server.url,
        state_change_url=url,
        filter_consumer=["mobile"],
        ignore_no_pacts_error=True,
    )
    assert other.interactions == []
