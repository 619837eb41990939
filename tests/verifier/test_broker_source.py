"""Pacts from a broker: for-verification, pending/WIP, auth, retries, publishing results."""

from typing import Any

import pytest
from recording_broker import recording_broker
from verifier_providers import pact_document

from accord.broker_client import BrokerAuth, BrokerClient, expand_href
from accord.errors import BrokerError
from accord.testing import serve_app
from accord.verifier import verify


def _pact_with_ids(consumer: str, *, fail: bool = False) -> dict[str, Any]:
    return pact_document(
        [
            {
                "_id": f"{consumer}-1",
                "description": "a version",
                "request": {"method": "GET", "path": "/version"},
                "response": {"status": 200},
            },
            {
                "_id": f"{consumer}-2",
                "description": "an account",
                "request": {"method": "GET", "path": "/accounts/1"},
                "response": {"status": 404 if not fail else 200},
            },
        ],
        consumer=consumer,
    )


def _call_paths(app: Any, method: str) -> list[str]:
    return [c["path"] for c in app.state.calls if c["method"] == method]


def test_for_verification_sends_selectors_pending_wip_and_branch(serve_accounts) -> None:
    provider, _ = serve_accounts()
    broker_app = recording_broker({"web": _pact_with_ids("web")})
    with serve_app(broker_app) as broker:
        result = verify(
            broker_url=broker.url,
            provider_name="accounts",
            provider_base_url=provider.url,
            consumer_version_selectors=['{"mainBranch": true}', {"deployedOrReleased": True}],
            consumer_version_tags=["prod"],
            enable_pending=True,
            include_wip_pacts_since="2020-01-01",
            provider_branch="main",
            provider_tags=["blue"],
            output=None,
        )
    assert result.success
    [post] = [c for c in broker_app.state.calls if c["method"] == "POST"]
    assert post["body"] == {
        "consumerVersionSelectors": [
            {"mainBranch": True},
            {"deployedOrReleased": True},
            {"tag": "prod", "latest": True},
        ],
        "includePendingStatus": True,
        "includeWipPactsSince": "2020-01-01",
        "providerVersionBranch": "main",
        "providerVersionTags": ["blue"],
    }
    assert result.pacts[0].notices[0]["text"] == "verifying web"


def test_failures_in_pending_and_wip_pacts_do_not_fail_the_run(serve_accounts) -> None:
    provider, _ = serve_accounts()
    broker_app = recording_broker(
        {"web": _pact_with_ids("web", fail=True), "mobile": _pact_with_ids("mobile", fail=True)},
        pending={"web"},
        wip={"mobile"},
    )
    with serve_app(broker_app) as broker:
        result = verify(
            broker_url=broker.url,
            provider_name="accounts",
            provider_base_url=provider.url,
            enable_pending=True,
            output=None,
        )
    assert result.success and result.exit_code == 0
    assert [p.pending for p in result.pacts] == [True, True]
    assert result.pacts[1].wip
    assert len(result.pending_failures) == 2


def test_results_are_published_with_interaction_ids_branch_tags_and_build_url(
    serve_accounts,
) -> None:
    provider, _ = serve_accounts()
    broker_app = recording_broker({"web": _pact_with_ids("web", fail=True)})
    with serve_app(broker_app) as broker:
        result = verify(
            broker_url=broker.url,
            provider_name="accounts",
            provider_base_url=provider.url,
            publish=True,
            provider_version="2.0.1",
            provider_branch="feat/x",
            provider_tags=["blue", "green"],
            build_url="http://ci/7",
            output=None,
            raise_on_failure=False,
        )
    assert result.publications[0].published
    body = broker_app.state.published["web"]
    assert body["providerApplicationVersion"] == "2.0.1"
    assert body["success"] is False
    assert body["buildUrl"] == "http://ci/7"
    assert body["verifiedBy"]["implementation"] == "accord"
    assert body["testResults"][0] == {
        "interactionId": "web-1",
        "interactionDescription": "a version",
        "success": True,
    }
    failed = body["testResults"][1]
    assert failed["interactionId"] == "web-2" and failed["success"] is False
    assert failed["mismatches"][0]["attribute"] == "status"
    puts = _call_paths(broker_app, "PUT")
    assert puts == [
        "/pacticipants/accounts/branches/feat%2Fx/versions/2.0.1",
        "/pacticipants/accounts/versions/2.0.1/tags/blue",
        "/pacticipants/accounts/versions/2.0.1/tags/green",
    ]


