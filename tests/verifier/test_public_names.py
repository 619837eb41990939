"""The verifier's and broker client's public faces are deliberate: changing them is a decision."""

import accord.broker_client
import accord.verifier


def test_the_verifier_exports_exactly_its_public_names() -> None:
    assert sorted(accord.verifier.__all__) == [
        "BodyDiff",
        "InteractionResult",
        "Message",
        "MessageProducers",
        "Mismatch",
        "NoPactsFound",
        "PactFinished",
        "PactResult",
        "PactStarted",
        "ProgressListener",
        "ProviderResponse",
        "ProviderStates",
        "PublicationOutcome",
        "ReplayRequest",
        "VerificationFailed",
        "VerificationResult",
        "VerifierConfig",
        "VerifierConfigError",
        "message_producer",
        "provider_state",
        "run_verification",
        "verify",
    ]


def test_the_broker_client_exports_exactly_its_public_names() -> None:
    assert sorted(accord.broker_client.__all__) == [
        "BrokerAuth",
        "BrokerClient",
        "auth_from_env",
        "expand_href",
    ]


def test_every_verify_option_is_a_config_field_named_after_its_flag() -> None:
    from dataclasses import fields

    names = {f.name for f in fields(accord.verifier.VerifierConfig)}
    pact_verifier_flags = {
        "files", "dirs", "urls", "broker_url", "provider_name", "hostname", "port", "base_path",
        "headers", "state_change_url", "state_change_teardown", "state_change_as_query",
        "filter_consumer", "filter_description", "filter_state", "filter_no_state",
        "consumer_version_selectors", "consumer_version_tags", "enable_pending",
        "include_wip_pacts_since", "publish", "provider_version", "provider_branch",
        "provider_tags", "build_url", "user", "password", "token", "ignore_no_pacts_error",
        "webhook_callback_url", "request_timeout", "disable_ssl_verification",
        "exit_on_first_error", "retries",
    }  # fmt: skip
    assert pact_verifier_flags <= names
