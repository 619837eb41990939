"""Helpers for the for-verification tests: publish pacts, verify them, deploy and release versions.

Pacts and verification results go through the broker's HTTP API, as clients send them;
environments, deployments and releases are written through the models (their endpoints belong
to another part of the broker).
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from accord_broker.db.engine import Database
from accord_broker.db.models import (
    DeployedVersion,
    Environment,
    LatestPactPublication,
    Pacticipant,
    ReleasedVersion,
    Verification,
    Version,
)
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from accord.pact import content_sha
from tests.broker.conftest import RunningBroker, make_pact

PROVIDER = "Accounts"
FOR_VERIFICATION = f"/pacts/provider/{PROVIDER}/for-verification"


def publish(
    broker: RunningBroker,
    consumer: str,
    version: str,
    content: str | None = None,
    *,
    branch: str | None = None,
    tags: list[str] | None = None,
    provider: str = PROVIDER,
) -> str:
    """Publish a pact whose interaction is named ``content`` (same content → same sha)."""
    pact = make_pact(consumer, provider, content or f"{consumer} {version}")
    response = broker.publish(consumer, version, pact, branch=branch, tags=tags)
    assert response.status_code in (200, 201), response.text
    return content_sha(pact)


def for_verification(broker: RunningBroker, **body: Any) -> list[dict[str, Any]]:
    response = broker.post(FOR_VERIFICATION, body)
    assert response.status_code == 200, response.text
    pacts = response.json()["_embedded"]["pacts"]
    assert isinstance(pacts, list)
    return pacts


def sha_of(entry: dict[str, Any]) -> str:
    href = entry["_links"]["self"]["href"]
    return str(href.split("/pact-version/")[1].split("/")[0])


def shas(entries: list[dict[str, Any]]) -> list[str]:
    return [sha_of(e) for e in entries]


def descriptions(entries: list[dict[str, Any]]) -> dict[str, str]:
    return {sha_of(e): e["shortDescription"] for e in entries}


def provider_version(
    broker: RunningBroker, number: str, *, branch: str | None = None, tags: tuple[str, ...] = ()
) -> None:
    if branch is not None:
        response = broker.put(f"/pacticipants/{PROVIDER}/branches/{branch}/versions/{number}")
        assert response.status_code in (200, 201), response.text
    for tag in tags:
        response = broker.put(f"/pacticipants/{PROVIDER}/versions/{number}/tags/{tag}")
        assert response.status_code in (200, 201), response.text


def verify(
    broker: RunningBroker,
    consumer: str,
    sha: str,
    number: str,
    *,
    success: bool = True,
    branch: str | None = None,
    tags: tuple[str, ...] = (),
    href: str | None = None,
) -> None:
    """Publish a verification result of pact ``sha`` by provider version ``number``."""
    provider_version(broker, number, branch=branch, tags=tags)
    target = (
        href or f"{broker.url}/pacts/provider/{PROVIDER}/consumer/{consumer}/pact-version/{sha}"
    )
    result = {"providerApplicationVersion": number, "success": success}
    response = broker.post(target.removeprefix(broker.url) + "/verification-results", result)
    assert response.status_code == 201, response.text


def _at(database_url: str, work: Any) -> Any:
    database = Database(database_url)
    try:
        return database.write(work)
    finally:
        database.dispose()


def _version_id(session: Session, pacticipant: str, number: str) -> tuple[int, int]:
    row = session.execute(
        select(Version.id, Pacticipant.id)
        .join(Pacticipant, Pacticipant.id == Version.pacticipant_id)
        .where(Pacticipant.name == pacticipant, Version.number == number)
    ).one()
    return int(row[0]), int(row[1])


def environment(broker: RunningBroker, name: str, *, production: bool = False) -> None:
    def work(session: Session) -> None:
        session.add(Environment(name=name, display_name=name.title(), production=production))

    _at(broker.database_url, work)


def deploy(
    broker: RunningBroker,
    pacticipant: str,
    number: str,
    env: str,
    *,
    instance: str | None = None,
    undeployed: bool = False,
) -> None:
    def work(session: Session) -> None:
        version_id, pacticipant_id = _version_id(session, pacticipant, number)
        env_id = session.scalar(select(Environment.id).where(Environment.name == env))
        assert env_id is not None
        session.add(
            DeployedVersion(
                version_id=version_id,
                pacticipant_id=pacticipant_id,
                environment_id=env_id,
                application_instance=instance,
                target_for_index=instance or "",
                undeployed_at=datetime.now(UTC) if undeployed else None,
            )
        )

    _at(broker.database_url, work)


def release(
    broker: RunningBroker, pacticipant: str, number: str, env: str, *, ended: bool = False
) -> None:
    def work(session: Session) -> None:
        version_id, pacticipant_id = _version_id(session, pacticipant, number)
        env_id = session.scalar(select(Environment.id).where(Environment.name == env))
        assert env_id is not None
        session.add(
            ReleasedVersion(
                version_id=version_id,
                pacticipant_id=pacticipant_id,
                environment_id=env_id,
                support_ended_at=datetime.now(UTC) if ended else None,
            )
        )

    _at(broker.database_url, work)


def age_publications(broker: RunningBroker, consumer: str, days: int) -> None:
    """Pretend ``consumer``'s pacts were published ``days`` ago (for WIP's since date)."""

    def work(session: Session) -> None:
        consumer_id = session.scalar(select(Pacticipant.id).where(Pacticipant.name == consumer))
        session.execute(
            update(LatestPactPublication)
            .where(LatestPactPublication.consumer_id == consumer_id)
            .values(created_at=datetime.now(UTC) - timedelta(days=days))
        )

    _at(broker.database_url, work)


def stored_verifications(broker: RunningBroker) -> list[tuple[bool, bool, bool | None]]:
    """(success, wip, pact_pending) of every stored verification, oldest first."""

    def work(session: Session) -> list[tuple[bool, bool, bool | None]]:
        rows = session.execute(
            select(Verification.success, Verification.wip, Verification.pact_pending).order_by(
                Verification.id
            )
        ).all()
        return [(r[0], r[1], r[2]) for r in rows]

    result: list[tuple[bool, bool, bool | None]] = _at(broker.database_url, work)
    return result
