"""The provider verifier: replay pacts against a provider, match, report, publish.

from accord.verifier import verify, provider_state

@provider_state("an account with balance")
def account(params):
    return {"accountId": create_account(params["balance"])}

verify(files=["pacts/web-accounts.json"], provider_base_url="http://127.0.0.1:8000")
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.errors import NoPactsFound, VerificationFailed, VerifierConfigError
    from accord.verifier.api import run_verification, verify
    from accord.verifier.config import VerifierConfig
    from accord.verifier.messages import Message, MessageProducers, message_producer
    from accord.verifier.progress import PactFinished, PactStarted, ProgressListener
    from accord.verifier.results import (
        BodyDiff,
        InteractionResult,
        Mismatch,
        PactResult,
        PublicationOutcome,
        VerificationResult,
    )
    from accord.verifier.states import ProviderStates, provider_state
    from accord.verifier.transport import ProviderResponse, ReplayRequest

# Names are imported on first use, so that importing a submodule (the pytest plugin, which
# pytest loads in every session) does not pull in requests and the matching engine.
_HOMES = {
    "NoPactsFound": "accord.errors",
    "VerificationFailed": "accord.errors",
    "VerifierConfigError": "accord.errors",
    "run_verification": "accord.verifier.api",
    "verify": "accord.verifier.api",
    "VerifierConfig": "accord.verifier.config",
    "Message": "accord.verifier.messages",
    "MessageProducers": "accord.verifier.messages",
    "message_producer": "accord.verifier.messages",
    "PactFinished": "accord.verifier.progress",
    "PactStarted": "accord.verifier.progress",
    "ProgressListener": "accord.verifier.progress",
    "BodyDiff": "accord.verifier.results",
    "InteractionResult": "accord.verifier.results",
    "Mismatch": "accord.verifier.results",
    "PactResult": "accord.verifier.results",
    "PublicationOutcome": "accord.verifier.results",
    "VerificationResult": "accord.verifier.results",
    "ProviderStates": "accord.verifier.states",
    "provider_state": "accord.verifier.states",
    "ProviderResponse": "accord.verifier.transport",
    "ReplayRequest": "accord.verifier.transport",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'accord.verifier' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


__all__ = [
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
