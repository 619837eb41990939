"""A tag kept as one selector answers exactly what one selector per tagged version answers.

``q[][tag]=dev`` without ``latest`` means every version with the tag. A tag of more than
``whole_tag.SMALL_TAG`` versions stays one selector (issue #20): its rows are walked newest
first and each row's version tested against ``tags``, and the reasons name a row's version as
they would through one selector per version. Here a short history is asked every question
three times: as it is (its tags are small: one selector per version), with the tags of more
than three versions kept whole (``dev`` whole, ``prod`` per version), and with every tag kept
whole. The rows, their order, the verdict and the reasons must not change.
"""

from collections.abc import Callable, Iterator

import pytest
from accord_broker.db.engine import Database
from accord_broker.domain import matrix
from accord_broker.domain.matrix import whole_tag
from accord_broker.domain.matrix.query import UnresolvedSelector
from accord_broker.domain.matrix.resolve import SPECIFIED, ResolvedSelector, resolve_selectors
from accord_broker.ui.matrix_page import MatrixFilters, load_matrix_page

from tests.broker.conftest import RunningBroker
from tests.broker.release_history import (
    create_environment,
    deploy,
    ensure_version,
    publish,
    seg,
    verify,
)

WEB_DEV = ("1", "2", "3", "4", "5", "6")
WEB_PROD = ("3", "6", "7")
"""Web 3 and 6 carry both tags; Web 7 only ``prod``."""
ACCOUNTS_DEV = ("a1", "a2", "a3", "a4", "a5")
ACCOUNTS_PROD = ("a2", "a5", "a6")
"""a6 carries only ``prod`` and verifies nothing."""


def _tag(broker: RunningBroker, pacticipant: str, version: str, tag: str) -> None:
    response = broker.put(f"/pacticipants/{pacticipant}/versions/{seg(version)}/tags/{tag}", {})
    assert response.status_code in (200, 201), response.text


def _history(broker: RunningBroker) -> None:
    """Web publishes 1-8 (two contents, alternately), Mobile m1-m3, all with Accounts; Accounts
    verifies most of Web's (a3 fails Web 3, Web 8 is never verified) and Mobile's. Accounts a5
    and Web 2 are in production."""
    create_environment(broker, "production", production=True)
    for n in range(1, 9):
        number = str(n)
        publish(broker, "Web", number, "Accounts", f"call {n % 2}", branch="main")
        for tag in ("dev", "prod"):
            if number in (WEB_DEV if tag == "dev" else WEB_PROD):
                _tag(broker, "Web", number, tag)
    for n in range(1, 4):
        publish(broker, "Mobile", f"m{n}", "Accounts", f"mobile {n}", tags=["dev"])
    verifications = [
        ("a1", "1"),
        ("a2", "2"),
        ("a2", "1"),
        ("a3", "3"),
        ("a4", "4"),
        ("a4", "7"),
        ("a5", "5"),
        ("a5", "6"),
        ("a1", "m1"),
        ("a5", "m3"),
    ]
    for provider_version, consumer_version in verifications:
        consumer = "Mobile" if consumer_version.startswith("m") else "Web"
        failed = (provider_version, consumer_version) == ("a3", "3")
        verify(
            broker,
            "Accounts",
            provider_version,
            consumer,
            consumer_version,
            success=not failed,
            branch="main",
        )
    ensure_version(broker, "Accounts", "a6")
    for version in sorted(set(ACCOUNTS_DEV) | set(ACCOUNTS_PROD)):
        for tag in ("dev", "prod"):
            if version in (ACCOUNTS_DEV if tag == "dev" else ACCOUNTS_PROD):
                _tag(broker, "Accounts", version, tag)
    deploy(broker, "Accounts", "a5", "production")
    deploy(broker, "Web", "2", "production")


