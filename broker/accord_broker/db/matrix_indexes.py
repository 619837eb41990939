"""Indexes for the matrix's newest results per pact version (issue #20).

A page of matrix rows joins each of its pacts to the results of the pact's content; the hot
content of a busy pair carries a result from every provider version (a thousand at the
benchmark's full size). Within one publication the rows rank by the later of result and
publication, so only the newest ``limit`` results by ``(created_at, verification_id)`` and the
newest ``limit`` by ``verification_id`` can appear on a page: these two indexes let the matrix
read exactly those, in order, and stop (``domain/matrix/rows.py``).

A matrix asked about one pacticipant alone pages the pacts it published and the results it
recorded, newest first: ``(consumer_id, created_at)`` and ``(provider_id, created_at)`` read
each page in order and stop, where ``(consumer_id)`` and ``(provider_id, consumer_id, …)``
read and sorted the pacticipant's whole history. Each such result is a row with the pacts of
its content a page can show: the newest after the result and the highest ids until it, two
ranges of ``(pact_version_id, created_at, pact_publication_id)`` and ``(pact_version_id,
pact_publication_id)`` (``domain/matrix/newest_pacts_of_results.py``, migration 0018).
"""

from sqlalchemy import Index

from accord_broker.db.models import LatestPactPublication, LatestVerification

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
Index(
    "ix_latest_pact_publications_consumer_created",
    LatestPactPublication.consumer_id,
    LatestPactPublication.created_at,
)
Index(
    "ix_latest_verifications_provider_created",
    LatestVerification.provider_id,
    LatestVerification.created_at,
)
Index(
    "ix_latest_pact_publications_content_created",
    LatestPactPublication.pact_version_id,
    LatestPactPublication.created_at,
    LatestPactPublication.pact_publication_id,
)
Index(
    "ix_latest_pact_publications_content_publication",
    LatestPactPublication.pact_version_id,
    LatestPactPublication.pact_publication_id,
)
