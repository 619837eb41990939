""" "Latest pact on a branch (with a tag)" stops early when the pair has no pact (issue #20).

``…/branch/{b}/latest`` walks the consumer's versions on the branch, newest first, until one
has a pact with the provider. For a consumer with no pact at all with that provider the walk
read the whole branch (SQLite: 2,000 steps at 10 % of the scale data, 18,200 at full size);
it is now bounded below by the pair's oldest pact, which such a pair does not have. These
tests pin that the answer is unchanged (the newest pact found even when it is older than most
of the branch, on both databases) and, on SQLite, that the no-pact walk costs the same at two
history sizes.
"""

from collections.abc import Callable

import pytest
from accord_broker.db.engine import Database
from accord_broker.domain.pacts.pacts import latest_pact
from accord_broker.errors import BrokerNotFoundError
from sqlalchemy.orm import Session

from tests.broker.conftest import start_broker
from tests.broker.release_history import publish
from tests.broker.sqlite_work import url_steps

SHORT, LONGER = 4, 24
STEPS_PER_CALLBACK = 10


def _build(database_url: str, versions: int) -> None:
    """Web publishes ``versions`` versions on ``main``, each tagged ``prod``, for Accounts;
    only the first also for Ledger. Payments exists and has no pact with Web."""
    with start_broker(database_url) as broker:
        publish(broker, "Web", "1.0.0", "Ledger", "an entry", branch="main", tags=["prod"])
        for n in range(1, versions + 1):
            publish(
                broker, "Web", f"{n}.0.0", "Accounts", f"call {n}", branch="main", tags=["prod"]
            )
        assert broker.post("/pacticipants", {"name": "Payments"}).status_code == 201


@pytest.fixture(params=[SHORT, LONGER], ids=["short-history", "longer-history"])
def history(request: pytest.FixtureRequest, database_url: str) -> tuple[str, int]:
    _build(database_url, request.param)
    return database_url, request.param


def _missing(provider: str, **line: str) -> Callable[[Session], object]:
    def ask(session: Session) -> object:
        with pytest.raises(BrokerNotFoundError):
            latest_pact(session, provider, "Web", **line)
        return None

    return ask


@pytest.mark.parametrize("line", [{"branch": "main"}, {"tag": "prod"}], ids=["branch", "tag"])
def test_the_newest_pact_is_found_however_far_down_the_line(
    history: tuple[str, int], line: dict[str, str]
) -> None:
    database_url, versions = history
    database = Database(database_url)
    try:
        with database.read_session() as session:
            oldest = latest_pact(session, "Ledger", "Web", **line)
            newest = latest_pact(session, "Accounts", "Web", **line)
            _missing("Payments", **line)(session)
    finally:
        database.dispose()

    assert oldest.consumer_version.number == "1.0.0"
    assert newest.consumer_version.number == f"{versions}.0.0"


@pytest.mark.parametrize("line", [{"branch": "main"}, {"tag": "prod"}], ids=["branch", "tag"])
def test_a_pair_without_pacts_reads_no_versions_of_the_line(
    tmp_path_factory: pytest.TempPathFactory, line: dict[str, str]
) -> None:
    steps = []
    for versions in (SHORT, LONGER):
        url = f"sqlite:///{tmp_path_factory.mktemp('walk') / 'broker.sqlite'}"
        _build(url, versions)
        steps.append(url_steps(url, _missing("Payments", **line), STEPS_PER_CALLBACK))

    short, longer = steps
    assert short == longer, f"the walk grew with the line: {short} -> {longer} steps"
