"""The network diagram's arrows and nodes as SVG markup, built in Python.

A diagram of 100 applications is 100 nodes and 100 arrows, each a link with a title, a shape
and half a dozen attributes; in the template that was the bulk of the page's rendering. Here
each is one f-string (the same markup), every user-supplied name through ``escape``, and a
page remembers the last few drawings (``drawing``): the markup changes only when the network
does, and building it was most of the page's rendering.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from markupsafe import Markup, escape

from accord_broker.domain.integrations.network import Network
from accord_broker.ui.network import NODE_HEIGHT, Arrow, Diagram, Node
from accord_broker.web.links import segment


class _Names:
    """Each name escaped (as text, as a path segment, as a query value) once per diagram: a
    hundred arrows and nodes name the same applications again and again."""

    def __init__(self) -> None:
        self._text: dict[str, str] = {}
        self._segment: dict[str, str] = {}

    def text(self, name: str) -> str:
        found = self._text.get(name)
        if found is None:
            found = self._text[name] = escape(name)
        return found

    def segment(self, name: str) -> str:
        found = self._segment.get(name)
        if found is None:
            found = self._segment[name] = escape(segment(name))
        return found


def arrows_svg(arrows: Sequence[Arrow], ui: str) -> Markup:
    """Each integration as a curved arrow linking to the pair's matrix."""
    ui = escape(ui)
    names = _Names()
    parts = []
    for arrow in arrows:
        edge = arrow.edge
        consumer, provider = names.text(edge.consumer), names.text(edge.provider)
        status = edge.status.value
        matrix = f"{ui}/matrix/provider/{names.segment(edge.provider)}/consumer/"
        parts.append(
            f'<a href="{matrix}{names.segment(edge.consumer)}">'
            f'<path class="edge status-{status}" d="{arrow.path}" '
            f'marker-end="url(#arrow-{status})" data-consumer="{consumer}" '
            f'data-provider="{provider}"><title>{consumer} → {provider}</title></path></a>\n'
        )
    return Markup("".join(parts))


def nodes_svg(nodes: Sequence[Node], network: Network, ui: str) -> Markup:
    """Each application as a box: a link to focus on it (to its page when focused), its
    labels and, with an environment chosen, what it runs there in its title."""
    ui = escape(ui)
    environment = network.environment
    in_environment = ""
    if environment:
        in_environment = f"&amp;environment={escape(quote(environment, safe='/'))}"
    parts = []
    for node in nodes:
        placed = network.placed.get(node.name)
        labels = network.labels.get(node.name) or []
        classes = "node"
        if node.focused:
            classes += " focused"
        if environment:
            classes += " deployed" if placed else " absent"
        if network.label and network.label in labels:
            classes += " labelled"
        name = escape(node.name)
        title = name
        if labels:
            title += escape(f" ({', '.join(labels)})")
        if placed:
            title += escape(f": {', '.join(placed)} in {environment}")
        if node.focused:
            href = f"{ui}/pacticipants/{escape(segment(node.name))}"
        else:
            href = f"{ui}/network?pacticipant={escape(quote(node.name, safe='/'))}{in_environment}"
        parts.append(
            f'<a href="{href}" class="{classes}" data-name="{name}">'
            f"<title>{title}</title>"
            f'<rect x="{node.x}" y="{node.y}" width="{node.width}" height="{NODE_HEIGHT}" rx="8"/>'
            f'<text x="{node.x + node.width / 2}" y="{node.centre_y + 5}" '
            f'text-anchor="middle">{name}</text></a>\n'
        )
    return Markup("".join(parts))


@dataclass(frozen=True, slots=True)
class Drawing:
    """A diagram's arrows and nodes as SVG markup."""

    arrows: Markup
    nodes: Markup


class _Asked:
    """A drawing's inputs, compared and hashed by what the markup shows (each arrow's pair,
    status and path; each node's name, box and focus with its labels and what it runs in
    the chosen environment; the base URL), carrying the objects to draw from."""

    __slots__ = ("diagram", "key", "network", "ui")

    def __init__(self, diagram: Diagram, network: Network, ui: str) -> None:
        self.diagram, self.network, self.ui = diagram, network, ui
        labels, placed = network.labels, network.placed
        self.key = (
            ui,
            network.environment,
            network.label,
            tuple((a.edge, a.path) for a in diagram.arrows),
            tuple(
                (
                    n.name,
                    n.x,
                    n.y,
                    n.width,
                    n.focused,
                    tuple(labels.get(n.name) or ()),
                    tuple(placed.get(n.name) or ()),
                )
                for n in diagram.nodes
            ),
        )

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Asked) and self.key == other.key


def drawing(diagram: Diagram, network: Network, ui: str) -> Drawing:
    """The diagram's arrows and nodes, remembered for the last few drawings asked: the
    markup is a pure function of what ``_Asked`` compares, which changes only when a pact, a
    result, a label or a deployment is recorded, and building it for a hundred integrations
    cost most of the page's rendering."""
    return _drawn(_Asked(diagram, network, ui))


@lru_cache(maxsize=32)
def _drawn(asked: _Asked) -> Drawing:
    diagram = asked.diagram
    return Drawing(
        arrows_svg(diagram.arrows, asked.ui), nodes_svg(diagram.nodes, asked.network, asked.ui)
    )
