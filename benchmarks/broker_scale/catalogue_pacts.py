"""Questions about pacts: the pact resources (by version, latest, tag, branch, pact version,
metadata), their lists, diffs, verification results, badges and provider states. Values come
from the hot pair C00-P00 (thousands of consumer versions, the hot pact version's 15,000
verification results)."""

from benchmarks.broker_scale import whole_lists
from benchmarks.broker_scale.question import Question, WholeList, get, metadata_segment
from benchmarks.broker_scale.shape import (
    Shape,
    consumer_version_number,
    pact_sha,
)

PAIR = "/pacts/provider/{provider}/consumer/{consumer}"
PACT_VERSION = PAIR + "/pact-version/{sha}"
PROVIDER = "/pacts/provider/{provider}"


def _pair(
    name: str,
    suffix: str,
    query: str = "",
    whole_list: WholeList | None = None,
    **values: str,
) -> Question:
    return get(
        name,
        PAIR + suffix,
        query,
        whole_list=whole_list,
        provider="P00",
        consumer="C00",
        **values,
    )


def _provider(
    name: str, suffix: str, whole_list: WholeList | None = None, **values: str
) -> Question:
    return get(name, PROVIDER + suffix, whole_list=whole_list, provider="P00", **values)


def pact_questions(shape: Shape) -> list[Question]:
    cv = shape.latest_consumer_version
    previous_distinct = consumer_version_number(shape.consumer_versions - 11)
    hot_sha = pact_sha(0, 0, shape.pact_versions_per_pair - 1)
    older_sha = pact_sha(0, 0, shape.pact_versions_per_pair - 2)
    meta = metadata_segment(cv)
    feature_branch = whole_lists.pair_branch_pacts(shape, "feat-7")
    return [
        _pair("pact by version", "/version/{number}", number=cv),
        _pair("pact latest", "/latest"),
        _pair("pact latest tag", "/latest/{tag}", tag="prod"),
        _pair(
            "pact tag (latest)",
            "/tag/{tag}",
            tag="dev",
            whole_list=whole_lists.pair_tagged_pacts(shape, "dev"),
        ),
        _pair("pact branch latest", "/branch/{branch}/latest", branch="main"),
        _pair("pact by pact version", "/pact-version/{sha}", sha=hot_sha),
        _pair(
            "pact by pact version with metadata",
            "/pact-version/{sha}/metadata/{metadata}",
            sha=hot_sha,
            metadata=meta,
        ),
        _pair(
            "pact versions of the pair",
            "/versions",
            whole_list=whole_lists.pair_pact_versions(shape),
        ),
        _pair("pact previous distinct", "/version/{number}/previous-distinct", number=cv),
        _pair("pact diff previous distinct", "/version/{number}/diff/previous-distinct", number=cv),
        _pair(
            "pact diff with version",
            "/version/{number}/diff/version/{other}",
            number=cv,
            other=previous_distinct,
        ),
        _pair(
            "pact diff pact versions",
            "/pact-version/{sha}/diff/pact-version/{other}",
            sha=hot_sha,
            other=older_sha,
        ),
        _pair("pair webhooks", "/webhooks"),
        _pair("pair webhook status", "/webhooks/status"),
        _pair(
            "triggered webhooks of a publication", "/version/{number}/triggered-webhooks", number=cv
        ),
        # branch pacts
        # every pact of C00's main branch (pb:main-branch-pact-versions), not only its heads
        _pair(
            "pair branch heads",
            "/branch",
            whole_list=whole_lists.pair_branch_pacts(shape, "main"),
        ),
        _pair("pair branch latest", "/branch/latest"),
        _pair(
            "pair branch versions",
            "/branch/versions",
            whole_list=whole_lists.pair_branch_pacts(shape, "main"),
        ),
        _pair("pair branch latest versions", "/branch/latest/versions"),
        _pair(
            "pair branch pacts",
            "/branch/{branch}",
            branch="main",
            whole_list=whole_lists.pair_branch_pacts(shape, "main"),
        ),
        # a short feature branch: its own few versions' pacts, not a walk of the pair's pacts
        # (one version in four is on one of 50 feature branches, so it grows with the history;
        # the tests' smallest shape has at most one version on any, no history to list)
        _pair(
            "pair feature branch pacts",
            "/branch/{branch}",
            branch="feat-7",
            whole_list=feature_branch if feature_branch.items > 1 else None,
        ),
        _pair(
            "pair branch latest pact versions", "/branch/{branch}/latest/versions", branch="main"
        ),
        _provider("provider pacts", "", whole_list=whole_lists.provider_pacts(shape)),
        _provider("provider latest pacts", "/latest"),
        _provider("provider latest tagged pacts", "/latest/{tag}", tag="prod"),
        _provider(
            "provider tagged pacts",
            "/tag/{tag}",
            tag="dev",
            whole_list=whole_lists.provider_tagged_pacts(shape, "dev"),
        ),
        _provider(
            "provider branch heads",
            "/branch",
            whole_list=whole_lists.provider_branch_pacts(shape, "main"),
        ),
        _provider("provider branch latest", "/branch/latest"),
        _provider(
            "provider branch pacts",
            "/branch/{branch}",
            branch="main",
            whole_list=whole_lists.provider_branch_pacts(shape, "main"),
        ),
        _provider("provider branch latest pacts", "/branch/{branch}/latest", branch="main"),
        _provider("provider states", "/provider-states"),
        _provider("provider states of a branch", "/provider-states/branch/{branch}", branch="main"),
        _provider(
            "provider states in an environment",
            "/provider-states/environment/{environment}",
            environment="production",
        ),
        get("latest pacts", "/pacts/latest"),
    ]


