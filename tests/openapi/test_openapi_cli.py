"""``accord openapi check|diff`` and ``accord pact diff`` with real files: exit codes and output."""

import json
from pathlib import Path

from click.testing import CliRunner

from accord.cli.app import cli

CORPUS = Path(__file__).parent / "corpus"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), prog_name="accord")


def case(name: str) -> tuple[str, str]:
    folder = CORPUS / name
    return str(next(folder.glob("openapi.*"))), str(folder / "pact.json")


def test_check_exits_0_for_a_compatible_pact() -> None:
    result = run("openapi", "check", *case("ok-basic"))

    assert result.exit_code == 0, result.output
    assert "is compatible" in result.stdout


def test_check_exits_1_and_reports_the_field_both_ways() -> None:
    result = run("openapi", "check", *case("response-type-mismatch"))

    assert result.exit_code == 1
    assert "$.interactions[0].response.body.id" in result.stdout
    assert "/components/schemas/User/properties/id/type" in result.stdout


def test_check_json_output_is_one_document() -> None:
    spec, pact = case("undocumented-field")
    result = run("openapi", "check", spec, pact, "--strict", "-o", "json")

    assert result.exit_code == 1
    (comparison,) = json.loads(result.stdout)
    assert comparison["compatible"] is False
    assert comparison["findings"][0]["code"] == "response.body.unknown-field"


def test_check_exits_2_for_an_openapi_2_document(tmp_path: Path) -> None:
    spec = tmp_path / "swagger.yaml"
    spec.write_text('swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n')

    result = run("openapi", "check", str(spec), case("ok-basic")[1])

    assert result.exit_code == 2
    assert "convert it" in result.stderr


def test_diff_exits_1_on_a_breaking_change_and_names_the_consumer(tmp_path: Path) -> None:
    spec, pact = case("optional-field-relied-on")
    text = Path(spec).read_text()
    assert "        status:\n" in text
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(text.replace("        status:\n", "        state:\n", 1))

    result = run("openapi", "diff", spec, str(renamed), "--pacts", pact)

    assert result.exit_code == 1, result.output
    assert "consumer Web uses `status` in GET /users/{id}" in result.stdout


def test_diff_of_a_document_with_itself_exits_0() -> None:
    spec, _ = case("ok-basic")

    result = run("openapi", "diff", spec, spec)

    assert result.exit_code == 0
    assert "no differences" in result.stdout


def test_pact_diff_exits_1_when_the_new_pact_asks_more() -> None:
    _, old = case("ok-basic")
    _, new = case("optional-field-relied-on")

    asks_more = run("pact", "diff", old, new)
    asks_less = run("pact", "diff", new, old)

    assert asks_more.exit_code == 1
    assert "field status now expected" in asks_more.stdout
    assert asks_less.exit_code == 0


def test_help_has_examples() -> None:
    for command in (["openapi", "check"], ["openapi", "diff"], ["pact", "diff"]):
        result = run(*command, "-h")
        assert result.exit_code == 0
        assert "Examples:" in result.stdout
