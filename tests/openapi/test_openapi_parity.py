"""accord's verdicts on the corpus agree with PactFlow's engine, @pactflow/swagger-mock-validator.

Each folder of ``corpus/`` holds an OpenAPI document, a pact and ``case.json`` (the verdict we
expect and why). accord is run with ``strict=True``, PactFlow's default (a response field the
document does not list is an error). The validator runs once, in one node process, over every
pair (``tools/swagger-mock-validator/validate-pairs.mjs``); it is installed from the committed
lockfile with ``npm ci`` in ``tools/swagger-mock-validator`` (``.ci/run`` does that).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from accord.openapi import CompareOptions, compare_pact, load_openapi
from accord.pact import load_pact

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).parent / "corpus"
TOOL = ROOT / "tools" / "swagger-mock-validator"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())

#: Pairs where accord's verdict differs from the validator's on purpose (docs/compatibility.md).
KNOWN_DIFFERENCES: dict[str, str] = {
    "enum-under-type-rule": (
        "accord honours the pact's matching rules: a `type` rule accepts any string the provider "
        "sends, so an example outside the enum does not break the pair; the validator ignores "
        "matching rules and judges the example"
    ),
    "pattern-under-regex-rule": (
        "same as enum-under-type-rule, for a `regex` rule on a field with a `pattern`"
    ),
    "server-base-path": (
        "accord strips the path of `servers[].url` (/v1) before matching paths, as OpenAPI 3 "
        "says; the validator looks for /v1/users/1 among the paths as written"
    ),
    "one-of-discriminator": (
        "the validator crashes ('discriminator: \"kind\" must be required') because it drops "
        "`required` from response schemas, which its JSON-schema library needs for "
        "`discriminator`; accord validates the oneOf and uses the discriminator to pick the "
        "branch"
    ),
    "one-of-no-branch": (
        "same crash as one-of-discriminator; both say incompatible, the validator only by failing"
    ),
    # the validator compares only JSON bodies (and a form body when the operation also takes
    # JSON); accord reads forms, multipart, XML and text through the schema as well
    "form-urlencoded-type": "the validator does not compare a form body with its schema",
    "form-urlencoded-encoding": "same: the `encoding` object is not read by the validator",
    "multipart-missing-part": "the validator does not compare multipart bodies",
    "xml-root-name": "the validator does not compare XML bodies (nor their `xml` objects)",
    "xml-attribute-type": "same as xml-root-name, for an attribute of the wrong type",
    "text-plain-pattern": "the validator does not compare text bodies with a string schema",
}


def _case(name: str) -> tuple[Path, Path, dict[str, Any]]:
    folder = CORPUS / name
    spec = next(folder.glob("openapi.*"))
    return spec, folder / "pact.json", json.loads((folder / "case.json").read_text())


def _accord_verdict(name: str) -> bool:
    spec, pact, _ = _case(name)
    comparison = compare_pact(load_openapi(spec), load_pact(pact), CompareOptions(strict=True))
    return comparison.compatible


@pytest.mark.parametrize("name", CASES)
def test_accord_gives_the_expected_verdict(name: str) -> None:
    _, _, case = _case(name)
    assert _accord_verdict(name) is case["compatible"], case["why"]


@pytest.fixture(scope="module")
def reference_verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The validator's outcome per case: ``{"success", "errors", "warnings", "crash"}``."""
    node = shutil.which("node")
    installed = (TOOL / "node_modules" / "@pactflow" / "swagger-mock-validator").is_dir()
    if node is None or not installed:
        missing = "node is not on PATH" if node is None else "node_modules is missing"
        message = (
            f"{missing}: install the reference validator with `npm ci` in {TOOL} "
            "(.ci/run does this)"
        )
        # never a skip: in CI (CI=true) and locally alike, a missing validator is a failure
        pytest.fail(message + (" [CI=true]" if os.environ.get("CI") == "true" else ""))
    pairs = []
    for name in CASES:
        spec, pact, _ = _case(name)
        pairs.append({"name": name, "spec": str(spec), "pact": str(pact)})
    listing = tmp_path_factory.mktemp("smv") / "pairs.json"
    listing.write_text(json.dumps(pairs))
    run = subprocess.run(
        [node, str(TOOL / "validate-pairs.mjs"), str(listing)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=TOOL,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    verdicts: dict[str, dict[str, Any]] = json.loads(run.stdout)
    return verdicts


@pytest.mark.parametrize("name", CASES)
def test_accord_agrees_with_swagger_mock_validator(
    name: str, reference_verdicts: dict[str, dict[str, Any]]
) -> None:
    reference = reference_verdicts[name]
    ours = _accord_verdict(name)
    if name in KNOWN_DIFFERENCES:
        # a stale entry must go: the difference has to still be there
        assert reference["crash"] or reference["success"] is not ours, (
            f"{name} is listed in KNOWN_DIFFERENCES but the validator now agrees: remove it"
        )
        return
    assert reference["crash"] is None, f"the validator crashed: {reference['crash']}"
    assert reference["success"] is ours, (
        f"accord says compatible={ours}, the validator {reference['success']} "
        f"(its errors: {reference['errors']})"
    )


def test_every_known_difference_names_a_corpus_case() -> None:
    assert set(KNOWN_DIFFERENCES) <= set(CASES)
