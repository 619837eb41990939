"""A matrix asked about one pacticipant alone reads its newest pacts and results in order.

``/matrix?q[][pacticipant]=P&latestby=…`` pages the pacts P published and the results P
recorded, newest first. Through ``(consumer_id)`` and ``(provider_id, consumer_id,
verification_id)`` each was every pact or result of P, read and sorted for a page (SQLite's
steps grew tenfold from 10 % to 100 % of the scale benchmark's history); through
``(consumer_id, created_at)`` and ``(provider_id, created_at)`` each is one range read newest
first, stopped after the page. Each of P's results is then a row with the pacts of its
content: only those a page can show, the newest after the result and the highest ids until it,
read from ``(pact_version_id, created_at, pact_publication_id)`` and ``(pact_version_id,
pact_publication_id)`` rather than every pact of a content published by thousands of consumer
versions (issue #20).

Revision ID: 0018_matrix_one_selector_indexes
Revises: 0017_verifications_pair_index
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018_matrix_one_selector_indexes"
down_revision: str | None = "0017_verifications_pair_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    (
        "ix_latest_pact_publications_consumer_created",
        "latest_pact_publications",
        ["consumer_id", "created_at"],
    ),
    (
        "ix_latest_verifications_provider_created",
        "latest_verifications",
        ["provider_id", "created_at"],
    ),
    (
        "ix_latest_pact_publications_content_created",
        "latest_pact_publications",
        ["pact_version_id", "created_at", "pact_publication_id"],
    ),
    (
        "ix_latest_pact_publications_content_publication",
        "latest_pact_publications",
        ["pact_version_id", "pact_publication_id"],
    ),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
