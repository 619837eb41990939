"""Real pact files from pact-js, pact-jvm, pact-net and pact-reference (tests/fixtures/client_pacts,
see its README for origins) go through the whole pipeline: each is published to a real accord
broker, fetched back by URL and verified against a real provider written to honour it with
values *other* than the examples (so the matching rules, not equality, decide), and again
against the same provider with one seeded fault that the rules must catch.

Some pacts have more provider variants at the edges of their rule forms (``fault/...`` must
fail, ``benign/...`` must pass). Every run is made twice, by accord's verifier and by the
reference ``pact verifier`` (pact-python-cli), from the same broker URL against the same
provider: the verdicts must agree interaction by interaction, except where
``KNOWN_DIFFERENCES`` names the interaction and says why (``docs/compatibility.md`` explains
each). Both verifiers must also set up every provider state the pact names.
"""

import base64
import json
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from client_pact_providers import (
    CLIENT_PACTS,
    FAULT,
    HONEST,
    STATE_PATH,
    ClientPact,
    ProviderState,
    Variant,
    provider_app,
)

from accord.testing import ServerHandle, serve_app
from accord.verifier import VerificationResult, verify
from tests.parity.reference import PACT_CLI, reference_verdicts

accord_broker = pytest.importorskip("accord_broker")

# every test shares the runs of both verifiers (module fixture): one xdist worker makes them once
pytestmark = [pytest.mark.interop, pytest.mark.xdist_group("client-pacts")]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "client_pacts"

# (fixture, interaction description, provider variant) -> why accord's verdict differs from
# the reference's there
KNOWN_DIFFERENCES: dict[tuple[str, str, str], str] = {}


@dataclass(frozen=True)
class Published:
    """A fixture as the broker serves it: its pact URL there, and the document published."""

    url: str
    document: dict[str, Any]

    @property
    def descriptions(self) -> list[str]:
        """The descriptions of every interaction (V4) or message (V3 message pact)."""
        items = self.document.get("interactions") or self.document.get("messages") or []
        return [str(item["description"]) for item in items]

    @property
    def state_names(self) -> set[str]:
        """Every provider state the pact names, V2 ``providerState`` or V3+ ``providerStates``."""
        names: set[str] = set()
        for item in self.document.get("interactions") or self.document.get("messages") or []:
            if item.get("providerState"):
                names.add(item["providerState"])
            names.update(state["name"] for state in item.get("providerStates") or [])
        return names


@dataclass(frozen=True)
class Run:
    """One verification of one pact against one provider, by one verifier."""

    verdicts: dict[str, bool]
    setups: set[str]


@dataclass(frozen=True)
class Verdicts:
    """accord's and the reference's runs of one pact against one provider variant."""

    result: VerificationResult
    accord: Run
    reference: Run


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Published]]:
    """Every fixture published once to one broker, which stays up while the module runs."""
    database = tmp_path_factory.mktemp("client-pacts") / "broker.sqlite"
    settings = accord_broker.Settings(database_url=f"sqlite:///{database}")
    with serve_app(accord_broker.create_app(settings)) as broker:
        yield {case.file: _publish(broker, case.file) for case in CLIENT_PACTS}


def _publish(broker: ServerHandle, file: str) -> Published:
    document = json.loads((FIXTURES / file).read_text(encoding="utf-8"))
    consumer, provider = document["consumer"]["name"], document["provider"]["name"]
    body = {
        "pacticipantName": consumer,
        "pacticipantVersionNumber": "1.0.0",
        "branch": "main",
        "contracts": [
            {
                "consumerName": consumer,
                "providerName": provider,
                "specification": "pact",
                "contentType": "application/json",
                "content": base64.b64encode(json.dumps(document).encode()).decode(),
            }
        ],
    }
    answer = requests.post(f"{broker.url}/contracts/publish", json=body, timeout=30)
    assert answer.status_code in (200, 201), (file, answer.text)
    quote = urllib.parse.quote
    url = f"{broker.url}/pacts/provider/{quote(provider)}/consumer/{quote(consumer)}/version/1.0.0"
    return Published(url, document)


@pytest.fixture(scope="module")
def verdicts(
    published: dict[str, Published], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[tuple[str, str], Verdicts]]:
    """Both verifiers' runs per (fixture, variant), made once and shared by the tests below."""
    if not PACT_CLI.exists():
        pytest.fail("pact-python-cli is not installed: `make test` installs the dev extra")
    reports = tmp_path_factory.mktemp("reference-reports")
    yield {
        (case.file, variant): _run_both(published[case.file], case, variant, reports)
        for case in CLIENT_PACTS
        for variant in case.all_variants
    }


