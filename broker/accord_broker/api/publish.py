"""Publishing: ``POST /contracts/publish`` and the older per-pact ``PUT``."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from accord_broker.api.bodies import json_object, parsed
from accord_broker.api.hal import HalResponse
from accord_broker.api.render_pacts import render_pact, render_publish_result
from accord_broker.domain.pacts import publishing
from accord_broker.domain.pacts.bodies import PublishContractsBody
from accord_broker.domain.pacts.contracts import publish_contracts_request
from accord_broker.domain.pacts.pact_content import check_pact_at
from accord_broker.domain.unit_of_work import Session
from accord_broker.domain.versions.tag_effects import tag_effects_from_settings
from accord_broker.web.context import broker_of, urls_for

router = APIRouter()
PactDocument = Annotated[dict[str, Any], Depends(json_object)]
"""A pact as the body of the older ``PUT``: a document ``accord.pact`` reads, not a model."""
SentPublication = Annotated[PublishContractsBody, Depends(parsed(PublishContractsBody))]


@router.post("/contracts/publish")
def publish(request: Request, body: SentPublication) -> HalResponse:
    broker = broker_of(request)
    urls = urls_for(request)
    publication = publish_contracts_request(body)
    allow = broker.settings.allow_dangerous_contract_modification
    effects = tag_effects_from_settings(broker.settings)

    def work(session: Session) -> tuple[dict[str, Any], list[str]]:
        result = publishing.publish_contracts_announced(
            session, publication, allow_modification=allow, effects=effects, base_url=urls.base
        )
        outcomes = [published.outcome.name.lower() for _c, _p, published in result.results]
        return render_publish_result(urls, result, publication.branch, publication.tags), outcomes

    rendered, outcomes = broker.uow.write(work)
    for outcome in outcomes:
        broker.metrics.observe_publication(outcome)
    return HalResponse(rendered)


@router.put("/pacts/provider/{provider:seg}/consumer/{consumer:seg}/version/{number:seg}")
def put_pact(
    request: Request, provider: str, consumer: str, number: str, body: PactDocument
) -> HalResponse:
    """Publish one pact for a consumer version: 201 when new, 200 when it was already there."""
    broker = broker_of(request)
    urls = urls_for(request)
    pact = check_pact_at(body, consumer=consumer, provider=provider)
    text = json.dumps(pact, ensure_ascii=False)
    allow = broker.settings.allow_dangerous_contract_modification

    def work(session: Session) -> tuple[dict[str, Any], bool]:
        put = publishing.put_pact_announced(
            session,
            consumer=consumer,
            provider=provider,
            number=number,
            pact=pact,
            text=text,
            allow_modification=allow,
            base_url=urls.base,
        )
        return render_pact(urls, put.ref), put.created

    rendered, created = broker.uow.write(work)
    broker.metrics.observe_publication("created" if created else "unchanged")
    return HalResponse(rendered, status_code=201 if created else 200)
