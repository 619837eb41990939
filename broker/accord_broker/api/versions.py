"""Versions, tags, branches and branch versions of a pacticipant."""

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from accord_broker.api.bodies import json_object, parsed
from accord_broker.api.hal import HalResponse, link
from accord_broker.api.hal_lists import EncodedHalResponse, embedded_list_body
from accord_broker.api.provider_contracts import add_provider_contract_link
from accord_broker.api.render import (
    render_branch,
    render_branch_version,
    render_tag,
    render_version,
)
from accord_broker.api.render_versions import encoded_versions, version_links
from accord_broker.domain.limits import COUNT_MAX
from accord_broker.domain.versions import changes, tag_effects, versions
from accord_broker.domain.versions import views as version_views
from accord_broker.domain.versions.bodies import VersionBody
from accord_broker.errors import BrokerInputError
from accord_broker.web.context import broker_of, unit_of_work, urls_for

router = APIRouter()
JsonBody = Annotated[dict[str, Any], Depends(json_object)]
"""A body that is read (a JSON object) and ignored, as the Pact Broker ignores it."""
SentVersion = Annotated[VersionBody, Depends(parsed(VersionBody))]
P = "/pacticipants/{pacticipant:seg}"


def _created(rendered: dict[str, Any], created: bool) -> HalResponse:
    if created:
        href = rendered["_links"]["self"]["href"]
        return HalResponse(rendered, status_code=201, headers={"Location": href})
    return HalResponse(rendered)


def _check_at_most(**counts: int | None) -> None:
    """A 400 naming the paging parameter beyond ``COUNT_MAX`` (its offset would overflow)."""
    for name, value in counts.items():
        if value is not None and value > COUNT_MAX:
            message = f"must be at most {COUNT_MAX}"
            raise BrokerInputError(f"{name} {message}", errors={name: [message]})