def _q(*selectors: str) -> str:
    """``Name:tag`` (or ``Name=version``, or a bare name) as ``q[]`` selectors."""
    parts = []
    for selector in selectors:
        if ":" in selector:
            name, tag = selector.split(":")
            parts.append(f"q[][pacticipant]={name}&q[][tag]={tag}")
        elif "=" in selector:
            name, version = selector.split("=")
            parts.append(f"q[][pacticipant]={name}&q[][version]={version}")
        else:
            parts.append(f"q[][pacticipant]={selector}")
    return "&".join(parts)


DEV_DEV = _q("Web:dev", "Accounts:dev")
MATRIX_QUESTIONS = {
    "dev and dev, every row": f"{DEV_DEV}&limit=100",
    "dev and dev, a small page": f"{DEV_DEV}&limit=3",
    "dev and dev, cvpv": f"{DEV_DEV}&latestby=cvpv&limit=100",
    "dev and dev, cvp": f"{DEV_DEV}&latestby=cvp&limit=2",
    "dev and dev, cp": f"{DEV_DEV}&latestby=cp",
    "dev and dev, failed only": f"{DEV_DEV}&success[]=false",
    "consumer dev, provider prod": f"{_q('Web:dev', 'Accounts:prod')}&limit=100",
    "consumer dev, provider prod, cvpv": f"{_q('Web:dev', 'Accounts:prod')}&latestby=cvpv",
    "consumer prod, provider dev": f"{_q('Web:prod', 'Accounts:dev')}&latestby=cvp",
    "two consumers' tags": f"{_q('Web:dev', 'Mobile:dev', 'Accounts:dev')}&latestby=cvpv",
    "dev to production": f"{_q('Web:dev')}&latestby=cvpv&environment=production",
    "dev to the prod tag": f"{_q('Web:dev')}&latestby=cvp&latest=true&tag=prod",
    "provider dev to production": f"{_q('Accounts:dev')}&latestby=cvpv&environment=production",
    "dev alone": f"{_q('Web:dev')}&limit=100",
    "ignoring another pacticipant": f"{DEV_DEV}&ignore[][pacticipant]=Mobile&latestby=cvpv",
    "ignoring a tagged version": (
        f"{DEV_DEV}&ignore[][pacticipant]=Accounts&ignore[][version]=a3&latestby=cvpv"
    ),
    "ignoring the provider": f"{DEV_DEV}&ignore[][pacticipant]=Accounts",
    "dev and a provider version": f"{_q('Web:dev', 'Accounts=a4')}&latestby=cvpv",
    "dev and every provider version": f"{_q('Web:dev', 'Accounts')}&latestby=cvpv",
    "dev and the provider's main branch": (
        "q[][pacticipant]=Web&q[][tag]=dev&q[][pacticipant]=Accounts&q[][branch]=main"
    ),
    "a tag nobody has": f"{_q('Web:nope', 'Accounts:dev')}&latestby=cvpv",
    "the same pacticipant twice": f"{_q('Web:dev', 'Web:prod', 'Accounts:dev')}",
}
UI_QUESTIONS = {
    "UI dev and dev": MatrixFilters(consumer_tag="dev", provider_tag="dev"),
    "UI dev and prod": MatrixFilters(consumer_tag="dev", provider_tag="prod", limit=4),
    "UI prod and dev, cvpv": MatrixFilters(
        consumer_tag="prod", provider_tag="dev", latestby="cvpv"
    ),
    "UI dev, failed": MatrixFilters(consumer_tag="dev", success="false"),
    "UI provider dev, cvp": MatrixFilters(provider_tag="dev", latestby="cvp"),
}


def _answers(url: str) -> dict[str, tuple[object, ...]]:
    """Every question's rows (and verdict with its reasons, or the page's problems)."""
    database = Database(url)
    seen: dict[str, tuple[object, ...]] = {}
    try:
        with database.read_session() as session:
            for name, query in MATRIX_QUESTIONS.items():
                answer = matrix.answer(session, matrix.parse_matrix_query(query))
                result = answer.result
                seen[name] = (result.considered, result.ignored, answer.verdict)
            for name, filters in UI_QUESTIONS.items():
                page = load_matrix_page(session, "Web", "Accounts", filters)
                seen[name] = (page.rows, page.problems)
    finally:
        database.dispose()
    return seen


