"""The heaviest non-matrix routes cost a fixed, small number of statements (issue #20).

Each route's answer is read in a few set-based statements built once per process, whatever
the history: the dashboard, the integrations, the latest pacts, the pacticipants (all, by
label, one), an environment's current deployments and releases, a page of versions and a
provider contract. These tests build a short and a longer history of the same shape and
require the same statement count at both, equal to the budget the route was cut to, on SQLite
and PostgreSQL.
"""

import base64
from collections.abc import Callable

import pytest
from accord_broker.domain.deployments.deployments import DEPLOYED, RELEASED, Kind
from accord_broker.domain.deployments.placement_views import current_placements
from accord_broker.domain.integrations.dashboard import dashboard_items
from accord_broker.domain.integrations.integration_status import Status
from accord_broker.domain.integrations.integrations import list_integrations
from accord_broker.domain.pacticipants.views import (
    list_pacticipant_views,
    pacticipant_view,
    pacticipant_views_with_label,
)
from accord_broker.domain.pacts.pact_lists import latest_pacts_of_every_integration
from accord_broker.domain.provider_contracts.views import provider_contract
from accord_broker.domain.versions.views import list_version_views
from sqlalchemy.orm import Session

from tests.broker.conftest import RunningBroker, start_broker
from tests.broker.release_history import (
    create_environment,
    deploy,
    publish,
    release,
    seg,
    verify,
)
from tests.broker.statement_counts import select_statements

DASHBOARD_BUDGET = 3
"""The integrations with their names; per integration the newest pact and newest result with
their versions' numbers; the shown versions' branches and tags."""
PAIR_DASHBOARD_BUDGET = 2
"""The pair's row found by names; its versions' branches and tags."""
INTEGRATIONS_BUDGET = LATEST_PACTS_BUDGET = 1
PACTICIPANTS_BUDGET = 2
"""The pacticipants with their newest version's number; their labels (also with a label,
and for one pacticipant)."""
CURRENT_PLACEMENTS_BUDGET = 2
"""The environment; its current records with their versions' numbers and pacticipants."""
VERSION_PAGE_BUDGET = 3
"""The page with its total (the pacticipant found by name inside it); the environments; the
page's tags, branches and pact providers."""
PROVIDER_CONTRACT_BUDGET = 3
"""The version with its contract, document and queued comparisons; its branches; its
comparisons with each pact content's newest consumer version."""

SHORT, LONGER = 2, 6
OPENAPI = """\
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
              schema:
                type: object
                properties: {id: {type: integer}, name: {type: string}}
"""


def _label(broker: RunningBroker, pacticipant: str, label: str) -> None:
    response = broker.put(f"/pacticipants/{seg(pacticipant)}/labels/{seg(label)}", {})
    assert response.status_code in (200, 201), response.text


def _publish_contract(broker: RunningBroker, version: str) -> None:
    body = {
        "pacticipantVersionNumber": version,
        "branch": "main",
        "contract": {
            "content": base64.b64encode(OPENAPI.encode()).decode(),
            "contentType": "application/yaml",
            "specification": "oas",
            "selfVerificationResults": {"success": True, "verifier": "schemathesis"},
        },
    }
    response = broker.post("/provider-contracts/provider/Accounts/publish", body)
    assert response.status_code == 200, response.text


def _build(database_url: str, versions: int) -> str:
    """Web and Mobile publish ``versions`` versions each for Accounts (Web's tagged ``dev``),
    Accounts verifies each and publishes a contract per version; every Web version is
    released to production and deployed on an instance of its own; Web and Accounts are
    labelled. The production environment's uuid."""
    with start_broker(database_url) as broker:
        production = create_environment(broker, "production", production=True)
        for n in range(1, versions + 1):
            number = f"{n}.0.0"
            for consumer in ("Web", "Mobile"):
                publish(broker, consumer, number, "Accounts", f"call {n}", branch="main")
                verify(broker, "Accounts", f"a{n}", consumer, number, branch="main")
            _publish_contract(broker, f"a{n}")
            assert broker.put(f"/pacticipants/Web/versions/{number}/tags/dev").status_code in (
                200,
                201,
            )
            release(broker, "Web", number, "production")
            deploy(broker, "Web", number, "production", instance=f"i{n}")
        _label(broker, "Web", "team-web")
        _label(broker, "Accounts", "team-web")
    return production


@pytest.fixture(params=[SHORT, LONGER], ids=["short-history", "longer-history"])
def history(request: pytest.FixtureRequest, database_url: str) -> tuple[str, str, int]:
    return database_url, _build(database_url, request.param), request.param


