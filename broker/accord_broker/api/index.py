"""``GET /`` (the HAL index clients discover everything from) and the heartbeat."""

from typing import Any

from fastapi import APIRouter, Request

from accord_broker.api.hal import HalResponse, link
from accord_broker.web.context import urls_for

router = APIRouter()

_RELATIONS: list[tuple[str, str, str, bool | None]] = [
    (
        "pb:publish-pact",
        "/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}",
        "Publish a pact",
        True,
    ),
    ("pb:publish-contracts", "/contracts/publish", "Publish contracts", False),
    ("pb:latest-pact-versions", "/pacts/latest", "Latest pact versions", False),
    (
        "pb:tagged-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/tag/{tag}",
        "All versions of a pact for a given consumer, provider and consumer version tag",
        False,
    ),
    (
        "pb:branch-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}",
        "All versions of pacts for a provider, for a named consumers branch",
        True,
    ),
    (
        "pb:latest-branch-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest/versions",
        "Latest version of pact for a provider, for a named consumers branch",
        True,
    ),
    (
        "pb:main-branch-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/versions",
        "All versions of pacts for a provider, for a named consumers main branch",
        True,
    ),
    (
        "pb:latest-main-branch-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/latest/versions",
        "Latest version of pact for a provider, for a named consumers main branch",
        True,
    ),
    (
        "pb:provider-pacts-with-main-branch",
        "/pacts/provider/{provider}/branch",
        "All pacts for a provider, for any consumers main branch",
        True,
    ),
    (
        "pb:provider-pacts-with-branch",
        "/pacts/provider/{provider}/branch/{branch}",
        "All pacts for a provider, for any consumers named branch",
        True,
    ),
    (
        "pb:latest-provider-pacts-with-main-branch",
        "/pacts/provider/{provider}/branch/latest",
        "Latest pact for a provider, for any consumers main branch",
        True,
    ),
    (
        "pb:latest-provider-pacts-with-branch",
        "/pacts/provider/{provider}/branch/{branch}/latest",
        "Latest pacts for a provider, for any consumers named branch",
        True,
    ),
    ("pb:pacticipants", "/pacticipants", "Pacticipants", False),
    ("pb:pacticipant", "/pacticipants/{pacticipant}", "Fetch pacticipant by name", True),
    (
        "pb:latest-provider-pacts",
        "/pacts/provider/{provider}/latest",
        "Latest pacts by provider",
        True,
    ),
    (
        "pb:latest-provider-pacts-with-tag",
        "/pacts/provider/{provider}/latest/{tag}",
        "Latest pacts for provider with the specified tag",
        True,
    ),
    (
        "pb:provider-pacts-with-tag",
        "/pacts/provider/{provider}/tag/{tag}",
        "All pact versions for the provider with the specified consumer version tag",
        True,
    ),
    (
        "pb:provider-pacts",
        "/pacts/provider/{provider}",
        "All pact versions for the specified provider",
        True,
    ),
    (
        "pb:latest-version",
        "/pacticipants/{pacticipant}/latest-version",
        "Latest pacticipant version",
        True,
    ),
    (
        "pb:latest-tagged-version",
        "/pacticipants/{pacticipant}/latest-version/{tag}",
        "Latest pacticipant version with the specified tag",
        True,
    ),
    ("pb:webhooks", "/webhooks", "Webhooks", False),
    ("pb:webhook", "/webhooks/{uuid}", "Webhook", True),
    ("pb:integrations", "/integrations", "Integrations", False),
    (
        "pb:pacticipant-version-tag",
        "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
        "Get, create or delete a tag for a pacticipant version",
        True,
    ),
    (
        "pb:pacticipant-branch",
        "/pacticipants/{pacticipant}/branches/{branch}",
        "Get or delete a pacticipant branch",
        True,
    ),
    (
        "pb:pacticipant-branch-version",
        "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
        "Get or add/create a pacticipant version for a branch",
        True,
    ),
    (
        "pb:pacticipant-version",
        "/pacticipants/{pacticipant}/versions/{version}",
        "Get, create or delete a pacticipant version",
        True,
    ),
    ("pb:metrics", "/metrics", "Get Pact Broker metrics", None),
    (
        "pb:can-i-deploy-pacticipant-version-to-tag",
        "/can-i-deploy?pacticipant={pacticipant}&version={version}&to={tag}",
        "Determine if an application version can be safely deployed to an environment "
        "identified by the given tag",
        True,
    ),
    (
        "pb:can-i-deploy-pacticipant-version-to-environment",
        "/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}",
        "Determine if an application version can be safely deployed to an environment",
        True,
    ),
    (
        "pb:provider-pacts-for-verification",
        "/pacts/provider/{provider}/for-verification",
        "Pact versions to be verified for the specified provider",
        True,
    ),
    (
        "beta:provider-pacts-for-verification",
        "/pacts/provider/{provider}/for-verification",
        "DEPRECATED - please use pb:provider-pacts-for-verification",
        True,
    ),
    ("pb:environments", "/environments", "Environments", False),
    ("pb:environment", "/environments/{uuid}", "Environment", True),
    (
        "pf:publish-provider-contract",
        "/provider-contracts/provider/{provider}/publish",
        "Publish a provider contract (OpenAPI) with its self-verification results",
        True,
    ),
]
"""(relation, path, title, templated) — the Pact Broker's index; ``None``: no ``templated`` key."""


def index_links(base: str) -> dict[str, Any]:
    links: dict[str, Any] = {"self": {"href": base, "title": "Index", "templated": False}}
    for relation, path, title, templated in _RELATIONS:
        entry: dict[str, Any] = {"href": base + path, "title": title}
        if templated is not None:
            entry["templated"] = templated
        if relation.startswith("beta:"):
            entry["name"] = "beta"
        links[relation] = entry
    links["curies"] = [
        {"name": "pb", "href": f"{base}/doc/{{rel}}?context=index", "templated": True},
        {"name": "beta", "href": f"{base}/doc/{{rel}}?context=index", "templated": True},
        {"name": "pf", "href": f"{base}/doc/{{rel}}?context=index", "templated": True},
    ]
    return links


@router.get("/")
def index(request: Request) -> HalResponse:
    return HalResponse({"_links": index_links(urls_for(request).base)})


@router.get("/diagnostic/status/heartbeat")
def heartbeat(request: Request) -> HalResponse:
    href = f"{urls_for(request).base}/diagnostic/status/heartbeat"
    return HalResponse({"ok": True, "_links": {"self": link(href)}})
