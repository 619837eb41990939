"""accord and the reference verifier on the parity corpus: right verdicts, the same verdicts.

For every interaction of the corpus (``tests/parity/corpus.py``) two things must hold:

* accord's verdict is the right one: the ``correct`` provider and every ``benign/...``
  variation pass, every ``broken/...`` one fails;
* the reference ``pact verifier`` (pact-python-cli) gives the same verdict, except where
  ``KNOWN_DIFFERENCES`` names the interaction and ``docs/compatibility.md`` says why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.testing import serve_app
from accord.verifier import verify
from tests.parity.corpus import expected_to_pass, write_corpus
from tests.parity.provider import corpus_provider
from tests.parity.reference import PACT_CLI, reference_verdicts

pytestmark = pytest.mark.interop


# interaction description -> why the reference verifier's verdict is wrong there
_PREFIXED_PATHS = (
    "the reference resolves the document's namespace prefixes but not the rule path's, so a rule "
    "written as $.ns1:project.ns1:name.#text (what pact-python's xml builder writes) never "
    "applies and the example value is compared for equality"
)
_REPEATED_MIN = (
    "the reference counts min/max on $.users.user against the children of each <user>, not the "
    "<user> elements; pact-python's xml .each(min=2) means the elements, so a correct provider "
    "fails there"
)
KNOWN_DIFFERENCES: dict[str, str] = {
    "xml namespaces | correct": _PREFIXED_PATHS,
    "xml namespaces | benign/other-prefix": _PREFIXED_PATHS,
    "xml repeated element min 2 | correct": _REPEATED_MIN,
    "xml repeated element min 2 | benign/three-users": _REPEATED_MIN,
    "v3 xml repeated element with min | correct": _REPEATED_MIN,
    "v3 xml repeated element with min | benign/more": _REPEATED_MIN,
    "datetime SSSX | broken/two-digit-fraction": (
        "SSS is exactly three fraction digits in Java's DateTimeFormatter (and pact-jvm); the "
        "reference takes any number"
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def provider_url() -> object:
    with serve_app(corpus_provider()) as server:
        yield server.url


@pytest.mark.parametrize("kind", ["dsl", "v2", "v3", "v4", "messages"])
def test_verdicts_are_right_and_agree_with_the_reference(
    corpus: list[Path], provider_url: str, kind: str, tmp_path: Path
) -> None:
    (pact,) = [path for path in corpus if f"-{kind}-" in path.name]
    result = verify(
        files=[pact],
        provider_base_url=provider_url,
        state_change_url=f"{provider_url}/_pact/state",
        output=None,
        raise_on_failure=False,
    )
    ours = {r.description: r.success for r in result.interactions}
    wrong = {
        description: "passed" if passed else "failed"
        for description, passed in ours.items()
        if passed != expected_to_pass(description)
    }
    assert not wrong, "accord's verdicts that are wrong:\n" + json.dumps(wrong, indent=2)

    if not PACT_CLI.exists():
        pytest.fail("pact-python-cli is not installed: `make test` installs the dev extra")
    reference = reference_verdicts(pact, provider_url, tmp_path / "reference.json")
    assert set(reference) == set(ours), "both verifiers must verify the same interactions"
    disagreements = {
        description: {"accord": ours[description], "pact verifier": reference[description]}
        for description in ours
        if ours[description] != reference[description] and description not in KNOWN_DIFFERENCES
    }
    assert not disagreements, json.dumps(disagreements, indent=2)
    stale = [d for d in KNOWN_DIFFERENCES if d in ours and ours[d] == reference[d]]
    assert not stale, f"these known differences are gone, remove them: {stale}"
