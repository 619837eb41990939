"""The stored records that domain functions hand to the web adapters to render.

Most answers are small frozen read models next to the function that builds them; some HAL
resources are rendered field by field from the stored record itself (a pacticipant, a version,
a verification, a webhook). Those records are named here so that ``api/`` and ``ui/`` depend on
the domain only: they read a record's attributes and never query, change or add one. Loading
related rows lazily is allowed only inside the unit of work that returned the record.
"""

from accord_broker.db.models import (
    Branch,
    BranchVersion,
    Environment,
    Integration,
    Pacticipant,
    PactPublication,
    Tag,
    Verification,
    Version,
)
from accord_broker.db.webhook_models import TriggeredWebhook, Webhook

__all__ = [
    "Branch",
    "BranchVersion",
    "Environment",
    "Integration",
    "PactPublication",
    "Pacticipant",
    "Tag",
    "TriggeredWebhook",
    "Verification",
    "Version",
    "Webhook",
]
