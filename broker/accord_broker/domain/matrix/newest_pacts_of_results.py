"""The pacts of each result's content that a page of matrix rows can show (issue #20).

One selector as the provider pages its newest results; each is a row with every current pact
of its content. A content unchanged across builds is published by every consumer version (the
hot content of a busy pair: thousands), so joining each result to all of its pacts read them
all for a page of a hundred rows. A result's rows rank by the later of its date and the pact's,
then by publication: the pacts published after the result rank by (date, id) descending, those
published until it are tied on the result's date and rank by id descending. So the newest
``limit`` pacts after the result together with the ``limit`` highest ids until it hold every
row of that result a page can show: two index range reads that stop (``db/matrix_indexes.py``),
the mirror of ``newest_results`` (which does the same for a pact's results).
"""

from typing import Any

from sqlalchemy import Select, func, select, true, union_all
from sqlalchemy.orm import aliased

from accord_broker.db.models import LatestPactPublication
from accord_broker.domain.matrix.newest_pacts import pact_columns
from accord_broker.domain.matrix.ties import limit_parameter

_P = LatestPactPublication


def _published_after(results: Any) -> Select[Any]:
    """A result's content's pacts published after it, newest (date, id) first."""
    pact = aliased(LatestPactPublication)
    return (
        select(pact.pact_publication_id)
        .where(
            pact.pact_version_id == results.c.v_pact_version_id,
            pact.created_at > results.c.verification_created_at,
        )
        .order_by(pact.created_at.desc(), pact.pact_publication_id.desc())
        .limit(limit_parameter("inner_limit"))
    )


def _published_until(results: Any) -> Select[Any]:
    """A result's content's pacts published until it, highest id first. The date test is
    wrapped in ``coalesce`` so that no planner reads the date range instead and sorts it."""
    pact = aliased(LatestPactPublication)
    published: Any = func.coalesce(pact.created_at, pact.created_at)
    return (
        select(pact.pact_publication_id)
        .where(
            pact.pact_version_id == results.c.v_pact_version_id,
            published <= results.c.verification_created_at,
        )
        .order_by(pact.pact_publication_id.desc())
        .limit(limit_parameter("inner_limit"))
    )


def pacts_of_newest_results(lateral: bool, results: Any) -> Any:
    """Each result of ``results`` (``v_pact_version_id``, ``provider_version_id``,
    ``verification_id``, ``verification_created_at``) with the pacts of its content a page can
    show, as matrix row ids (``pact_columns`` and the result's columns). PostgreSQL reads each
    range with ``LATERAL``; SQLite, which has none, looks the pacts up by the ids a correlated
    ``IN`` subquery yields per result."""
    parts = []
    for build in (_published_after, _published_until):
        columns = (
            *pact_columns(),
            results.c.provider_version_id,
            results.c.verification_id,
            results.c.verification_created_at,
        )
        if lateral:
            found = build(results).lateral("content_pacts")
            parts.append(
                select(*columns)
                .select_from(results)
                .join(found, true())
                .join(_P, _P.pact_publication_id == found.c.pact_publication_id)
            )
        else:
            ids = build(results).correlate(results)
            parts.append(
                select(*columns).select_from(results).join(_P, _P.pact_publication_id.in_(ids))
            )
    return union_all(*parts)
