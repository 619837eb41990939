"""The pact page's "changes since the previous version": a semantic diff, not a text diff.

``/ui/pacts/provider/{p}/consumer/{c}/version/{v}/changes`` lists what consumer version ``v``'s
pact asks of the provider that the previous distinct pact did not (interactions added, fields
now expected or sent, provider state params, message contents and metadata, matching rules
and generators on requests, responses and messages) and what it no longer asks, from
:mod:`accord_broker.domain.pacts.pact_changes`. The JSON line diff stays at
``pb:diff-previous-distinct``.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from accord.pact.diff import PactChange
from accord_broker.domain.pacts.pact_changes import changes_since_previous
from accord_broker.errors import BrokerNotFoundError
from accord_broker.ui.negotiation import UI_PREFIX
from accord_broker.ui.templating import render
from accord_broker.web.context import broker_of, unit_of_work, urls_for

router = APIRouter(prefix=UI_PREFIX, include_in_schema=False)
HTML_HEADERS = {"Vary": "Accept", "X-Content-Type-Options": "nosniff"}
CHANGES_PATH = "/pacts/provider/{provider:seg}/consumer/{consumer:seg}/version/{number:seg}/changes"


def by_interaction(changes: Sequence[PactChange]) -> list[tuple[str, list[PactChange]]]:
    """Changes grouped by interaction, in the order the diff gave them (asking more first)."""
    groups: dict[str, list[PactChange]] = {}
    for change in changes:
        groups.setdefault(change.interaction, []).append(change)
    return list(groups.items())


@router.get(CHANGES_PATH)
def pact_changes_page(request: Request, provider: str, consumer: str, number: str) -> HTMLResponse:
    """The semantic diff between version ``number``'s pact and the previous distinct one."""
    base = urls_for(request).base
    context = {"base": base, "ui": base + UI_PREFIX, "now": datetime.now(UTC)}
    max_bytes = broker_of(request).settings.diff_max_bytes
    try:
        with unit_of_work(request).read() as session:
            found = changes_since_previous(session, provider, consumer, number, max_bytes=max_bytes)
    except BrokerNotFoundError as exc:
        html = render("not_found.html", title="Not found", message=exc.message, **context)
        return HTMLResponse(html, status_code=404, headers=HTML_HEADERS)
    html = render(
        "pact_changes.html",
        title=f"Changes in the pact between {consumer} and {provider}",
        found=found,
        groups=by_interaction(found.changes),
        **context,
    )
    return HTMLResponse(html, headers=HTML_HEADERS)
