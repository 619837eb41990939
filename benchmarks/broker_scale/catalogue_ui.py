"""Every page of the UI, asked as a browser asks it (``Accept: text/html``), with the pages'
own query forms (search, paging, labels, matrix filters, the can-i-deploy form), plus the
static assets, the API docs, the HAL browser and the relation docs."""

from benchmarks.broker_scale.question import Question, get, metadata_segment, page
from benchmarks.broker_scale.shape import (
    Shape,
    consumer_version_number,
    pact_sha,
    webhook_uuid,
)

PAIR = "/ui/pacts/provider/{provider}/consumer/{consumer}"
PACT_VERSION = PAIR + "/pact-version/{sha}"
MATRIX = "/ui/matrix/provider/{provider}/consumer/{consumer}"


def _pair(name: str, suffix: str, query: str = "", **values: str) -> Question:
    return page(name, PAIR + suffix, query, provider="P00", consumer="C00", **values)


def ui_questions(shape: Shape) -> list[Question]:
    cv = shape.latest_consumer_version
    hot_sha = pact_sha(0, 0, shape.pact_versions_per_pair - 1)
    newest = str(shape.provider_versions * shape.hot_repeats)
    pair = {"provider": "P00", "consumer": "C00"}
    return [
        page("UI index", "/ui/"),
        page("UI index (no slash)", "/ui"),
        page("UI index search", "/ui/", "search=C0"),
        page("UI index page 3", "/ui/", "page=3&pageSize=10"),
        page("UI index by label", "/ui/", "label=team-0"),
        page("UI pacticipants", "/ui/pacticipants"),
        page("UI pacticipants by label", "/ui/pacticipants", "label=team-0"),
        page("UI pacticipant", "/ui/pacticipants/{name}", name="C00"),
        page("UI provider page", "/ui/pacticipants/{name}", name="P00"),
        _pair("UI latest pact", "/latest"),
        _pair("UI pact by version", "/version/{version}", version=cv),
        _pair("UI pact changes", "/version/{number}/changes", number=cv),
        _pair(
            "UI pact changes (oldest)",
            "/version/{number}/changes",
            number=consumer_version_number(0),
        ),
        _pair(
            "UI verification",
            "/pact-version/{sha}/verification-results/{number}",
            sha=hot_sha,
            number=newest,
        ),
        _pair(
            "UI verification with metadata",
            "/pact-version/{sha}/metadata/{metadata}/verification-results/{number}",
            sha=hot_sha,
            metadata=metadata_segment(cv),
            number=newest,
        ),
        _pair("UI latest verification", "/latest-verification"),
        page("UI matrix of a pair", MATRIX, **pair),
        page("UI matrix latest by cvpv", MATRIX, "latestby=cvpv", **pair),
        page(
            "UI matrix filtered",
            MATRIX,
            "consumer_branch=main&provider_branch=main&latestby=cvp&success=true&limit=100",
            **pair,
        ),
        # a page of 15: ``prod`` pairs 18 rows at 10 % and hundreds at full size, so the
        # default page of 50 grew with the answer (18 -> 50 rows: 1.7x in p95), not the work
        page(
            "UI matrix by tags",
            MATRIX,
            "consumer_tag=prod&provider_tag=prod&limit=15",
            **pair,
        ),
        # every other consumer version and every provider version carry ``dev``: a tag meaning
        # thousands of versions (whole tags, ``domain/matrix/whole_tag.py``), a full default
        # page of 50 at both sizes
        page("UI matrix by busy tags", MATRIX, "consumer_tag=dev&provider_tag=dev", **pair),
        page("UI environments", "/ui/environments"),
        page("UI environment", "/ui/environments/{name}", name="production"),
        page(
            "UI environment of a pacticipant",
            "/ui/environments/{name}",
            "pacticipant=C00",
            name="production",
        ),
        page("UI webhooks", "/ui/webhooks"),
        page("UI webhook", "/ui/webhooks/{uuid}", uuid=webhook_uuid("pair")),
        page("UI can-i-deploy form", "/ui/can-i-deploy"),
        page(
            "UI can-i-deploy answer",
            "/ui/can-i-deploy",
            f"pacticipant=C00&version={cv}&environment=production",
        ),
        page("UI network", "/ui/network"),
        page("UI network focus", "/ui/network", "pacticipant=C00"),
        page(
            "UI network by label and environment",
            "/ui/network",
            "label=team-0&environment=production",
        ),
        page(
            "UI provider contract",
            "/ui/provider-contracts/provider/{provider}/version/{number}",
            provider="P00",
            number=shape.latest_provider_version,
        ),
        get("UI stylesheet", "/ui/accord.css", accept="text/css"),
        get("UI static script", "/ui/static/{name}", accept="*/*", name="webhook-test.js"),
        page("API docs", "/api-docs"),
        get("API docs asset", "/api-docs/{name}", accept="*/*", name="api-docs.js"),
        page("HAL browser", "/hal-browser"),
        get("HAL browser script", "/hal-browser/hal-browser.js", accept="*/*"),
        page("relation doc", "/doc/{rel}", "context=pacticipant", rel="versions"),
    ]
