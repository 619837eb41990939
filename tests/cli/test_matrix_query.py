"""The matrix query and the selector grouping reproduce what `pact broker can-i-deploy` sends."""

import click
import pytest

from accord.broker_client.matrix import (
    MatrixQuery,
    VersionSelector,
    explain,
    matrix_query_string,
)
from accord.cli.selector_args import parse_selector_args

VALUED = {"-b", "--broker-base-url", "--to-environment", "--to", "-o", "--output"}


def query_for(*argv: str, **options: object) -> str:
    parsed = parse_selector_args(argv, VALUED)
    return matrix_query_string(MatrixQuery(parsed.selectors, parsed.ignore, **options))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("argv", "options", "expected"),
    [
        (
            ["-a", "UserWeb", "-e", "1.0.0"],
            {"to_environment": "production"},
            "q[][pacticipant]=UserWeb&q[][version]=1.0.0&latestby=cvpv&environment=production",
        ),
        (
            ["-a", "UserWeb", "--latest"],
            {},
            "q[][pacticipant]=UserWeb&q[][latest]=true&latestby=cvp&latest=true",
        ),
        (
            ["-a", "UserWeb", "--latest", "dev"],
            {},
            "q[][pacticipant]=UserWeb&q[][latest]=true&q[][tag]=dev&latestby=cvp&latest=true",
        ),
        (
            ["-a", "UserWeb", "--branch", "main"],
            {},
            "q[][pacticipant]=UserWeb&q[][branch]=main&latestby=cvp&latest=true",
        ),
        (
            ["-a", "UserWeb", "--main-branch"],
            {},
            "q[][pacticipant]=UserWeb&q[][mainBranch]=true&latestby=cvp&latest=true",
        ),
        (
            ["-a", "UserWeb", "-e", "1.0.0"],
            {"to_tag": "prod"},
            "q[][pacticipant]=UserWeb&q[][version]=1.0.0&tag=prod&latestby=cvp&latest=true",
        ),
        (
            ["-a", "UserWeb", "-e", "1.0.0", "-a", "UserAPI", "-e", "2.0.2"],
            {},
            "q[][pacticipant]=UserWeb&q[][version]=1.0.0&q[][pacticipant]=UserAPI"
            "&q[][version]=2.0.2&latestby=cvpv",
        ),
        (
            ["-a", "A", "-e", "1", "--ignore", "UserWeb", "--version", "1.0.0"],
            {"to_environment": "production"},
            "q[][pacticipant]=A&q[][version]=1&ignore[][pacticipant]=UserWeb"
            "&ignore[][version]=1.0.0&latestby=cvpv&environment=production",
        ),
        (
            ["-a", "UserWeb", "-e", "1.0.0"],
            {"main_branch": True},
            "q[][pacticipant]=UserWeb&q[][version]=1.0.0&latestby=cvp&latest=true&mainBranch=true",
        ),
    ],
)
def test_the_query_matches_the_official_cli(
    argv: list[str], options: dict[str, object], expected: str
) -> None:
    assert query_for(*argv, **options) == expected


def test_values_are_percent_encoded_including_slashes() -> None:
    query = query_for("-a", "My App", "--branch", "feat/x y", "-e", "1.0.0+b5")

    assert query.startswith(
        "q[][pacticipant]=My%20App&q[][version]=1.0.0%2Bb5&q[][branch]=feat%2Fx%20y&"
    )


def test_other_options_and_their_values_are_skipped() -> None:
    parsed = parse_selector_args(
        ["-b", "http://b", "--pacticipant=Web", "-o", "json", "--version=1", "--dry-run"], VALUED
    )

    assert parsed.selectors == [VersionSelector("Web", version="1")]


def test_a_version_before_any_pacticipant_is_a_usage_error() -> None:
    with pytest.raises(click.UsageError, match="must come after the --pacticipant"):
        parse_selector_args(["-e", "1.0.0", "-a", "Web"], VALUED)


def test_explain_gives_one_sentence_per_failing_or_unverified_row() -> None:
    body = {
        "summary": {"deployable": False, "reason": "broker reason"},
        "matrix": [
            {
                "consumer": {"name": "Web", "version": {"number": "1"}},
                "provider": {"name": "Accounts", "version": {"number": "7"}},
                "pact": {"_links": {"self": {"href": "http://b/pact/1"}}},
                "verificationResult": {
                    "success": False,
                    "_links": {"self": {"href": "http://b/verification/3"}},
                },
            },
            {
                "consumer": {"name": "Web", "version": {"number": "1"}},
                "provider": {"name": "Transfers", "version": None},
                "pact": {"_links": {"self": {"href": "http://b/pact/2"}}},
                "verificationResult": None,
            },
            {
                "consumer": {"name": "Web", "version": {"number": "1"}},
                "provider": {"name": "Ledger", "version": {"number": "2"}},
                "verificationResult": {"success": True},
            },
        ],
    }

    sentences = explain(body, environment="production")

    assert sentences == [
        "The verification of the pact between Web 1 and Accounts 7 failed: http://b/verification/3",
        "The pact between Web 1 and Transfers has not been verified by any version of "
        "Transfers in production; pact: http://b/pact/2",
    ]


def test_explain_falls_back_to_the_brokers_reason() -> None:
    body = {"summary": {"deployable": False, "reason": "No version 9 of Web\nsecond"}, "matrix": []}

    assert explain(body) == ["No version 9 of Web", "second"]