def verification_questions(shape: Shape) -> list[Question]:
    hot_sha = pact_sha(0, 0, shape.pact_versions_per_pair - 1)
    meta = metadata_segment(shape.latest_consumer_version)
    newest = str(shape.provider_versions * shape.hot_repeats)
    return [
        _pair(
            "verification latest (hot pact)",
            "/pact-version/{sha}/verification-results/latest",
            sha=hot_sha,
        ),
        _pair(
            "verification by number (hot pact)",
            "/pact-version/{sha}/verification-results/{number}",
            sha=hot_sha,
            number=newest,
        ),
        _pair(
            "verification with metadata",
            "/pact-version/{sha}/metadata/{metadata}/verification-results/{n}",
            sha=hot_sha,
            metadata=meta,
            n=newest,
        ),
        _pair(
            "triggered webhooks of a verification",
            "/pact-version/{sha}/verification-results/{number}/triggered-webhooks",
            sha=hot_sha,
            number=newest,
        ),
    ]


BADGE_PAIR = PAIR


def badge_questions(shape: Shape) -> list[Question]:
    del shape
    asked: list[Question] = []
    for suffix in ("", ".svg"):
        kind = ".svg" if suffix else "no extension"
        asked += [
            _pair(f"badge latest ({kind})", "/latest/badge" + suffix),
            _pair(f"badge latest untagged ({kind})", "/latest-untagged/badge" + suffix),
            _pair(f"badge latest tag ({kind})", "/latest/{tag}/badge" + suffix, tag="prod"),
            _pair(
                f"badge branch ({kind})", "/branch/{branch}/latest/badge" + suffix, branch="main"
            ),
            get(
                f"badge matrix tags ({kind})",
                "/matrix/provider/{provider}/latest/{provider_tag}/consumer/{consumer}"
                "/latest/{consumer_tag}/badge" + suffix,
                provider="P00",
                provider_tag="prod",
                consumer="C00",
                consumer_tag="prod",
            ),
            get(
                f"badge can-i-deploy tag ({kind})",
                "/pacticipants/{pacticipant}/latest-version/{tag}/can-i-deploy/to/{to}/badge"
                + suffix,
                pacticipant="C00",
                tag="dev",
                to="prod",
            ),
            get(
                f"badge can-i-deploy branch ({kind})",
                "/pacticipants/{pacticipant}/branches/{branch}/latest-version/can-i-deploy"
                "/to-environment/{env}/badge" + suffix,
                pacticipant="C00",
                branch="main",
                env="production",
            ),
        ]
    return asked
