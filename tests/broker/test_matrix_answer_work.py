"""A matrix answer does its Python work once per thing it shows, not once per row.

A page of a pair's matrix names one consumer version, one pact and a hundred provider versions
(issue #20). The rendering builds each version, pact and results URL once and shares it between
the rows that show it; the verdict builds each reason's evidence once per sentence (rows
failing the same way share one sentence). Here one consumer version is verified by a few and
then by many more provider versions, some failing: what is built once stays built once at both
sizes, and the body is byte for byte the one that rendering each row on its own writes.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from accord_broker.api import matrix as api_matrix
from accord_broker.api.json_body import encode
from accord_broker.db.engine import Database
from accord_broker.domain import matrix
from accord_broker.domain.matrix.evidence import Evidence
from accord_broker.domain.matrix.matrix_row import MatrixRow
from accord_broker.domain.matrix.row_filters import apply_latestby
from accord_broker.web.links import AnswerUrls, Urls, timestamp

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import publish, verify

FEW, MANY = range(1, 4), range(4, 13)
BASE = "http://broker"
PAIR = "q[][pacticipant]=Web&q[][pacticipant]=Accounts"
QUESTIONS = {
    "pair cvpv": f"{PAIR}&latestby=cvpv",
    "one version, every row": "q[][pacticipant]=Web&q[][version]=1.0.0",
    "one version, one provider version ignored": (
        "q[][pacticipant]=Web&q[][version]=1.0.0&ignore[][pacticipant]=Accounts"
        "&ignore[][version]=a2&latestby=cvpv"
    ),
}


def _grow(broker: RunningBroker, versions: range) -> None:
    """Accounts ``a<n>`` verifies Web 1.0.0's pact; every third result failed."""
    if versions.start == 1:
        publish(broker, "Web", "1.0.0", "Accounts", "hot call", branch="main")
    for n in versions:
        verify(broker, "Accounts", f"a{n}", "Web", "1.0.0", success=n % 3 != 0, branch="main")


class _Work:
    """What one answer built: metadata segments, explained rows, distinct parts of the body."""

    def __init__(self) -> None:
        self.metadata = 0
        self.explained = 0


@contextmanager
def _counting(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Work]:
    work = _Work()
    encode_metadata = api_matrix.encode_metadata

    def counted_metadata(values: Any) -> str:
        work.metadata += 1
        return encode_metadata(values)

    class CountedEvidence(Evidence):
        def __call__(self, row: MatrixRow, provider: Any) -> str | None:
            work.explained += 1
            return super().__call__(row, provider)

    with monkeypatch.context() as patched:
        patched.setattr(api_matrix, "encode_metadata", counted_metadata)
        patched.setattr(matrix, "Evidence", CountedEvidence)
        yield work


def _ask(database_url: str, query: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The answer's body, what building it took, and the body rendered row by row."""
    database = Database(database_url)
    try:
        with database.read_session() as session:
            with _counting(monkeypatch) as work:
                found = matrix.answer(session, matrix.parse_matrix_query(query))
                body = api_matrix.render_answer(session, Urls(BASE), found)
            alone = _rendered_row_by_row(session, found)
    finally:
        database.dispose()
    rows = body["matrix"]
    return {
        "rows": len(rows),
        "failed": body["summary"]["failed"],
        "errors": sum(1 for notice in body["notices"] if notice["type"] == "error"),
        "metadata": work.metadata,
        "explained": work.explained,
        "consumer sides": len({id(row["consumer"]) for row in rows}),
        "pacts": len({id(row["pact"]) for row in rows}),
        "body": encode(body),
        "alone": encode({**body, "matrix": alone}),
        "ignored": [row.get("ignored", False) for row in rows],
    }


def _rendered_row_by_row(session: Any, found: matrix.MatrixAnswer) -> list[dict[str, Any]]:
    """Each row rendered with nothing shared (what the body must equal)."""
    result = found.result
    ids = [r.consumer_version_id for r in result.considered + result.ignored]
    ids += [r.provider_version_id for r in result.considered + result.ignored]
    facts = api_matrix.version_facts(session, [i for i in ids if i is not None])

    def alone(row: MatrixRow) -> dict[str, Any]:
        return api_matrix._row(api_matrix._Rendered(AnswerUrls(BASE), facts), row)

    return [alone(row) for row in result.considered] + [
        {**alone(row), "ignored": True} for row in result.ignored
    ]


def test_a_page_builds_what_its_rows_share_once_at_any_size(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with start_broker(database_url) as broker:
        _grow(broker, FEW)
        few = {name: _ask(database_url, q, monkeypatch) for name, q in QUESTIONS.items()}
        _grow(broker, MANY)
        many = {name: _ask(database_url, q, monkeypatch) for name, q in QUESTIONS.items()}

    for name in QUESTIONS:
        small, large = few[name], many[name]
        assert large["rows"] > small["rows"] and large["failed"] > small["failed"] > 0, name
        assert small["body"] == small["alone"] and large["body"] == large["alone"], name
        # the results URLs' metadata once per consumer version (and once for the reason's
        # link), each failing sentence explained once: the same work at both sizes
        shared = ("metadata", "explained", "errors", "consumer sides", "pacts")
        assert {k: small[k] for k in shared} == {k: large[k] for k in shared}, name
        assert large["metadata"] <= 2 and large["explained"] == large["errors"] == 1, name
        assert large["consumer sides"] == large["pacts"] == 1, name
    ignored = many["one version, one provider version ignored"]["ignored"]
    assert ignored.count(True) == 1 and ignored[-1] is True


def test_answer_urls_are_the_urls_of_the_base() -> None:
    plain, remembering = Urls(f"{BASE}/"), AnswerUrls(f"{BASE}/")
    for urls in (plain, remembering, remembering):  # the second time from what it remembers
        assert urls.pacticipant("Web/1") == f"{BASE}/pacticipants/Web%2F1"
        assert urls.tag("Web/1", "1.0 a", "prod") == (
            f"{BASE}/pacticipants/Web%2F1/versions/1.0%20a/tags/prod"
        )
        assert urls.verification_results("A", "Web/1", "abc", "m=") == (
            f"{BASE}/pacts/provider/A/consumer/Web%2F1/pact-version/abc/metadata/m%3D"
            "/verification-results"
        )


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4, 5, 999_999, tzinfo=UTC),
        datetime(2026, 1, 2, 4, 4, 5, 1, tzinfo=timezone(timedelta(hours=1))),
    ],
)
def test_a_timestamp_is_utc_to_the_second(value: datetime) -> None:
    assert timestamp(value) == "2026-01-02T03:04:05+00:00"


def _row(consumer: str, provider_version: str | None, order: int | None, n: int) -> MatrixRow:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    return MatrixRow(
        1, consumer, 1, "1.0.0", 1, 2, "Accounts", order, provider_version, order,
        10, "sha", 1, at, n, n, True, at,
    )  # fmt: skip


def test_latestby_keeps_the_newest_provider_version_per_group_in_first_seen_order() -> None:
    older, newer, equal = _row("Web", "a1", 1, 1), _row("Web", "a2", 2, 2), _row("Web", "a3", 2, 3)
    unverified, after = _row("Mobile", None, None, 4), _row("Mobile", "a9", 9, 5)
    rows = [older, unverified, newer, after, equal]

    assert apply_latestby(rows, "cp") == [newer, unverified]
    assert apply_latestby(rows, "cvp") == [newer, unverified]
    assert apply_latestby(rows, "cvpv") == rows
    assert apply_latestby(rows, None) == rows
