"""The events a webhook can listen to, and the delivery statuses (names as the Pact Broker's)."""

CONTRACT_PUBLISHED = "contract_published"
"""Every pact publication, including re-publishing unchanged content."""
CONTRACT_CONTENT_CHANGED = "contract_content_changed"
"""A publication whose content differs from the previous pact of the same consumer (per tag, or
among untagged versions), a first publication, or a version's content being overwritten."""
CONTRACT_REQUIRING_VERIFICATION_PUBLISHED = "contract_requiring_verification_published"
"""A publication some provider version still has to verify (the provider's main-branch head,
deployed or released versions); one delivery per such provider version."""
PROVIDER_VERIFICATION_PUBLISHED = "provider_verification_published"
PROVIDER_VERIFICATION_SUCCEEDED = "provider_verification_succeeded"
PROVIDER_VERIFICATION_FAILED = "provider_verification_failed"
TEST = "test"
"""The event name of a webhook executed by hand (``POST /webhooks/{uuid}/execute``)."""

EVENT_NAMES = (
    CONTRACT_PUBLISHED,
    CONTRACT_CONTENT_CHANGED,
    PROVIDER_VERIFICATION_PUBLISHED,
    PROVIDER_VERIFICATION_SUCCEEDED,
    PROVIDER_VERIFICATION_FAILED,
    CONTRACT_REQUIRING_VERIFICATION_PUBLISHED,
)
DEFAULT_EVENT = CONTRACT_CONTENT_CHANGED
VERIFICATION_EVENTS = frozenset(
    {PROVIDER_VERIFICATION_PUBLISHED, PROVIDER_VERIFICATION_SUCCEEDED, PROVIDER_VERIFICATION_FAILED}
)

NOT_RUN = "not_run"
RETRYING = "retrying"
SUCCESS = "success"
FAILURE = "failure"
PENDING_STATUSES = (NOT_RUN, RETRYING)
ALL_STATUSES = (NOT_RUN, RETRYING, SUCCESS, FAILURE)

TRIGGER_RESOURCE_CREATION = "resource_creation"
TRIGGER_USER = "user"
