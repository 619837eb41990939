"""Questions about the HAL resources around the pacts: index, pacticipants, versions (paged),
branches, tags, labels, environments, deployments and releases, webhooks and their
deliveries, integrations, dashboard, groups, metrics, diagnostics and provider contracts."""

from benchmarks.broker_scale import whole_lists
from benchmarks.broker_scale.question import Question, WholeList, get
from benchmarks.broker_scale.shape import (
    RELEASE_EVERY,
    TRIGGER_EVERY,
    Shape,
    consumer_version_number,
    deployment_uuid,
    environment_uuid,
    release_uuid,
    triggered_uuid,
    webhook_uuid,
)

VERSION = "/pacticipants/{pacticipant}/versions/{number}"
BRANCH = "/pacticipants/{pacticipant}/branches/{branch}"


def _c00(
    name: str,
    template: str,
    query: str = "",
    whole_list: WholeList | None = None,
    **values: str,
) -> Question:
    return get(name, template, query, whole_list=whole_list, pacticipant="C00", **values)


def pacticipant_questions(shape: Shape) -> list[Question]:
    cv = shape.latest_consumer_version
    tagged = consumer_version_number((shape.consumer_versions - 1) // 50 * 50)
    production = environment_uuid("production")
    last_release = (shape.consumer_versions - 1) // RELEASE_EVERY * RELEASE_EVERY
    return [
        get("index", "/"),
        get("heartbeat", "/diagnostic/status/heartbeat"),
        get("pacticipants", "/pacticipants"),
        get("pacticipant", "/pacticipants/{name}", name="C00"),
        get("pacticipants by label", "/pacticipants/label/{label}", label="team-0"),
        get("labels", "/labels"),
        _c00("pacticipant label", "/pacticipants/{pacticipant}/labels/{label}", label="hot"),
        _c00(
            "versions (first page)",
            "/pacticipants/{pacticipant}/versions",
            whole_list=whole_lists.versions(shape),
        ),
        # a full page at 10 % too (300 versions): page 5 of 100 was empty there, so its growth
        # compared an empty answer with a full one
        _c00("versions (page 3 of 100)", "/pacticipants/{pacticipant}/versions", "page=3&size=100"),
        _c00("version", VERSION, number=cv),
        _c00("oldest version", VERSION, number=consumer_version_number(0)),
        _c00("latest version", "/pacticipants/{pacticipant}/latest-version"),
        _c00(
            "latest version with tag",
            "/pacticipants/{pacticipant}/latest-version/{tag}",
            tag="prod",
        ),
        _c00("version tag", VERSION + "/tags/{tag}", number=tagged, tag="prod"),
        _c00("branches", "/pacticipants/{pacticipant}/branches"),
        _c00("branch", BRANCH, branch="main"),
        _c00(
            "branch versions",
            BRANCH + "/versions",
            branch="main",
            whole_list=whole_lists.branch_versions(shape, "main"),
        ),
        _c00("branch latest version", BRANCH + "/latest-version", branch="main"),
        _c00(
            "branch version",
            BRANCH + "/versions/{number}",
            branch="main",
            number=shape.latest_main_version,
        ),
        get("environments", "/environments"),
        get("environment", "/environments/{uuid}", uuid=production),
        _c00(
            "deployed versions of a version",
            VERSION + "/deployed-versions/environment/{env_uuid}",
            number=cv,
            env_uuid=production,
        ),
        _c00(
            "released versions of a version",
            VERSION + "/released-versions/environment/{env_uuid}",
            number=consumer_version_number(last_release),
            env_uuid=production,
        ),
        get(
            "currently deployed",
            "/environments/{env_uuid}/deployed-versions/currently-deployed",
            env_uuid=production,
        ),
        get(
            "currently deployed of one pacticipant",
            "/environments/{env_uuid}/deployed-versions/currently-deployed",
            "pacticipant=C00",
            env_uuid=production,
        ),
        get(
            "currently supported",
            "/environments/{env_uuid}/released-versions/currently-supported",
            env_uuid=production,
        ),
        get("deployed version", "/deployed-versions/{uuid}", uuid=deployment_uuid(0, 0, 0)),
        get("released version", "/released-versions/{uuid}", uuid=release_uuid(0, last_release)),
    ]


def platform_questions(shape: Shape) -> list[Question]:
    last_trigger = (shape.consumer_versions - 1) // TRIGGER_EVERY * TRIGGER_EVERY
    return [
        get("webhooks", "/webhooks"),
        get("webhook", "/webhooks/{uuid}", uuid=webhook_uuid("pair")),
        get("webhooks of a provider", "/webhooks/provider/{provider}", provider="P00"),
        get("webhooks of a consumer", "/webhooks/consumer/{consumer}", consumer="C00"),
        get(
            "webhooks of a pair",
            "/webhooks/provider/{provider}/consumer/{consumer}",
            provider="P00",
            consumer="C00",
        ),
        get(
            "webhook execution logs",
            "/triggered-webhooks/{uuid}/logs",
            uuid=triggered_uuid("pair", last_trigger),
        ),
        get("integrations", "/integrations"),
        get("dashboard", "/dashboard"),
        get(
            "dashboard of a pair",
            "/dashboard/provider/{provider}/consumer/{consumer}",
            provider="P00",
            consumer="C00",
        ),
        get("group (network CSV)", "/groups/{pacticipant}", accept="text/csv", pacticipant="C00"),
        get("relationships (network CSV)", "/relationships", accept="text/csv"),
        get("relationships page (redirect)", "/ui/relationships", accept="text/html"),
        get("metrics (pb:metrics counts)", "/metrics"),
        get("metrics (Prometheus scrape)", "/metrics", accept="text/plain"),
        get("diagnostic dependencies", "/diagnostic/status/dependencies"),
        get("openapi document", "/openapi.json", accept="application/json"),
        get(
            "provider contract",
            "/provider-contracts/provider/{provider}/version/{number}",
            provider="P00",
            number=shape.latest_provider_version,
        ),
    ]
