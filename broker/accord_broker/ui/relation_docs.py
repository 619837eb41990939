"""``/doc/{rel}``: the short page each HAL relation's curie points at.

Every resource's ``curies`` say ``pb:foo`` is documented at ``/doc/foo?context=…`` (the HAL
browser shows a "docs" link next to each relation). The Pact Broker answers every name, known
or not, with a page; accord answers the relations it advertises and 404 for others, so a
relation added without its sentence here fails ``tests/broker/test_advertised_links.py``.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from accord_broker.ui.negotiation import UI_PREFIX
from accord_broker.ui.templating import render
from accord_broker.web.context import urls_for

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class RelationDoc:
    summary: str
    methods: tuple[str, ...] = ("GET",)


_PACT_LISTS = "A HAL list of pacts (each with its consumer version and a link to the pact)."

DOCS: dict[str, RelationDoc] = {
    "all-pact-versions": RelationDoc(
        "Every version of the pact between this consumer and provider, newest first."
    ),
    "branch-pact-versions": RelationDoc(
        f"The pacts published by the consumer's versions on a branch. {_PACT_LISTS}"
    ),
    "branch-version": RelationDoc(
        "A version's membership of a branch: get it, add the version to the branch (PUT), or "
        "remove it.",
        ("GET", "PUT", "DELETE"),
    ),
    "branches": RelationDoc("The pacticipant's branches, newest first."),
    "can-i-deploy-badge": RelationDoc(
        "An SVG badge saying whether the latest version with a tag can be deployed to an "
        "environment tag."
    ),
    "can-i-deploy-branch-to-environment-badge": RelationDoc(
        "An SVG badge saying whether the latest version of a branch can be deployed to an "
        "environment."
    ),
    "can-i-deploy-pacticipant-version-to-environment": RelationDoc(
        "Can this version be deployed to the environment? The answer, its reasons and the matrix "
        "rows behind it."
    ),
    "can-i-deploy-pacticipant-version-to-tag": RelationDoc(
        "Can this version be deployed where the versions with this tag are? The answer, its "
        "reasons and the matrix rows behind it."
    ),
    "consumer": RelationDoc("The consumer of this pact."),
    "consumer-version": RelationDoc("The consumer version that published this pact."),
    "consumer-webhooks": RelationDoc(
        "The webhooks that fire for this pact's consumer.", ("GET", "POST")
    ),
    "currently-deployed-deployed-versions": RelationDoc(
        "The versions currently deployed to this environment."
    ),
    "currently-supported-released-versions": RelationDoc(
        "The released versions this environment still supports."
    ),
    "dashboard": RelationDoc("The integration's latest pact and verification as dashboard JSON."),
    "delete_integration": RelationDoc(
        "Delete the integration: its pacts, verification results and webhooks.", ("DELETE",)
    ),
    "deployed-environments": RelationDoc(
        "The environments where this pacticipant has a version deployed."
    ),
    "diff": RelationDoc(
        "A text diff between this pact version and another one (given by its SHA)."
    ),
    "diff-previous-distinct": RelationDoc(
        "A text diff between this pact and the previous pact with different content."
    ),
    "environment": RelationDoc(
        "One environment: its name, display name, whether it is production, and its contacts.",
        ("GET", "PUT", "DELETE"),
    ),
    "environments": RelationDoc("Every environment; POST creates one.", ("GET", "POST")),
    "execute": RelationDoc(
        "Run this webhook now against the latest pact and show the request and response.", ("POST",)
    ),
    "group": RelationDoc(
        "The pacticipant's network (everything connected to it through integrations) as CSV."
    ),
    "integrations": RelationDoc(
        "Every consumer → provider integration with links to its dashboard, matrix, group and "
        "deletion. DELETE removes them all.",
        ("GET", "DELETE"),
    ),
    "label": RelationDoc(
        "A label on this pacticipant (a team, a domain…): PUT adds it, DELETE removes it.",
        ("GET", "PUT", "DELETE"),
    ),
    "latest-branch-pact-versions": RelationDoc(
        f"The latest pacts published from a consumer branch. {_PACT_LISTS}"
    ),
    "latest-main-branch-pact-versions": RelationDoc(
        f"The latest pacts published from the consumer's main branch. {_PACT_LISTS}"
    ),
    "latest-pact-version": RelationDoc("The latest pact between this consumer and provider."),
    "latest-pact-versions": RelationDoc(f"The latest pact of every integration. {_PACT_LISTS}"),
    "latest-provider-pacts": RelationDoc(
        f"The latest pact of each of the provider's consumers. {_PACT_LISTS}"
    ),
    "latest-provider-pacts-with-branch": RelationDoc(
        f"The latest pact of each consumer's named branch. {_PACT_LISTS}"
    ),
    "latest-provider-pacts-with-main-branch": RelationDoc(
        f"The latest pact of each consumer's main branch. {_PACT_LISTS}"
    ),
    "latest-provider-pacts-with-tag": RelationDoc(
        f"The latest pact of each consumer for a consumer version tag. {_PACT_LISTS}"
    ),
    "latest-tagged-pact-version": RelationDoc(
        "The latest pact from a consumer version with the given tag."
    ),
    "latest-tagged-version": RelationDoc("The pacticipant's latest version with the given tag."),
    "latest-untagged-pact-version": RelationDoc(
        "The latest pact from a consumer version without tags."
    ),
    "latest-verification-results": RelationDoc(
        "The latest verification result of this pact content."
    ),
    "latest-version": RelationDoc("The pacticipant's latest version."),
    "main-branch-pact-versions": RelationDoc(
        f"The pacts published from the consumer's main branch. {_PACT_LISTS}"
    ),
    "matrix": RelationDoc(
        "The matrix of pacts and verification results between the two pacticipants."
    ),
    "matrix-for-consumer-version": RelationDoc(
        "The matrix rows of this consumer version with the provider."
    ),
    "metrics": RelationDoc(
        "Counts of what the broker holds (pacticipants, versions, pacts, verification results, "
        "webhooks…), as the Pact Broker's JSON."
    ),
    "pact-version": RelationDoc(
        "The pact content by its SHA (the same for every consumer version that published it)."
    ),
    "pact-webhooks": RelationDoc("The webhooks for this consumer and provider.", ("GET", "POST")),
    "pacts": RelationDoc(f"The pacts of this list, one link each. {_PACT_LISTS}"),
    "pacticipant": RelationDoc(
        "One pacticipant (an application): its names, repository, main branch, labels and latest "
        "version.",
        ("GET", "PUT", "PATCH", "DELETE"),
    ),
    "pacticipant-branch": RelationDoc(
        "One branch of a pacticipant; DELETE removes the branch (its versions stay).",
        ("GET", "DELETE"),
    ),
    "pacticipant-branch-version": RelationDoc(
        "A version on a branch: PUT adds (and creates) it.", ("GET", "PUT", "DELETE")
    ),
    "pacticipant-version": RelationDoc(
        "One version of a pacticipant: its branches, tags, pacts and environments.",
        ("GET", "PUT", "PATCH", "DELETE"),
    ),
    "pacticipant-version-tag": RelationDoc(
        "A tag on a pacticipant version: PUT adds it, DELETE removes it.", ("GET", "PUT", "DELETE")
    ),
    "pacticipants": RelationDoc("Every pacticipant; POST creates one.", ("GET", "POST")),
    "pacticipants-with-label": RelationDoc("The pacticipants that carry the given label."),
    "previous-distinct": RelationDoc("The previous pact between these two with different content."),
    "provider": RelationDoc("The provider of this pact."),
    "provider-pacts": RelationDoc(f"Every current pact of the provider. {_PACT_LISTS}"),
    "provider-pacts-for-verification": RelationDoc(
        "The pacts a provider build must verify, chosen by consumer version selectors, with "
        "pending and work-in-progress pacts.",
        ("GET", "POST"),
    ),
    "provider-pacts-with-branch": RelationDoc(
        f"The provider's pacts from every consumer's named branch. {_PACT_LISTS}"
    ),
    "provider-pacts-with-main-branch": RelationDoc(
        f"The provider's pacts from every consumer's main branch. {_PACT_LISTS}"
    ),
    "provider-pacts-with-tag": RelationDoc(
        f"The provider's pacts from consumer versions with a tag. {_PACT_LISTS}"
    ),
    "provider-states": RelationDoc(
        "The provider states the provider's pacts use, with their parameters and consumers."
    ),
    "publish-contracts": RelationDoc(
        "Publish a consumer version's pacts with its branch, tags and build URL in one request.",
        ("POST",),
    ),
    "publish-pact": RelationDoc(
        "Publish (PUT) the pact of a consumer version; GET reads it back.", ("GET", "PUT")
    ),
    "publish-verification-results": RelationDoc(
        "Publish the result of verifying this pact content against a provider version.", ("POST",)
    ),
    "record-deployment": RelationDoc(
        "Record that this version is deployed to the environment (it replaces the previous one).",
        ("GET", "POST"),
    ),
    "record-release": RelationDoc(
        "Record that this version is released to the environment (several may be supported).",
        ("GET", "POST"),
    ),
    "tag-prod-version": RelationDoc("Tag the consumer version of this pact as prod.", ("PUT",)),
    "tag-version": RelationDoc("Tag the consumer version of this pact.", ("PUT",)),
    "tagged-pact-versions": RelationDoc(
        f"The pacts published by consumer versions with a tag. {_PACT_LISTS}"
    ),
    "triggered-webhooks": RelationDoc(
        "The webhooks this publication or verification triggered, with their status and logs."
    ),
    "version": RelationDoc("A version of this pacticipant.", ("GET", "PUT", "PATCH", "DELETE")),
    "version-tag": RelationDoc("A tag on a version of this pacticipant.", ("GET", "PUT", "DELETE")),
    "versions": RelationDoc("The pacticipant's versions, newest first."),
    "webhook": RelationDoc(
        "One webhook: its events, request (secrets redacted) and the pacticipants it applies to.",
        ("GET", "PUT", "DELETE"),
    ),
    "webhook-status": RelationDoc(
        "The status of the webhooks triggered for this integration's latest pact."
    ),
    "webhooks": RelationDoc("Every webhook; POST creates one.", ("GET", "POST")),
    "publish-provider-contract": RelationDoc(
        "Publish a provider version's OpenAPI document with the result of its own tests of it "
        "(bi-directional contract testing). The broker compares it with the consumers' pacts: "
        "the first few before it answers, the rest in the background within seconds (until "
        "then can-i-deploy answers unknown for those pairs: use --retry-while-unknown).",
        ("POST",),
    ),
    "provider-contract": RelationDoc(
        "A provider version's OpenAPI document, its self-verification, each consumer pact it "
        "was compared with (verdict and findings) and how many comparisons are still pending."
    ),
}
"""One sentence per relation the broker advertises, keyed by the name after ``pb:`` (or
``pf:``, PactFlow's prefix, for the relations in :data:`PACTFLOW_RELATIONS`)."""

PACTFLOW_RELATIONS = frozenset({"publish-provider-contract", "provider-contract"})
"""Relations PactFlow names ``pf:`` (bi-directional contract testing)."""

ALIASES = {"webhooks-create": "webhooks", "webhooks-webhooks": "webhooks"}
"""Names the Pact Broker's own curies use for the same pages."""


@router.get("/doc/{rel:seg}")
def relation_doc(request: Request, rel: str, context: str | None = None) -> HTMLResponse:
    """The relation's page (``context`` is accepted for the Pact Broker's curies; the sentence
    is the same in every context)."""
    base = urls_for(request).base
    name = ALIASES.get(rel, rel)
    doc = DOCS.get(name)
    message = (
        f"No documentation for the relation {rel}: the broker does not advertise it. "
        "The relations it does advertise are listed below."
    )
    html = render(
        "relation_doc.html",
        base=base,
        ui=base + UI_PREFIX,
        now=datetime.now(UTC),
        title=f"{'pf' if name in PACTFLOW_RELATIONS else 'pb'}:{name}",
        summary=doc.summary if doc else None,
        methods=doc.methods if doc else (),
        message=message,
        relations=sorted(DOCS),
    )
    headers = {"X-Content-Type-Options": "nosniff"}
    return HTMLResponse(html, status_code=200 if doc else 404, headers=headers)