@pytest.fixture
def history(broker: RunningBroker) -> Iterator[RunningBroker]:
    _history(broker)
    yield broker


def test_a_tag_kept_whole_answers_what_one_selector_per_version_answers(
    history: RunningBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whole_tag, "SMALL_TAG_POSTGRESQL", whole_tag.SMALL_TAG)
    per_version = _answers(history.database_url)
    monkeypatch.setattr(whole_tag, "SMALL_TAG", 3)
    monkeypatch.setattr(whole_tag, "SMALL_TAG_POSTGRESQL", 3)
    dev_whole = _answers(history.database_url)
    monkeypatch.setattr(whole_tag, "SMALL_TAG", 1)
    monkeypatch.setattr(whole_tag, "SMALL_TAG_POSTGRESQL", 1)
    all_whole = _answers(history.database_url)

    # a selector alone (several, for one pacticipant) and a tag nobody has find no row; the
    # ignored provider's rows are all set aside
    without_rows = {name for name, (rows, *_) in per_version.items() if not rows}
    assert without_rows == {"dev alone", "a tag nobody has", "ignoring the provider"}
    assert dev_whole == per_version
    assert all_whole == per_version


def _resolved(
    url: str, selectors: list[UnresolvedSelector]
) -> Callable[[], list[ResolvedSelector]]:
    def resolve() -> list[ResolvedSelector]:
        database = Database(url)
        try:
            with database.read_session() as session:
                return list(resolve_selectors(session, selectors, SPECIFIED))
        finally:
            database.dispose()

    return resolve


def test_a_large_tag_is_one_selector_standing_for_each_of_its_versions(
    history: RunningBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    selectors = [UnresolvedSelector("Web", tag="dev"), UnresolvedSelector("Accounts", tag="prod")]
    resolve = _resolved(history.database_url, selectors)
    monkeypatch.setattr(whole_tag, "SMALL_TAG_POSTGRESQL", whole_tag.SMALL_TAG)
    per_version = resolve()
    monkeypatch.setattr(whole_tag, "SMALL_TAG", 3)
    monkeypatch.setattr(whole_tag, "SMALL_TAG_POSTGRESQL", 3)
    whole = resolve()

    assert len(per_version) == len(WEB_DEV) + len(ACCOUNTS_PROD)
    kept, *provider = whole
    assert provider == per_version[len(WEB_DEV) :]  # prod: three versions, not kept whole
    assert [s.whole_tag for s in whole] == [True, False, False, False]
    # the decision names a row's version through the whole tag: exactly the per-version one
    named = [kept.for_version(s.version_id, s.version_number) for s in per_version[: len(WEB_DEV)]]
    assert named == per_version[: len(WEB_DEV)]


def test_a_consumer_version_with_the_provider_s_tag_is_not_in_the_consumer_s_tag(
    history: RunningBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Consumer ``dev`` with provider ``prod``: Web 7 (``prod`` only) verified by a4 (``dev``
    only) is in neither, though each tag is someone's in the question."""
    monkeypatch.setattr(whole_tag, "SMALL_TAG", 1)
    monkeypatch.setattr(whole_tag, "SMALL_TAG_POSTGRESQL", 1)
    query = f"{_q('Web:dev', 'Accounts:prod')}&limit=100"
    database = Database(history.database_url)
    try:
        with database.read_session() as session:
            rows = matrix.answer(session, matrix.parse_matrix_query(query)).result.considered
    finally:
        database.dispose()

    assert rows
    assert {r.consumer_version_number for r in rows} <= set(WEB_DEV)
    verified = {r.provider_version_number for r in rows} - {None}
    assert verified and verified <= set(ACCOUNTS_PROD)
