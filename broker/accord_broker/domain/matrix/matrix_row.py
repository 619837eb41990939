"""One row of the matrix: a consumer version's pact with a provider, and (if any) one result.

Its own module so that both ways of finding rows (``rows``: the latest revision and result,
``every_row``: every revision and every result) build the same value.
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One consumer version's pact with one provider, and (if any) one provider version's result."""

    consumer_id: int
    consumer_name: str
    consumer_version_id: int
    consumer_version_number: str
    consumer_version_order: int
    provider_id: int
    provider_name: str
    provider_version_id: int | None
    provider_version_number: str | None
    provider_version_order: int | None
    pact_version_id: int
    pact_version_sha: str
    pact_revision: int
    pact_created_at: datetime
    verification_id: int | None
    verification_number: int | None
    success: bool | None
    verified_at: datetime | None

    def sort_key(self) -> tuple[object, ...]:
        """The Pact Broker's order: consumer, newest consumer version, provider, newest result."""
        return (
            self.consumer_name,
            -self.consumer_version_order,
            -self.pact_revision,
            self.provider_name,
            (0, 0) if self.provider_version_order is None else (1, -self.provider_version_order),
            (0, 0) if self.verification_id is None else (1, -self.verification_id),
        )
