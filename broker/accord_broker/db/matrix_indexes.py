"""Indexes for the matrix's newest results per pact version (issue #20).

A page of matrix rows joins each of its pacts to the results of the pact's content; the hot
content of a busy pair carries a result from every provider version (a thousand at the
benchmark's full size). Within one publication the rows rank by the later of result and
publication, so only the newest ``limit`` results by ``(created_at, verification_id)`` and the
newest ``limit`` by ``verification_id`` can appear on a page: these two indexes let the matrix
read exactly those, in order, and stop (``domain/matrix/rows.py``).
"""

from sqlalchemy import Index

from accord_broker.db.models import LatestVerification

Index(
    "ix_latest_verifications_pact_version_created",
    LatestVerification.pact_version_id,
    LatestVerification.created_at,
    LatestVerification.verification_id,
)
Index(
    "ix_latest_verifications_pact_version_verification",
    LatestVerification.pact_version_id,
    LatestVerification.verification_id,
)
