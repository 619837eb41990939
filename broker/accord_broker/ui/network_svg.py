"""The network diagram's arrows and nodes as SVG markup, built in Python.

A diagram of 100 applications is 100 nodes and 100 arrows, each a link with a title, a shape
and half a dozen attributes; in the template that was the bulk of the page's rendering. Here
each is one f-string (the same markup), every user-supplied name through ``escape``.
"""

from collections.abc import Sequence
from urllib.parse import quote

from markupsafe import Markup, escape

from accord_broker.domain.integrations.network import Network
from accord_broker.ui.network import NODE_HEIGHT, Arrow, Node
from accord_broker.web.links import segment


def arrows_svg(arrows: Sequence[Arrow], ui: str) -> Markup:
    """Each integration as a curved arrow linking to the pair's matrix."""
    ui = escape(ui)
    parts = []
    for arrow in arrows:
        edge = arrow.edge
        consumer, provider, status = escape(edge.consumer), escape(edge.provider), edge.status.value
        matrix = f"{ui}/matrix/provider/{escape(segment(edge.provider))}/consumer/"
        parts.append(
            f'<a href="{matrix}{escape(segment(edge.consumer))}">'
            f'<path class="edge status-{status}" d="{arrow.path}" '
            f'marker-end="url(#arrow-{status})" data-consumer="{consumer}" '
            f'data-provider="{provider}"><title>{consumer} → {provider}</title></path></a>\n'
        )
    return Markup("".join(parts))


def _node_href(node: Node, network: Network, ui: str) -> str:
    if node.focused:
        return f"{ui}/pacticipants/{escape(segment(node.name))}"
    href = f"{ui}/network?pacticipant={escape(quote(node.name, safe='/'))}"
    if network.environment:
        href += f"&amp;environment={escape(quote(network.environment, safe='/'))}"
    return href


def nodes_svg(nodes: Sequence[Node], network: Network, ui: str) -> Markup:
    """Each application as a box: a link to focus on it (to its page when focused), its
    labels and, with an environment chosen, what it runs there in its title."""
    ui = escape(ui)
    parts = []
    for node in nodes:
        placed = network.placed.get(node.name)
        labels = network.labels.get(node.name) or []
        classes = "node"
        if node.focused:
            classes += " focused"
        if network.environment:
            classes += " deployed" if placed else " absent"
        if network.label and network.label in labels:
            classes += " labelled"
        title = escape(node.name)
        if labels:
            title += escape(f" ({', '.join(labels)})")
        if placed:
            title += escape(f": {', '.join(placed)} in {network.environment}")
        name = escape(node.name)
        parts.append(
            f'<a href="{_node_href(node, network, ui)}" class="{classes}" data-name="{name}">'
            f"<title>{title}</title>"
            f'<rect x="{node.x}" y="{node.y}" width="{node.width}" height="{NODE_HEIGHT}" rx="8"/>'
            f'<text x="{node.x + node.width / 2}" y="{node.centre_y + 5}" '
            f'text-anchor="middle">{name}</text></a>\n'
        )
    return Markup("".join(parts))
