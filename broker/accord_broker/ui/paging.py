"""Previous/next links for the UI's long lists, and the page sizes those lists default to.

A page's cost is its rendering: every row is markup to build and escape. At the benchmark's
full size (100 integrations, 450 residents, thousands of versions per application) the whole
lists made pages of 40 to 175 KB, 3 to 10 times the heartbeat, so each long list shows a short
page by default and links onwards; ``page`` and ``pageSize`` in the URL still reach any page,
so deep links keep working.
"""

from collections.abc import Mapping
from urllib.parse import urlencode

from markupsafe import Markup, escape

INTEGRATIONS_PER_PAGE = 20
"""The index's default page (the API's ``/integrations`` is unpaged; the Pact Broker's UI index
pages 100): 20 rows keep the page a few times the heartbeat however many integrations exist."""
PACTICIPANTS_PER_PAGE = 50
# a pacticipant's versions and an environment's residents and history are paged by their read
# models (``VERSIONS_SHOWN``, ``CURRENT_SHOWN``, ``CARD_SHOWN``, ``HISTORY_SHOWN``)
MATRIX_ROWS = 50
"""The matrix page's default ``limit`` (the API's is 100): its rows carry two versions' chips
and three links each; "more rows" doubles the limit up to ``MATRIX_ROWS_MAX``."""
MATRIX_ROWS_MAX = 1000
WINDOW = 2
"""Page numbers shown either side of the current page (plus the first and the last)."""


def page_href(
    path: str, page: int, query: Mapping[str, str | int | None], param: str = "page"
) -> str:
    """``path?page=N&…`` with the other query values kept (empty ones dropped), the page first
    so links read the same on every page."""
    kept = {key: value for key, value in query.items() if value not in (None, "") and key != param}
    rest = urlencode(kept)
    return f"{path}?{param}={page}" + (f"&{rest}" if rest else "")


def pager(
    path: str,
    page: int,
    query: Mapping[str, str | int | None],
    *,
    last: int | None = None,
    has_next: bool = False,
    param: str = "page",
) -> Markup:
    """The ``<nav class="pages">`` of a list: previous, a window of page numbers (when the
    number of pages is known), next. Empty when everything fits on one page."""
    more = has_next if last is None else page < last
    if page <= 1 and not more:
        return Markup("")
    parts = ['<nav class="pages">']
    if page > 1:
        href = escape(page_href(path, page - 1, query, param))
        parts.append(f'<a rel="prev" class="prev" href="{href}">← previous</a>')
    if last is not None:
        shown = sorted({1, last, *range(max(1, page - WINDOW), min(last, page + WINDOW) + 1)})
        previous = 0
        for number in shown:
            if number > previous + 1:
                parts.append('<span class="muted">…</span>')
            if number == page:
                parts.append(f"<strong>{number}</strong>")
            else:
                href = escape(page_href(path, number, query, param))
                parts.append(f'<a href="{href}">{number}</a>')
            previous = number
    else:
        parts.append(f"<strong>{page}</strong>")
    if more:
        href = escape(page_href(path, page + 1, query, param))
        parts.append(f'<a rel="next" class="next" href="{href}">next →</a>')
    parts.append("</nav>")
    return Markup("\n".join(parts))
