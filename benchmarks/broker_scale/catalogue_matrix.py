"""Every query form of the matrix, can-i-deploy, can-i-merge and for-verification: what the
official clients (``pact broker can-i-deploy|can-i-merge``, the verifiers), the UI's matrix
links and scripts send (research/clients.md section 4), on the hot pair C00-P00."""

from datetime import timedelta

from benchmarks.broker_scale import whole_lists
from benchmarks.broker_scale.question import HAL, Question, WholeList, get
from benchmarks.broker_scale.shape import NOW, Shape

MATRIX = "/matrix"
PAIR = "q[][pacticipant]=C00&q[][pacticipant]=P00"


def matrix_questions(shape: Shape) -> list[Question]:
    cv, pv = shape.latest_consumer_version, shape.latest_provider_version
    one = f"q[][pacticipant]=C00&q[][version]={cv}"
    return [
        get("matrix pair cvpv", MATRIX, f"{PAIR}&latestby=cvpv&limit=100"),
        get("matrix pair every row", MATRIX, f"{PAIR}&limit=100"),
        get("matrix pair cvp", MATRIX, f"{PAIR}&latestby=cvp&limit=100"),
        get("matrix pair success", MATRIX, f"{PAIR}&success[]=true&limit=100"),
        get("matrix one version (hot pact)", MATRIX, one),
        get("matrix two versions", MATRIX, f"{one}&q[][pacticipant]=P00&q[][version]={pv}"),
        get("can-i-deploy consumer", MATRIX, f"{one}&latestby=cvpv&environment=production"),
        get(
            "can-i-deploy provider",
            MATRIX,
            f"q[][pacticipant]=P00&q[][version]={pv}&latestby=cvpv&environment=production",
        ),
        get(
            "can-i-deploy --latest",
            MATRIX,
            "q[][pacticipant]=C00&q[][latest]=true&latestby=cvp&latest=true",
        ),
        get(
            "can-i-deploy --latest dev",
            MATRIX,
            "q[][pacticipant]=C00&q[][latest]=true&q[][tag]=dev&latestby=cvp&latest=true",
        ),
        get(
            "can-i-deploy --branch",
            MATRIX,
            "q[][pacticipant]=C00&q[][branch]=main&latestby=cvp&latest=true",
        ),
        get(
            "can-i-deploy --branch --to-environment",
            MATRIX,
            "q[][pacticipant]=C00&q[][branch]=main&latestby=cvpv&environment=production",
        ),
        get(
            "can-i-deploy feature branch",
            MATRIX,
            "q[][pacticipant]=C00&q[][branch]=feat-7&latestby=cvpv&environment=production",
        ),
        get(
            "can-i-deploy --main-branch",
            MATRIX,
            "q[][pacticipant]=C00&q[][mainBranch]=true&latestby=cvp&latest=true",
        ),
        get("can-i-deploy --to prod", MATRIX, f"{one}&tag=prod&latestby=cvp&latest=true"),
        get(
            "can-i-deploy --ignore",
            MATRIX,
            f"{one}&ignore[][pacticipant]=P01&latestby=cvpv&environment=production",
        ),
        get("can-i-merge (matrix)", MATRIX, f"{one}&latestby=cvp&latest=true&mainBranch=true"),
        get(
            "can-i-merge",
            "/pacticipants/{pacticipant}/main-branch/can-i-merge",
            f"version={cv}",
            pacticipant="C00",
        ),
        get(
            "can-i-deploy endpoint",
            "/can-i-deploy",
            f"pacticipant=C00&version={cv}&environment=production",
        ),
        get(
            "can-i-deploy endpoint --to tag",
            "/can-i-deploy",
            f"pacticipant=C00&version={cv}&to=prod",
        ),
        get(
            "can-i-deploy branch to environment",
            "/pacticipants/{pacticipant}/branches/{branch}/latest-version/can-i-deploy"
            "/to-environment/{env}",
            pacticipant="C00",
            branch="main",
            env="production",
        ),
        get(
            "can-i-deploy tag to tag",
            "/pacticipants/{pacticipant}/latest-version/{tag}/can-i-deploy/to/{to}",
            pacticipant="C00",
            tag="dev",
            to="prod",
        ),
        get(
            "matrix for integration",
            "/matrix/provider/{provider}/consumer/{consumer}",
            provider="P00",
            consumer="C00",
        ),
    ]