def _run_both(pact: Published, case: ClientPact, variant: str, reports: Path) -> Verdicts:
    state = ProviderState()
    with serve_app(provider_app(case.provider, state, variant)) as provider:
        result = verify(
            urls=[pact.url],
            provider_base_url=provider.url,
            state_change_url=provider.url + STATE_PATH,
            output=None,
            raise_on_failure=False,
        )
        ours = Run({r.description: r.success for r in result.interactions}, set(state.setups))
        state.setups.clear()
        report = reports / f"{len(list(reports.iterdir()))}.json"
        theirs = Run(
            reference_verdicts(pact.url, provider.url, report, state_path=STATE_PATH),
            set(state.setups),
        )
    return Verdicts(result, ours, theirs)


IDS = [case.file for case in CLIENT_PACTS]


@pytest.mark.parametrize("case", CLIENT_PACTS, ids=IDS)
def test_a_client_pact_verifies_against_a_provider_that_honours_it(
    published: dict[str, Published], verdicts: dict[tuple[str, str], Verdicts], case: ClientPact
) -> None:
    pact, run = published[case.file], verdicts[case.file, HONEST]
    assert len(run.result.interactions) == len(pact.descriptions)
    failures = run.result.failures
    assert run.result.success, [(r.description, r.error, r.mismatches) for r in failures]


@pytest.mark.parametrize("case", CLIENT_PACTS, ids=IDS)
def test_a_client_pact_fails_against_a_provider_with_a_seeded_fault(
    verdicts: dict[tuple[str, str], Verdicts], case: ClientPact
) -> None:
    _assert_caught(verdicts[case.file, FAULT].result, case.fault_path)


def _assert_caught(result: VerificationResult, fault_path: str) -> None:
    assert not result.success
    reported = [(m.attribute, m.path, m.message) for r in result.failures for m in r.mismatches]
    assert any(fault_path in f"{a} {p} {msg}" for a, p, msg in reported), reported


EDGES = [(case, variant) for case in CLIENT_PACTS for variant in case.variants]


@pytest.mark.parametrize(("case", "variant"), EDGES, ids=[f"{c.file}-{v.name}" for c, v in EDGES])
def test_a_client_pact_judges_the_edges_of_its_rule_forms(
    verdicts: dict[tuple[str, str], Verdicts], case: ClientPact, variant: Variant
) -> None:
    result = verdicts[case.file, variant.name].result
    if variant.fault_path is None:
        failures = result.failures
        assert result.success, [(r.description, r.error, r.mismatches) for r in failures]
    else:
        _assert_caught(result, variant.fault_path)


RUNS = [(case, variant) for case in CLIENT_PACTS for variant in case.all_variants]


@pytest.mark.parametrize(("case", "variant"), RUNS, ids=[f"{c.file}-{v}" for c, v in RUNS])
def test_the_reference_verifier_gives_the_same_verdict_per_interaction(
    published: dict[str, Published],
    verdicts: dict[tuple[str, str], Verdicts],
    case: ClientPact,
    variant: str,
) -> None:
    pact, run = published[case.file], verdicts[case.file, variant]
    ours, theirs = run.accord.verdicts, run.reference.verdicts
    assert sorted(ours) == sorted(theirs) == sorted(pact.descriptions), (ours, theirs)
    disagreements = {
        description: {"accord": ours[description], "pact verifier": theirs[description]}
        for description in ours
        if ours[description] != theirs[description]
        and (case.file, description, variant) not in KNOWN_DIFFERENCES
    }
    assert not disagreements, json.dumps(disagreements, indent=2)
    stale = [
        key
        for key in KNOWN_DIFFERENCES
        if key[0] == case.file and key[2] == variant and ours[key[1]] == theirs[key[1]]
    ]
    assert not stale, f"these known differences are gone, remove them: {stale}"


@pytest.mark.parametrize("case", CLIENT_PACTS, ids=IDS)
def test_both_verifiers_set_up_every_provider_state_the_pact_names(
    published: dict[str, Published], verdicts: dict[tuple[str, str], Verdicts], case: ClientPact
) -> None:
    run = verdicts[case.file, HONEST]
    expected = published[case.file].state_names
    assert run.accord.setups == expected
    assert run.reference.setups == expected
