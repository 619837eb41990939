"""Recording a verification result as the route asks for it: the write and its webhooks in one call.

The result and the ``provider_verification_*`` events it queues share one transaction, so the
domain owns both and the route only parses, calls this, and renders the view it returns.
"""

from accord_broker.domain.pacts.pacts import find_pact_version
from accord_broker.domain.unit_of_work import Session
from accord_broker.domain.verifications import verifications
from accord_broker.domain.verifications import views as verification_views
from accord_broker.domain.verifications.verifications import VerificationRequest
from accord_broker.domain.verifications.views import VerificationView
from accord_broker.domain.webhooks import emit_verification_published


def record_verification_announced(
    session: Session,
    *,
    provider: str,
    consumer: str,
    sha: str,
    request: VerificationRequest,
    wip: bool,
    pact_pending: bool | None,
    base_url: str,
    metadata: str | None,
) -> VerificationView:
    """Store a provider's result for the pact version ``sha`` of the pair (404 when there is
    none) and queue the webhooks it fires; the stored result's view."""
    pact_version = find_pact_version(session, provider, consumer, sha)
    result = verifications.record_verification(
        session, pact_version, provider, request, wip=wip, pact_pending=pact_pending
    )
    emit_verification_published(session, result, base_url=base_url, metadata=metadata)
    return verification_views.view_of(session, result)
