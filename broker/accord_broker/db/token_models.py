"""API tokens (bearer authentication), kept apart from the core tables in ``models.py``.

A token is shown once, when created, as ``accord_<key>_<secret>``. The broker stores the
``key`` (a public, indexed lookup id), a random per-token ``salt`` and
``sha256(salt + secret)``; never the secret. ``scope`` is ``read`` or ``write``, with the same
meaning as the read-only and read-write basic-auth users. Revoking sets ``revoked_at``.
"""

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from accord_broker.db.models import NAME, Base
from accord_broker.db.types import UtcDateTime, utc_now

_ID = BigInteger().with_variant(Integer(), "sqlite")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(_ID, primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(NAME))
    scope: Mapped[str] = mapped_column(String(16))
    salt: Mapped[str] = mapped_column(String(64))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