@router.get(P + "/versions")
def list_versions(
    request: Request,
    pacticipant: str,
    *,
    page: int | None = None,
    size: int | None = None,
    pageNumber: int | None = None,  # noqa: N803 - the Pact Broker's legacy paging names
    pageSize: int | None = None,  # noqa: N803
) -> Response:
    """Versions newest first; ``?page=&size=`` (or ``pageNumber``/``pageSize``) returns one page.

    Without a paging parameter every version is listed, as the Pact Broker does (see
    docs/compatibility.md, "Unpaged lists are whole"); a long history is better read by page.
    """
    urls = urls_for(request)
    number = page if page is not None else pageNumber
    per_page = size if size is not None else pageSize
    if per_page is not None and number is None:
        number = 1
    if (number is not None and number < 1) or (per_page is not None and per_page < 1):
        raise BrokerInputError(
            "page and size must be at least 1", errors={"page": ["must be at least 1"]}
        )
    _check_at_most(page=number, size=per_page)
    size_used = per_page or 100
    with unit_of_work(request).read() as session:
        found, total = version_views.list_version_views(
            session, pacticipant, page=number, size=size_used
        )
    base = urls.versions(pacticipant)
    links: dict[str, Any] = {
        "self": link(base, title="All application versions of " + pacticipant),
        "pb:pacticipant": link(
            urls.pacticipant(pacticipant), title="Pacticipant", name=pacticipant
        ),
        "pb:versions": version_links(urls, pacticipant, found),
    }
    body: dict[str, Any] = {"_links": links}
    if number is not None:
        pages = max(1, -(-total // size_used))
        body["page"] = {
            "number": number,
            "size": size_used,
            "totalElements": total,
            "totalPages": pages,
        }
        if number < pages:
            links["next"] = link(f"{base}?size={size_used}&page={number + 1}", title="Next page")
        if number > 1:
            links["previous"] = link(
                f"{base}?size={size_used}&page={number - 1}", title="Previous page"
            )
    items = encoded_versions(urls, pacticipant, found)
    return EncodedHalResponse(embedded_list_body("versions", items, body))


@router.get(P + "/versions/{number:seg}")
def get_version(request: Request, pacticipant: str, number: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        version = version_views.version_view(session, pacticipant, number)
    rendered = render_version(urls_for(request), version)
    add_provider_contract_link(urls_for(request), version, rendered)
    return HalResponse(rendered)


def _upsert_version(
    request: Request, pacticipant: str, number: str, body: VersionBody, *, replace_tags: bool
) -> HalResponse:
    version, created = unit_of_work(request).write(
        partial(
            changes.upsert_version,
            pacticipant=pacticipant,
            number=number,
            body=body,
            replace_tags=replace_tags,
        )
    )
    return _created(render_version(urls_for(request), version), created)


@router.put(P + "/versions/{number:seg}")
def put_version(request: Request, pacticipant: str, number: str, body: SentVersion) -> HalResponse:
    return _upsert_version(request, pacticipant, number, body, replace_tags=True)


@router.patch(P + "/versions/{number:seg}")
def patch_version(
    request: Request, pacticipant: str, number: str, body: SentVersion
) -> HalResponse:
    return _upsert_version(request, pacticipant, number, body, replace_tags=False)


@router.delete(P + "/versions/{number:seg}")
def delete_version(request: Request, pacticipant: str, number: str) -> Response:
    unit_of_work(request).write(lambda s: versions.delete_version(s, pacticipant, number))
    return Response(status_code=204)


@router.get(P + "/latest-version")
def latest_version(request: Request, pacticipant: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        version = version_views.latest_version_view(session, pacticipant)
    return HalResponse(render_version(urls_for(request), version))


@router.get(P + "/latest-version/{tag:seg}")
def latest_tagged_version(request: Request, pacticipant: str, tag: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        version = version_views.latest_version_view(session, pacticipant, tag)
    return HalResponse(render_version(urls_for(request), version))


@router.get(P + "/versions/{number:seg}/tags/{tag:seg}")
def get_tag(request: Request, pacticipant: str, number: str, tag: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        found = version_views.tag_view(session, pacticipant, number, tag)
    return HalResponse(render_tag(urls_for(request), found))


@router.put(P + "/versions/{number:seg}/tags/{tag:seg}")
def put_tag(
    request: Request, pacticipant: str, number: str, tag: str, _body: JsonBody
) -> HalResponse:
    """Tag a version; the pacticipant and version are created if they do not exist yet.

    Tagging may also set the version's branch, the pacticipant's main branch and record a
    deployment to the environment named like the tag (see ``domain/versions/tag_effects.py``); the
    deployment is recorded even when the tag existed, as the Pact Broker's tag resource does.
    """
    effects = tag_effects.tag_effects_from_settings(broker_of(request).settings)
    found, created = unit_of_work(request).write(
        partial(
            changes.tag_version, pacticipant=pacticipant, number=number, tag=tag, effects=effects
        )
    )
    return _created(render_tag(urls_for(request), found), created)


@router.delete(P + "/versions/{number:seg}/tags/{tag:seg}")
def delete_tag(request: Request, pacticipant: str, number: str, tag: str) -> Response:
    unit_of_work(request).write(
        partial(changes.untag_version, pacticipant=pacticipant, number=number, tag=tag)
    )
    return Response(status_code=204)


@router.get(P + "/branches")
def list_branches(request: Request, pacticipant: str) -> HalResponse:
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        found = version_views.branch_views(session, pacticipant)
    rendered = [render_branch(urls, b) for b in found]
    return HalResponse(
        {
            "_embedded": {"branches": rendered},
            "_links": {
                "self": link(urls.branches(pacticipant)),
                "pb:branches": [
                    link(b["_links"]["self"]["href"], title="Branch", name=b["name"])
                    for b in rendered
                ],
            },
        }
    )


@router.get(P + "/branches/{branch:seg}")
def get_branch(request: Request, pacticipant: str, branch: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        found = version_views.branch_view(session, pacticipant, branch)
    return HalResponse(render_branch(urls_for(request), found))


@router.delete(P + "/branches/{branch:seg}")
def delete_branch(request: Request, pacticipant: str, branch: str) -> Response:
    unit_of_work(request).write(
        partial(changes.delete_branch, pacticipant=pacticipant, branch=branch)
    )
    return Response(status_code=204)


@router.get(P + "/branches/{branch:seg}/versions")
def branch_versions(request: Request, pacticipant: str, branch: str) -> Response:
    """Every version on the branch, most recently added first (unpaged, as the Pact Broker's)."""
    urls = urls_for(request)
    with unit_of_work(request).read() as session:
        found = version_views.branch_version_views(session, pacticipant, branch)
    items = encoded_versions(urls, pacticipant, found)
    rest = {"_links": {"self": link(f"{urls.branch(pacticipant, branch)}/versions")}}
    return EncodedHalResponse(embedded_list_body("versions", items, rest))


@router.get(P + "/branches/{branch:seg}/latest-version")
def branch_head(request: Request, pacticipant: str, branch: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        head = version_views.branch_head_view(session, pacticipant, branch)
    return HalResponse(render_version(urls_for(request), head))


@router.get(P + "/branches/{branch:seg}/versions/{number:seg}")
def get_branch_version(request: Request, pacticipant: str, branch: str, number: str) -> HalResponse:
    with unit_of_work(request).read() as session:
        found = version_views.branch_version_view(session, pacticipant, branch, number)
    return HalResponse(render_branch_version(urls_for(request), found))


@router.put(P + "/branches/{branch:seg}/versions/{number:seg}")
def put_branch_version(
    request: Request, pacticipant: str, branch: str, number: str, _body: JsonBody
) -> HalResponse:
    """Put a version on a branch; pacticipant, version and branch are created as needed."""
    effects = tag_effects.tag_effects_from_settings(broker_of(request).settings)
    found, created = unit_of_work(request).write(
        partial(
            changes.put_on_branch,
            pacticipant=pacticipant,
            number=number,
            branch=branch,
            effects=effects,
        )
    )
    return _created(render_branch_version(urls_for(request), found), created)


@router.delete(P + "/branches/{branch:seg}/versions/{number:seg}")
def delete_branch_version(request: Request, pacticipant: str, branch: str, number: str) -> Response:
    unit_of_work(request).write(
        partial(changes.remove_from_branch, pacticipant=pacticipant, number=number, branch=branch)
    )
    return Response(status_code=204)