def test_the_legacy_listing_is_used_when_the_broker_has_no_for_verification(
    serve_accounts,
) -> None:
    provider, _ = serve_accounts()
    broker_app = recording_broker({"web": _pact_with_ids("web")}, faults={"legacy"})
    with serve_app(broker_app) as broker:
        result = verify(
            broker_url=broker.url,
            provider_name="accounts",
            provider_base_url=provider.url,
            output=None,
        )
    assert [p.consumer for p in result.pacts] == ["web"]
    assert "/pacts/provider/accounts/latest" in _call_paths(broker_app, "GET")


def test_basic_and_bearer_credentials_are_sent_on_every_request(serve_accounts) -> None:
    provider, _ = serve_accounts()
    auth = BrokerAuth(token="s3cret")
    broker_app = recording_broker({"web": _pact_with_ids("web")}, expected_auth=auth.header())
    with serve_app(broker_app) as broker:
        verify(
            broker_url=broker.url,
            provider_name="accounts",
            provider_base_url=provider.url,
            token="s3cret",
            output=None,
        )
        assert {c["authorization"] for c in broker_app.state.calls} == {"Bearer s3cret"}
        with pytest.raises(BrokerError) as caught:
            verify(
                broker_url=broker.url,
                provider_name="accounts",
                provider_base_url=provider.url,
                user="me",
                password="wrong",
                token="",
                output=None,
            )
    assert caught.value.status == 401
    assert "bad credentials" in str(caught.value)
    assert broker.url in str(caught.value)


def test_a_5xx_is_retried_with_back_off_then_succeeds() -> None:
    broker_app = recording_broker({"web": _pact_with_ids("web")}, faults={"503-once"})
    sleeps: list[float] = []
    with serve_app(broker_app) as broker, BrokerClient(broker.url, sleep=sleeps.append) as client:
        entries = client.for_verification("accounts")
    assert len(entries) == 1
    assert sleeps == [0.5]
    assert _call_paths(broker_app, "POST").count("/pacts/provider/accounts/for-verification") == 2


def test_retries_are_bounded_and_the_error_names_url_status_and_text() -> None:
    broker_app = recording_broker({}, faults={"503-once"})
    with (
        serve_app(broker_app) as broker,
        BrokerClient(broker.url, retries=0, sleep=lambda s: None) as client,
        pytest.raises(BrokerError) as caught,
    ):
        client.for_verification("accounts")
    assert caught.value.status == 503
    assert "for-verification" in caught.value.url
    assert "try again" in str(caught.value)


def test_template_values_are_percent_encoded_including_slashes() -> None:
    href = "/pacticipants/{name}/branches/{branch}"
    assert expand_href(href, {"name": "Odd/API", "branch": "feat/p q"}) == (
        "/pacticipants/Odd%2FAPI/branches/feat%2Fp%20q"
    )


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.broker_client import auth_from_env

    monkeypatch.setenv("PACT_BROKER_USERNAME", "u")
    monkeypatch.setenv("PACT_BROKER_PASSWORD", "p")
    assert auth_from_env().header() == "Basic dTpw"
    monkeypatch.setenv("PACT_BROKER_TOKEN", "t")
    assert auth_from_env().header() == "Bearer t"


def test_a_pact_url_with_broker_links_publishes_to_its_broker(serve_accounts) -> None:
    provider, _ = serve_accounts()
    broker_app = recording_broker({"web": _pact_with_ids("web")})
    with serve_app(broker_app) as broker:
        result = verify(
            urls=[f"{broker.url}/pacts/x/web"],
            provider_base_url=provider.url,
            publish=True,
            provider_version="1",
            user="u",
            password="p",
            output=None,
        )
    assert result.success
    assert "web" in broker_app.state.published
    assert broker_app.state.calls[0]["authorization"] == "Basic dTpw"


def test_a_webhook_callback_verifies_only_the_named_pact(serve_accounts) -> None:
    provider, _ = serve_accounts()
    broker_app = recording_broker(
        {"web": _pact_with_ids("web"), "mobile": _pact_with_ids("mobile")}
    )
    with serve_app(broker_app) as broker:
        result = verify(
            broker_url=broker.url,
            webhook_callback_url=f"{broker.url}/pacts/x/mobile",
            provider_base_url=provider.url,
            publish=True,
            provider_version="9",
            output=None,
        )
    assert [p.consumer for p in result.pacts] == ["mobile"]
    assert list(broker_app.state.published) == ["mobile"]
    assert "POST" not in {
        c["method"] for c in broker_app.state.calls if "for-verification" in c["path"]
    }
