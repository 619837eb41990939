"""``accord openapi check|diff|publish``: bi-directional contract testing.

``check`` and ``diff`` work offline, before a push; ``publish`` sends the provider's document
(a file, or a FastAPI app's ``app.openapi()``) with its self-verification to a broker.

The OpenAPI stack (PyYAML, jsonschema, openapi-spec-validator) is imported only when one of
these commands runs, so ``accord --help`` and the other commands start as fast as before.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from accord.cli.commands._options import output_option, split_tags
from accord.cli.connection import broker_command
from accord.cli.console import print_json, say
from accord.errors import OpenApiError

if TYPE_CHECKING:
    from accord.broker_client import BrokerClient
    from accord.openapi import Comparison, OpenApiDocument
    from accord.openapi.spec_diff import SpecChange, Usage
    from accord.pact import Pact

INSTALL_HINT = "reinstall accord (`pip install --force-reinstall accord`): it depends on them"


def _openapi_stack() -> Any:
    """Import :mod:`accord.openapi`, or say exactly what is missing and how to get it."""
    try:
        import accord.openapi as stack
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise OpenApiError(
            "accord",
            "",
            f"the OpenAPI libraries are not installed ({exc.name} is missing)",
            INSTALL_HINT,
        ) from exc
    return stack


def _load_document(path: str) -> "OpenApiDocument":
    document: OpenApiDocument = _openapi_stack().load_openapi(path)
    return document


def _load_pacts(paths: tuple[str, ...]) -> list["Pact"]:
    from accord.errors import PactFormatError
    from accord.pact import load_pact

    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    pacts = []
    for file in files:
        try:
            pacts.append(load_pact(file))
        except PactFormatError:
            raise
        except (OSError, ValueError) as exc:
            raise OpenApiError(
                str(file), "", f"is not a readable pact file ({exc})", "give a pact JSON file"
            ) from exc
    return pacts


@click.group(
    "openapi",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""
\b
Examples:
  accord openapi check openapi.yaml pacts/
  accord openapi diff openapi-main.yaml openapi.yaml --pacts pacts/
  accord openapi publish --app accounts.app:app --provider Accounts -a $GIT_SHA \\
      --verification-success -b http://broker:9292
""",
)
def openapi_group() -> None:
    """Check consumer pacts against a provider's OpenAPI document, or publish it.

    This is bi-directional contract testing: the provider describes its API with an OpenAPI
    3.0 or 3.1 document, and each consumer pact is compared with it statically, offline
    (check, diff) or by a broker after `accord openapi publish`.
    """


@openapi_group.command(
    "check",
    epilog="""
\b
Examples:
  accord openapi check openapi.yaml pacts/Web-Users.json
  accord openapi check openapi.json pacts/ --strict --output json | jq '.[0].findings'
""",
)
@click.argument("spec", type=click.Path(dir_okay=False))
@click.argument("pacts", nargs=-1, required=True, type=click.Path())
@click.option(
    "--strict",
    is_flag=True,
    help="Treat a response field the document does not list as an error, even without "
    "additionalProperties: false (PactFlow's default).",
)
@output_option(["text", "json"], "text")
def check_command(spec: str, pacts: tuple[str, ...], strict: bool, output: str) -> None:
    """Compare each PACT (a file or a directory of pact files) with the OpenAPI document SPEC.

    The exit code is 0 when every pact is compatible, 1 when one is not (the report names each
    interaction, the JSON path in the pact and the JSON pointer in the document), and 2 when an
    input cannot be read.
    """
    stack = _openapi_stack()
    document = _load_document(spec)
    comparisons: list[Comparison] = [
        stack.compare_pact(document, pact, stack.CompareOptions(strict=strict))
        for pact in _load_pacts(pacts)
    ]
    if output == "json":
        print_json([c.to_json() for c in comparisons])
    else:
        for comparison in comparisons:
            _print_comparison(comparison)
    if not all(c.compatible for c in comparisons):
        click.get_current_context().exit(1)


def _print_comparison(comparison: "Comparison") -> None:
    pair = f"{comparison.consumer} → {comparison.provider}"
    counts = f"{len(comparison.errors)} error(s), {len(comparison.warnings)} warning(s)"
    if comparison.compatible:
        say(
            f"✅ {pair}: {comparison.pact_source} is compatible with {comparison.openapi_source} "
            f"({counts})",
            style="green",
        )
    else:
        say(
            f"❌ {pair}: {comparison.pact_source} is NOT compatible with "
            f"{comparison.openapi_source} ({counts})",
            style="red",
        )
    current = None
    for finding in comparison.findings:
        if finding.interaction != current:
            current = finding.interaction
            operation = f" → {finding.operation}" if finding.operation else ""
            say(f"\n  interaction {finding.interaction!r}{operation}")
        say(
            f"    {finding.severity.value:<7} {finding.code}: {finding.message}",
            style="red" if finding.severity.value == "error" else "yellow",
        )
        say(f"            pact:     {finding.pact_path}")
        if finding.openapi_pointer:
            say(f"            openapi:  {finding.openapi_pointer}")
        say(f"            consumer: {finding.expected}")
        say(f"            provider: {finding.documented}")
    if comparison.findings:
        say("")


