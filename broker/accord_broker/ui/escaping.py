"""User values as HTML text, as a path segment and as a query value, each escaped once.

The pages write the same few hundred names (applications, environments, labels, branches,
version numbers) into every row, link and attribute: a page of fifty applications escaped
five hundred values and quoted a hundred and fifty for their links (``escape`` half a
microsecond each, ``urlencode`` one and a half), on every request, the same values each time.
These are pure functions of their argument, so each remembers its answers (the least recently
used forgotten beyond ``SIZE``): a name costs a dictionary lookup after its first page.

The text is exactly what ``escape`` (autoescaping) and Jinja's ``urlencode`` filter give: the
row builders format it straight into their markup.
"""

from functools import lru_cache

from jinja2.filters import do_urlencode
from markupsafe import escape

from accord_broker.web.links import segment

SIZE = 8192
"""Values remembered by each function: every name of a large broker, a few hundred KB."""


@lru_cache(maxsize=SIZE)
def escaped_text(value: str) -> str:
    """``value`` as HTML text (or an attribute's value)."""
    return str(escape(value))


@lru_cache(maxsize=SIZE)
def escaped_segment(value: str) -> str:
    """``value`` as one path segment of a link in HTML (``/`` encoded too)."""
    return str(escape(segment(value)))


@lru_cache(maxsize=SIZE)
def escaped_query(value: str) -> str:
    """``value`` as a query string value of a link in HTML (Jinja's ``urlencode``)."""
    return str(escape(do_urlencode(value)))
