"""API tokens: created once, shown once, stored as a salted hash, checked per request, revocable.

A token reads ``accord_<key>_<secret>``: ``key`` finds the row through a unique index (so a
check costs one indexed lookup, not a scan of hashes), ``secret`` is 32 random bytes. The row
keeps ``sha256(salt + secret)`` with a random per-token salt, compared in constant time. A
database leak therefore gives no usable token.

Scopes mirror the basic-auth users: ``read`` (GET/HEAD/OPTIONS and the for-verification POST)
and ``write`` (everything).
"""

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord_broker.db.engine import Database
from accord_broker.db.token_models import ApiToken
from accord_broker.db.types import utc_now
from accord_broker.domain.unit_of_work import database_errors_named
from accord_broker.errors import BrokerInputError, BrokerNotFoundError

SCOPES = ("read", "write")
PREFIX = "accord_"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: ``secret_token`` is the only time the full token exists outside the client."""

    record: ApiToken
    secret_token: str


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + secret.encode()).hexdigest()


def create_token(session: Session, name: str, scope: str) -> IssuedToken:
    if scope not in SCOPES:
        message = f"scope must be one of {', '.join(SCOPES)}, not {scope!r}"
        raise BrokerInputError(message, errors={"scope": [message]})
    if not name.strip():
        raise BrokerInputError("a token needs a name", errors={"name": ["is missing or blank"]})
    key = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    record = ApiToken(
        key=key, name=name.strip(), scope=scope, salt=salt, secret_hash=_digest(salt, secret)
    )
    session.add(record)
    session.flush()
    return IssuedToken(record, f"{PREFIX}{key}_{secret}")


def scope_of(session: Session, presented: str) -> str | None:
    """The scope of a presented token, or ``None`` if it is malformed, unknown or revoked."""
    if not presented.startswith(PREFIX):
        return None
    key, separator, secret = presented[len(PREFIX) :].partition("_")
    if not separator or not key or not secret or len(key) > 32:
        return None
    record = session.execute(select(ApiToken).where(ApiToken.key == key)).scalar_one_or_none()
    if record is None or record.revoked_at is not None:
        return None
    if not hmac.compare_digest(record.secret_hash, _digest(record.salt, secret)):
        return None
    return record.scope


def list_tokens(session: Session) -> Sequence[ApiToken]:
    return session.execute(select(ApiToken).order_by(ApiToken.id)).scalars().all()


def revoke_token(session: Session, key: str) -> ApiToken:
    """Revoke the token whose key (the part after ``accord_``) is ``key``; idempotent."""
    record = session.execute(select(ApiToken).where(ApiToken.key == key)).scalar_one_or_none()
    if record is None:
        raise BrokerNotFoundError(
            f"No API token with key '{key}' found (list them with `accord broker token list`)"
        )
    if record.revoked_at is None:
        record.revoked_at = utc_now()
    return record


class TokenScopes:
    """``scope_of`` over a database, as the auth middleware calls it (one short read each)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def __call__(self, presented: str) -> str | None:
        # a database that is down answers 503 here too, not the middleware's 500
        with database_errors_named(), self.database.read_session() as session:
            return scope_of(session, presented)
