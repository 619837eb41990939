"""``accord openapi publish``: a provider's document and its self-verification, to a broker.

The same request as ``pact pactflow publish-provider-contract``; the document is validated
here first, so a broken one fails with exit 2 before any request.
"""

from pathlib import Path
from typing import TYPE_CHECKING

import click

from accord.cli.commands._options import output_option, split_tags
from accord.cli.commands.openapi._inputs import openapi_stack
from accord.cli.connection import broker_command
from accord.cli.console import print_json, say
from accord.errors import OpenApiError

if TYPE_CHECKING:
    from accord.broker_client import BrokerClient


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
    openapi_stack().parse_openapi_text(text, source=source)
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


@click.command(
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
