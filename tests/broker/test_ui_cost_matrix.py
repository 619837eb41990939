"""The matrix page reads what it shows beside its rows in one statement (issue #22).

Beside each row's versions the page shows their branches (head or not), tags and current
environments, and it marks the results that were provider contract comparisons. It read
them with the API's ``version_facts`` (every field of a tag and an environment, with the
newest tag of each name) and a statement of its own for the comparisons; names alone, and
the comparisons in the same ``UNION ALL``, are one statement and a fraction of the work.
Here the page's chips must be what ``version_facts`` and ``comparison_results`` say, in the
same order, on both databases; one statement at two history sizes; and on SQLite the same
virtual machine steps however long the history of other versions. The rows, written from
cells shared by the rows that show the same version or result, must read as they did: the
chips and numbers escaped, a comparison linked to its contract, a row without a result.
"""

import base64
import re
from pathlib import Path

from accord_broker.db.engine import Database
from accord_broker.domain.matrix.facts import version_facts
from accord_broker.domain.matrix.page_chips import matrix_page_chips
from accord_broker.domain.provider_contracts.views import comparison_results
from accord_broker.ui.matrix_page import MatrixFilters, load_matrix_page
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import (
    create_environment,
    deploy,
    publish,
    release,
    undeploy,
    verify,
)
from tests.broker.sqlite_work import url_steps
from tests.broker.statement_counts import select_statements

CONTRACT = """\
openapi: 3.1.0
info: {title: Accounts, version: "1"}
paths:
  /accounts/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200":
          description: an account
          content:
            application/json:
              schema: {type: object, required: [id, title]}
"""
"""A provider contract the pacts do not satisfy (they send ``name``, not ``title``)."""


def _history(broker: RunningBroker) -> None:
    """Web's versions on two branches with tags, deployed, undeployed and released (twice to
    staging: one chip); Accounts verifies them and publishes a contract, which is compared
    with Web's pacts (comparison results)."""
    create_environment(broker, "production", production=True)
    create_environment(broker, "staging")
    publish(broker, "Web", "1.0.0", "Accounts", branch="main", tags=["prod", "dev"])
    publish(broker, "Web", "2.0.0", "Accounts", "changed call", branch="main", tags=["dev"])
    assert broker.put("/pacticipants/Web/branches/feat%2F%3Cx%3E/versions/1.0.0").ok
    verify(broker, "Accounts", "a1", "Web", "1.0.0", branch="main")
    verify(broker, "Accounts", "a1", "Web", "2.0.0", success=False, branch="main")
    undeploy(broker, deploy(broker, "Web", "1.0.0", "production"))
    deploy(broker, "Web", "1.0.0", "staging")
    release(broker, "Web", "1.0.0", "staging")
    release(broker, "Web", "2.0.0", "production")
    deploy(broker, "Accounts", "a1", "production")
    contract = {
        "pacticipantVersionNumber": "a2",
        "branch": "main",
        "contract": {
            "content": base64.b64encode(CONTRACT.encode()).decode(),
            "contentType": "application/yaml",
            "specification": "oas",
            "selfVerificationResults": {"success": True, "verifier": "schemathesis"},
        },
    }
    response = broker.post("/provider-contracts/provider/Accounts/publish", contract)
    assert response.status_code in (200, 201), response.text


def _grow(broker: RunningBroker, versions: range) -> None:
    """Other versions of Web, tagged and verified: history the page's versions are not in.
    (On a branch of their own: the page's versions stay their branches' heads or not, so
    the steps compare the same answer.)"""
    for n in versions:
        publish(broker, "Web", f"{n}.1.0", "Accounts", f"call {n}", branch="next", tags=["dev"])
        verify(broker, "Accounts", f"a{n}", "Web", f"{n}.1.0", branch="next")


def _page_ids(url: str) -> tuple[set[int], set[int]]:
    """The versions and results of the pair's page (every row)."""
    database = Database(url)
    try:
        with database.read_session() as session:
            page = load_matrix_page(session, "Web", "Accounts", MatrixFilters(limit=1000))
    finally:
        database.dispose()
    versions = {r.consumer_version_id for r in page.rows}
    versions |= {r.provider_version_id for r in page.rows if r.provider_version_id is not None}
    results = {r.verification_id for r in page.rows if r.verification_id is not None}
    return versions, results


