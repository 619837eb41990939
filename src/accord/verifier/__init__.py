"""The provider verifier: replay pacts against a provider, match, report, publish.

from accord.verifier import verify, provider_state

@provider_state("an account with balance")
def account(params):
    return {"accountId": create_account(params["balance"])}

verify(files=["pacts/web-accounts.json"], provider_base_url="http://127.0.0.1:8000")
"""

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