@openapi_group.command(
    "diff",
    epilog="""
\b
Examples:
  accord openapi diff openapi-main.yaml openapi.yaml
  accord openapi diff old.yaml new.yaml --pacts pacts/ --output json
""",
)
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option(
    "--pacts",
    "pacts_dir",
    type=click.Path(),
    help="A directory (or file) of consumer pacts: only breaking changes a consumer relies on "
    "fail the command, and the report names the consumer, the field and the operation.",
)
@output_option(["text", "json"], "text")
def diff_command(old: str, new: str, pacts_dir: str | None, output: str) -> None:
    """List the changes from the OpenAPI document OLD to NEW and say which are breaking.

    The exit code is 1 when a change is breaking (with --pacts: when a consumer relies on a
    breaking change), 0 otherwise, and 2 when a document cannot be read.
    """
    from accord.openapi.spec_diff import diff_openapi, used_by

    old_document, new_document = _load_document(old), _load_document(new)
    changes = diff_openapi(old_document, new_document)
    pacts = _load_pacts((pacts_dir,)) if pacts_dir else None
    usages = {
        index: used_by(change, old_document, pacts) if pacts is not None else []
        for index, change in enumerate(changes)
        if change.breaking
    }
    failing = [i for i in usages if pacts is None or usages[i]]
    if output == "json":
        print_json(
            {
                "breaking": bool(failing),
                "changes": [
                    {
                        **change.to_json(),
                        "usedBy": [u.__dict__ for u in usages.get(i, [])]
                        if pacts is not None
                        else None,
                    }
                    for i, change in enumerate(changes)
                ],
            }
        )
    else:
        _print_changes(changes, usages, pacts is not None)
    if failing:
        click.get_current_context().exit(1)


def _print_changes(
    changes: list["SpecChange"], usages: dict[int, list["Usage"]], with_pacts: bool
) -> None:
    if not changes:
        say("✅ no differences a client could notice")
        return
    for index, change in enumerate(changes):
        if not change.breaking:
            say(f"  change    {change.operation}: {change.message}")
            continue
        used = usages.get(index, [])
        if with_pacts and not used:
            say(
                f"⚠️  breaking, but no consumer uses it: {change.operation}: {change.message}",
                style="yellow",
            )
        elif with_pacts:
            for usage in used:
                say(
                    f"❌ breaking, and consumer {usage.consumer} uses {usage.what} in "
                    f"{change.operation} (interaction {usage.interaction!r}): {change.message}",
                    style="red",
                )
        else:
            say(f"❌ breaking  {change.operation}: {change.message}", style="red")
        say(f"            at {change.pointer}")


_CONTENT_TYPES = {
    ".json": "application/json",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
}
_NOTICE_STYLES = {"error": "red", "warning": "yellow", "success": "green", "danger": "red"}


def _read_contract(
    spec: str | None, app: str | None, content_type: str | None
) -> tuple[str, str, str]:
    """(text, content type, where it came from) of the document to publish, validated here so
    that a broken document fails before any request, with exit 2."""
    if (spec is None) == (app is None):
        raise click.UsageError("give either an OpenAPI document file SPEC or --app module:app")
    if app is not None:
        from accord.openapi.apps import app_openapi_text

        text, source, media = app_openapi_text(app), app, "application/json"
    else:
        assert spec is not None
        path = Path(spec)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise OpenApiError(
                spec, "", f"cannot be read ({exc})", "check the path and that it is UTF-8 text"
            ) from exc
        source, media = spec, _CONTENT_TYPES.get(path.suffix.lower(), "application/yaml")
    _openapi_stack().parse_openapi_text(text, source=source)
    return text, content_type or media, source


def _read_results(path: str | None) -> bytes | None:
    if path is None:
        return None
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise click.BadParameter(
            f"cannot read {path} ({exc.strerror})", param_hint="--verification-results"
        ) from exc


def _self_verified(success: bool | None, exit_code: int | None) -> bool:
    if success is None and exit_code is None:
        raise click.UsageError(
            "say whether the provider's own tests of the document passed: "
            "--verification-success, --verification-failure or --verification-exit-code N "
            "(the broker refuses a provider contract without its self-verification)"
        )
    if success is not None and exit_code is not None and success != (exit_code == 0):
        raise click.UsageError(
            f"--verification-exit-code {exit_code} contradicts "
            f"--verification-{'success' if success else 'failure'}"
        )
    return success if success is not None else exit_code == 0