def test_the_page_shows_the_names_version_facts_gives_in_its_order(database_url: str) -> None:
    with start_broker(database_url) as broker:
        _history(broker)
    versions, results = _page_ids(database_url)
    database = Database(database_url)
    try:
        with database.read_session() as session:
            chips = matrix_page_chips(session, versions, results)
            facts = version_facts(session, versions)
            compared = comparison_results(session, results)
    finally:
        database.dispose()

    shown = {vid: (c.branches, c.tags, c.environments) for vid, c in chips.versions.items()}
    assert shown == {
        vid: (f.branches, [t.name for t in f.tags], [e.name for e in f.environments])
        for vid, f in facts.items()
    }
    assert set(chips.versions) == versions
    assert chips.comparisons == set(compared)
    assert chips.comparisons and chips.comparisons < results
    # all of the history is there: two branches, two tags, staging once, production ended
    web_1 = ([("main", False), ("feat/<x>", True)], ["prod", "dev"], ["staging"])
    assert web_1 in shown.values()


def test_the_page_renders_the_chips_escaped_and_links_the_comparison(
    broker: RunningBroker,
) -> None:
    _history(broker)

    html = broker.get(
        "/ui/matrix/provider/Accounts/consumer/Web", headers={"Accept": "text/html"}
    ).text

    assert (
        '<span class="version">1.0.0</span>'
        ' <span class="chip branch" title="branch">main</span>'
        ' <span class="chip branch" title="branch head">feat/&lt;x&gt;</span>'
        ' <span class="chip tag" title="tag">prod</span>'
        ' <span class="chip tag" title="tag">dev</span>'
        ' <span class="chip env" title="environment">staging</span></td>'
    ) in html
    assert '/ui/provider-contracts/provider/Accounts/version/a2" title="compared' in html
    assert '<td class="source">verification</td>' in html


def _page(session: Session) -> object:
    page = load_matrix_page(session, "Web", "Accounts", MatrixFilters())
    assert page.rows
    return page


def test_the_chips_are_one_statement_for_any_history(database_url: str) -> None:
    with start_broker(database_url) as broker:
        _history(broker)
        versions, results = _page_ids(database_url)

        def chips(session: Session) -> object:
            return matrix_page_chips(session, versions, results)

        short = select_statements(database_url, chips), select_statements(database_url, _page)
        _grow(broker, range(3, 12))
        longer = select_statements(database_url, chips), select_statements(database_url, _page)

    assert short == longer
    assert short[0] == 1


def test_the_chips_do_not_read_the_history_on_sqlite(tmp_path: Path) -> None:
    short, longer = (f"sqlite:///{tmp_path / f'{name}.sqlite'}" for name in ("short", "long"))
    # the history's versions and results (the same ids in both databases), asked after both
    # grew, a little and a lot: an index search ends on the next entry, another version's
    with start_broker(short) as broker:
        _history(broker)
        versions, results = _page_ids(short)
        _grow(broker, range(3, 5))
    with start_broker(longer) as broker:
        _history(broker)
        _grow(broker, range(3, 30))

    def chips(session: Session) -> object:
        return matrix_page_chips(session, versions, results)

    assert url_steps(short, chips, per_callback=1) == url_steps(longer, chips, per_callback=1)


def test_a_row_without_a_result_and_a_strange_version_number_are_written_escaped(
    broker: RunningBroker,
) -> None:
    number = "1<2>&\"'"
    publish(broker, "Web", number, "Accounts", branch="main")
    publish(broker, "Web", "2", "Accounts", "changed call")
    verify(broker, "Accounts", "a<1>", "Web", "2", success=False)

    html = broker.get(
        "/ui/matrix/provider/Accounts/consumer/Web", headers={"Accept": "text/html"}
    ).text
    rows = [
        re.sub(r"<time [^>]*>[^<]*</time>", "<time/>", row)
        for row in re.findall(r'<tr class="matrix-row".*?</tr>', html)
    ]

    pair = f"{broker.url}/pacts/provider/Accounts/consumer/Web"
    sha = re.findall(r"/pact-version/([0-9a-f]+)/verification-results/1", html)[0]
    dash = '<span class="muted">—</span>'
    assert rows == [
        '<tr class="matrix-row" data-success="false"><td><span class="version">2</span></td>'
        f'<td><a href="{broker.url}/ui{pair.removeprefix(broker.url)}/version/2"><time/></a></td>'
        '<td><span class="version">a&lt;1&gt;</span></td>'
        '<td><span class="pill status-failed">failed</span></td>'
        '<td class="source">verification</td><td><time/></td>'
        f'<td><a href="{pair}/pact-version/{sha}/verification-results/1">result</a></td></tr>',
        '<tr class="matrix-row" data-success="none"><td><span class="version">'
        "1&lt;2&gt;&amp;&#34;&#39;</span>"
        ' <span class="chip branch" title="branch head">main</span></td>'
        f'<td><a href="{broker.url}/ui{pair.removeprefix(broker.url)}/version/'
        '1%3C2%3E%26%22%27"><time/></a></td>'
        f'<td>{dash}</td><td><span class="pill status-never">not verified</span></td>'
        f'<td class="source"></td><td>{dash}</td><td></td></tr>',
    ]