FOR_VERIFICATION = "/pacts/provider/{provider}/for-verification"


def _post(name: str, body: dict[str, object], whole_list: WholeList | None = None) -> Question:
    return Question(
        name,
        "POST",
        FOR_VERIFICATION,
        {"provider": "P00"},
        body=body,
        accept=HAL,
        whole_list=whole_list,
    )


def for_verification_questions(shape: Shape) -> list[Question]:
    since = (NOW - timedelta(days=30)).date().isoformat()
    main_and_deployed = [{"mainBranch": True}, {"deployedOrReleased": True}]
    wip = {
        "consumerVersionSelectors": main_and_deployed,
        "includePendingStatus": True,
        "includeWipPactsSince": since,
        "providerVersionBranch": "main",
    }
    return [
        _post("for-verification (WIP)", wip),
        # a provider's first build on a new branch: every pact's pending status is asked of a
        # branch that verified nothing yet
        _post("for-verification (new branch)", {**wip, "providerVersionBranch": "feat-new"}),
        _post(
            "for-verification (pending, no WIP)",
            {
                "consumerVersionSelectors": main_and_deployed,
                "includePendingStatus": True,
                "providerVersionBranch": "main",
            },
        ),
        _post("for-verification (no selectors)", {}),
        # each selector picks the newest version of something: an answer of the same size at
        # every scale ({"tag": "prod"} without "latest", every prod version, made it grow
        # with the history; that list is the next question's)
        _post(
            "for-verification (branch, latest, tag)",
            {
                "consumerVersionSelectors": [
                    {"branch": "main"},
                    {"branch": "feat-7", "fallbackBranch": "main"},
                    {"latest": True},
                    {"tag": "dev", "latest": True},
                    {"tag": "prod", "latest": True},
                    {"consumer": "C00", "latest": True},
                ],
                "includePendingStatus": True,
                "providerVersionBranch": "main",
            },
        ),
        # every version with a tag (not only the newest): one pact per distinct content of
        # them, a list as long as the tag's history, so bounded by its cost per pact
        _post(
            "for-verification (every version of a tag)",
            {
                "consumerVersionSelectors": [{"tag": "dev"}],
                "includePendingStatus": True,
                "providerVersionBranch": "main",
            },
            whole_list=whole_lists.pacts_to_verify_of_tag(shape, "dev"),
        ),
        _post(
            "for-verification (deployed, released, environment)",
            {
                "consumerVersionSelectors": [
                    {"deployed": True},
                    {"released": True},
                    {"environment": "production"},
                    {"deployed": True, "environment": "staging"},
                ],
                "includePendingStatus": True,
                "providerVersionBranch": "main",
            },
        ),
        _post(
            "for-verification (matchingBranch)",
            {
                "consumerVersionSelectors": [{"matchingBranch": True}, {"mainBranch": True}],
                "includePendingStatus": True,
                "includeWipPactsSince": since,
                "providerVersionBranch": "feat-7",
            },
        ),
        _post(
            "for-verification (tags, pending by tag)",
            {
                "consumerVersionTags": ["dev", "prod"],
                "providerVersionTags": ["dev"],
                "includePendingStatus": True,
                "includeWipPactsSince": since,
            },
        ),
        get(
            "for-verification (GET)",
            FOR_VERIFICATION,
            "include_pending_status=true&provider_version_branch=main",
            provider="P00",
        ),
    ]
