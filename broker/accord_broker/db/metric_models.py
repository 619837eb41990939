"""The tables behind the ``/metrics`` counts (``db/metric_counts.py`` keeps them by trigger)
and the three seeks the counts cannot replace (first/last dates, distinct tag names)."""

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from accord_broker.db.models import Base, PactPublication, Tag, Verification

DELTAS = "metric_deltas"
RESULTS = "metric_results_per_pact_version"


class MetricDelta(Base):
    """One signed change of one named count; a count is the sum of its rows."""

    __tablename__ = DELTAS

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    delta: Mapped[int] = mapped_column(BigInteger, nullable=False)


class MetricResultsPerPactVersion(Base):
    """How many verification results each pact version has (only those with any): what the
    results distribution and the matrix count change by, read in one seek."""

    __tablename__ = RESULTS

    pact_version_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
    )
    results: Mapped[int] = mapped_column(BigInteger, nullable=False)


# Seeks for the figures that are not counts: first/last publication and result, distinct tags.
Index("ix_pact_publications_created_at", PactPublication.created_at)
Index("ix_verifications_created_at", Verification.created_at)
Index("ix_tags_name", Tag.name)