def _dashboard(session: Session) -> object:
    items = dashboard_items(session)
    assert {(i.consumer, i.provider) for i in items} == {
        ("Web", "Accounts"),
        ("Mobile", "Accounts"),
    }
    web = next(i for i in items if i.consumer == "Web")
    assert web.consumer_version is not None and web.consumer_version.tags == ("dev",)
    assert web.provider_version is not None and web.provider_version.branches == ("main",)
    assert web.status is Status.SUCCESS
    return items


def _pair_dashboard(session: Session) -> object:
    (item,) = dashboard_items(session, ("Accounts", "Web"))
    assert item.consumer_version is not None and item.consumer_version.branches == ("main",)
    return item


def _integrations(session: Session) -> object:
    found = list_integrations(session)
    assert [(i.consumer, i.provider) for i in found] == [
        ("Mobile", "Accounts"),
        ("Web", "Accounts"),
    ]
    return found


def _latest_pacts(session: Session) -> object:
    found = latest_pacts_of_every_integration(session)
    assert [p.consumer_name for p in found] == ["Mobile", "Web"]
    return found


def _pacticipants(session: Session) -> object:
    found = list_pacticipant_views(session)
    assert [p.name for p in found] == ["Accounts", "Mobile", "Web"]
    assert found[2].labels == ("team-web",) and found[2].latest_version is not None
    return found


def _labelled(session: Session) -> object:
    found = pacticipant_views_with_label(session, "team-web")
    assert [p.name for p in found] == ["Accounts", "Web"]
    return found


def _one_pacticipant(session: Session) -> object:
    found = pacticipant_view(session, "Web")
    assert found.labels == ("team-web",) and found.latest_version is not None
    return found


def _current(kind: Kind, environment: str, versions: int) -> Callable[[Session], object]:
    def ask(session: Session) -> object:
        _env, found = current_placements(session, kind, environment)
        assert len(found) == versions and {p.pacticipant for p in found} == {"Web"}
        return found

    return ask


def _version_page(session: Session) -> object:
    found, total = list_version_views(session, "Web", page=1, size=2)
    assert len(found) == 2 and total >= 2
    assert found[0].tags == ("dev",) and found[0].pact_providers == ("Accounts",)
    return found


def _contract(versions: int) -> Callable[[Session], object]:
    def ask(session: Session) -> object:
        found = provider_contract(session, "Accounts", f"a{versions}")
        assert found.branch_names == ["main"]
        compared = {(c.consumer, c.consumer_version) for c in found.comparisons}
        assert {("Mobile", f"{versions}.0.0"), ("Web", f"{versions}.0.0")} <= compared
        assert all(c.compatible and c.success for c in found.comparisons)
        return found

    return ask


def test_the_dashboard_runs_a_fixed_number_of_statements(history: tuple[str, str, int]) -> None:
    database_url, _production, _versions = history

    assert select_statements(database_url, _dashboard) == DASHBOARD_BUDGET
    assert select_statements(database_url, _pair_dashboard) == PAIR_DASHBOARD_BUDGET


def test_integrations_and_latest_pacts_are_one_statement_each(
    history: tuple[str, str, int],
) -> None:
    database_url, _production, _versions = history

    assert select_statements(database_url, _integrations) == INTEGRATIONS_BUDGET
    assert select_statements(database_url, _latest_pacts) == LATEST_PACTS_BUDGET


def test_pacticipants_run_a_fixed_number_of_statements(history: tuple[str, str, int]) -> None:
    database_url, _production, _versions = history

    assert select_statements(database_url, _pacticipants) == PACTICIPANTS_BUDGET
    assert select_statements(database_url, _labelled) == PACTICIPANTS_BUDGET
    assert select_statements(database_url, _one_pacticipant) == PACTICIPANTS_BUDGET


@pytest.mark.parametrize("kind", [DEPLOYED, RELEASED], ids=["deployed", "released"])
def test_current_placements_run_a_fixed_number_of_statements(
    history: tuple[str, str, int], kind: Kind
) -> None:
    database_url, production, versions = history

    counted = select_statements(database_url, _current(kind, production, versions))

    assert counted == CURRENT_PLACEMENTS_BUDGET


def test_a_page_of_versions_runs_a_fixed_number_of_statements(
    history: tuple[str, str, int],
) -> None:
    database_url, _production, _versions = history

    assert select_statements(database_url, _version_page) == VERSION_PAGE_BUDGET


def test_a_provider_contract_runs_a_fixed_number_of_statements(
    history: tuple[str, str, int],
) -> None:
    database_url, _production, versions = history

    assert select_statements(database_url, _contract(versions)) == PROVIDER_CONTRACT_BUDGET