@openapi_group.command(
    "publish",
    epilog="""
\b
Examples:
  accord openapi publish --app accounts.app:app --provider Accounts -a $GIT_SHA --branch main \\
      --verification-exit-code $SCHEMATHESIS_EXIT --verification-results schemathesis.txt \\
      --verifier schemathesis -b http://broker:9292
  accord openapi publish openapi.yaml --provider Accounts -a 1.2.3 --verification-success
""",
)
@click.argument("spec", required=False, type=click.Path(dir_okay=False))
@click.option("--app", metavar="MODULE:APP", help="Publish app.openapi() of this FastAPI app.")
@click.option("--provider", required=True, metavar="NAME", help="The provider's name.")
@click.option(
    "-a", "--provider-app-version", metavar="VERSION", help="The provider version (git sha)."
)
@click.option("--branch", metavar="BRANCH", help="Repository branch of the provider version.")
@click.option(
    "-t", "--tag", multiple=True, metavar="TAG[,TAG]", help="Tag(s) for the provider version."
)
@click.option("--build-url", metavar="URL", help="The build that produced the document.")
@click.option(
    "-r",
    "--auto-detect-version-properties",
    is_flag=True,
    help="Detect the branch, commit (as the version, when none is given) and build URL from CI "
    "environment variables or git.",
)
@click.option(
    "--content-type",
    type=click.Choice(["application/json", "application/yaml"]),
    help="The document's media type (default: from the file name; JSON with --app).",
)
@click.option(
    "--verification-success/--verification-failure",
    "verification_success",
    default=None,
    help="Whether the provider's own tests of the document (its self-verification) passed.",
)
@click.option(
    "--verification-exit-code",
    type=int,
    metavar="N",
    help="The exit code of the self-verification tool (0: passed), as the pact CLI takes it.",
)
@click.option(
    "--verification-results",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="The self-verification's report, published with the contract.",
)
@click.option(
    "--verification-results-content-type",
    default="text/plain",
    show_default=True,
    metavar="TYPE",
    help="Media type of the report.",
)
@click.option(
    "--verification-results-format", metavar="FORMAT", help="Format of the report (e.g. text)."
)
@click.option("--verifier", metavar="NAME", help="The self-verification tool (e.g. schemathesis).")
@click.option("--verifier-version", metavar="VERSION", help="The tool's version.")
@output_option(["text", "json"], "text")
@broker_command
def publish_command(
    *,
    client: "BrokerClient",
    spec: str | None,
    app: str | None,
    provider: str,
    provider_app_version: str | None,
    branch: str | None,
    tag: tuple[str, ...],
    build_url: str | None,
    auto_detect_version_properties: bool,
    content_type: str | None,
    verification_success: bool | None,
    verification_exit_code: int | None,
    verification_results: str | None,
    verification_results_content_type: str,
    verification_results_format: str | None,
    verifier: str | None,
    verifier_version: str | None,
    output: str,
) -> None:
    """Publish a provider's OpenAPI document (SPEC, or --app's app.openapi()) to a broker.

    The document goes with the provider's self-verification (the result of its own tests of
    it, e.g. schemathesis against the app); the broker compares it with the consumers' pacts
    and can-i-deploy answers from the comparisons. The same request as `pact pactflow
    publish-provider-contract`. Exit 0 when published, 2 when the document or an option is
    unusable, 1 when the broker refuses it.
    """
    from accord.broker_client.provider_contracts import (
        ProviderContract,
        SelfVerification,
        publish_provider_contract,
    )
    from accord.broker_client.publishing import VersionProperties

    success = _self_verified(verification_success, verification_exit_code)
    text, media_type, source = _read_contract(spec, app, content_type)
    results = _read_results(verification_results)
    version = _provider_version(
        provider_app_version, branch, build_url, auto_detect_version_properties
    )
    published = publish_provider_contract(
        client,
        ProviderContract(provider, text.encode("utf-8"), media_type),
        VersionProperties(
            number=version[0], branch=version[1], tags=split_tags(tag), build_url=version[2]
        ),
        SelfVerification(
            success=success,
            verifier=verifier,
            verifier_version=verifier_version,
            content=results,
            content_type=verification_results_content_type if results is not None else None,
            format=verification_results_format,
        ),
    )
    if output == "json":
        print_json(published.response)
        return
    say(f"Published the provider contract {source} of {provider} version {version[0]}")
    for kind, line in published.notices:
        say(line, style=_NOTICE_STYLES.get(kind))


def _provider_version(
    number: str | None, branch: str | None, build_url: str | None, auto_detect: bool
) -> tuple[str, str | None, str | None]:
    if auto_detect:
        from accord.vcs import detect_branch, detect_build_url, detect_commit

        cwd = Path.cwd()
        number = number or detect_commit(cwd)
        branch = branch or detect_branch(cwd)
        build_url = build_url or detect_build_url()
    if not number:
        raise click.UsageError(
            "no provider version: pass --provider-app-version (e.g. the git sha), or "
            "--auto-detect-version-properties inside a git checkout or CI job"
        )
    return number, branch, build_url


COMMANDS = [openapi_group]
