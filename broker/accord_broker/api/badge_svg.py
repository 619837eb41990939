"""Status badges drawn as SVG here, in the shields.io "flat" look the Pact Broker's badges have.

The Pact Broker redirects to shields.io (or proxies it); a broker on a closed network cannot,
so accord draws the same two-part badge itself: a grey label, a coloured status.
"""

from html import escape

COLOURS = {
    "brightgreen": "#4c1",
    "red": "#e05d44",
    "orange": "#fe7d37",
    "lightgrey": "#9f9f9f",
}
_NARROW = set("fijlrtI.,:;|!()[]/' ")
_WIDE = set("mwMW@%")
_PADDING = 10


def text_width(text: str) -> int:
    """An estimate of ``text``'s width in 11px Verdana, good enough to size the badge."""
    width = 0.0
    for char in text:
        if char in _NARROW:
            width += 3.9
        elif char in _WIDE:
            width += 10.2
        elif char.isupper():
            width += 7.6
        else:
            width += 6.6
    return round(width)


def badge_svg(label: str, status: str, colour: str, comment: str | None = None) -> str:
    """A complete SVG document; ``colour`` is a shields.io colour name (see :data:`COLOURS`)."""
    fill = COLOURS.get(colour, COLOURS["lightgrey"])
    left = text_width(label) + _PADDING * 2
    right = text_width(status) + _PADDING * 2
    total = left + right
    title = escape(f"{label}: {status}")
    label_text, status_text = escape(label), escape(status)
    head = f"<!-- {escape(comment).replace('--', '- -')} -->\n" if comment else ""
    return (
        f"{head}"
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{title}"><title>{title}</title>'
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{fill}"/>'
        f'<rect width="{total}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'font-size="11">'
        f'<text x="{left / 2}" y="15" fill="#010101" fill-opacity=".3">{label_text}</text>'
        f'<text x="{left / 2}" y="14">{label_text}</text>'
        f'<text x="{left + right / 2}" y="15" fill="#010101" fill-opacity=".3">{status_text}</text>'
        f'<text x="{left + right / 2}" y="14">{status_text}</text>'
        "</g></svg>\n"
    )
