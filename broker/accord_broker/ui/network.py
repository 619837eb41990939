"""The network diagram: integrations laid out in columns and drawn as SVG on the server.

No script and no layout library: each application goes in the column of its longest chain of
consumers (pure consumers on the left, pure providers on the right), rows are spread evenly,
and each integration is a curved arrow coloured by its verification status. Large networks are
capped, as the Pact Broker caps its own diagram (``network_diagram_max_pacticipants``).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from accord_broker.domain.integrations.integration_status import Status

MAX_PACTICIPANTS = 400
MAX_ROWS = 16
"""A layer with more applications than this is wrapped into several columns, so 150 services
make a wide, scrollable diagram a screen high rather than a column 8,000 pixels tall."""
NODE_HEIGHT = 34
ROW_GAP = 22
COLUMN_GAP = 120
MARGIN = 24
CHAR_WIDTH = 8.2
MIN_NODE_WIDTH = 90


@dataclass(frozen=True, slots=True)
class Edge:
    consumer: str
    provider: str
    status: Status


@dataclass(frozen=True, slots=True)
class Node:
    name: str
    x: float
    y: float
    width: float
    focused: bool = False

    @property
    def centre_y(self) -> float:
        return self.y + NODE_HEIGHT / 2


@dataclass(frozen=True, slots=True)
class Arrow:
    edge: Edge
    path: str


@dataclass(frozen=True, slots=True)
class Diagram:
    nodes: list[Node]
    arrows: list[Arrow]
    width: float
    height: float
    truncated: bool


def _columns(names: list[str], edges: Sequence[Edge]) -> dict[str, int]:
    """Column of each name: the longest consumer chain leading to it (cycles cut at a visit)."""
    consumers_of: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if edge.consumer != edge.provider:
            consumers_of[edge.provider].add(edge.consumer)
    column: dict[str, int] = {}

    def depth(name: str, visiting: frozenset[str]) -> int:
        if name in column:
            return column[name]
        parents = [c for c in consumers_of[name] if c not in visiting]
        value = 1 + max((depth(c, visiting | {name}) for c in parents), default=-1)
        column[name] = value
        return value

    for name in names:
        depth(name, frozenset())
    return column


def _ordered_layers(
    names: list[str], edges: Sequence[Edge], layer: dict[str, int]
) -> list[list[str]]:
    """The layers left to right, each ordered by the mean position of its members' consumers
    (the barycentre heuristic): a provider sits level with those calling it, which removes
    most crossings without a layout library."""
    consumers_of: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        consumers_of[edge.provider].append(edge.consumer)
    layers: dict[int, list[str]] = defaultdict(list)
    for name in names:
        layers[layer[name]].append(name)
    position: dict[str, float] = {}
    ordered = []
    for index in sorted(layers):
        members = layers[index]

        def centre(name: str) -> float:
            placed = [position[c] for c in consumers_of[name] if c in position]
            return sum(placed) / len(placed) if placed else 0.5

        members.sort(key=lambda n: (centre(n), n.lower()))
        for rank, name in enumerate(members):
            position[name] = (rank + 0.5) / len(members)
        ordered.append(members)
    return ordered


def _wrapped(layers: list[list[str]]) -> list[list[str]]:
    """Each layer cut into columns of at most ``MAX_ROWS`` applications."""
    return [
        members[start : start + MAX_ROWS]
        for members in layers
        for start in range(0, len(members), MAX_ROWS)
    ]


def _node_width(name: str) -> float:
    return max(MIN_NODE_WIDTH, len(name) * CHAR_WIDTH + 24)


def lay_out(edges: Sequence[Edge], focus: str | None = None) -> Diagram:
    """The diagram of ``edges`` (``focus`` highlighted), remembered for the last few networks
    asked: the layout is a pure function of the integrations, their statuses and the focus,
    which change only when a pact or a result is published, and laying out a hundred
    integrations cost a millisecond, a fifth of the page. (The diagram is read, never
    changed, by the pages that draw it.)"""
    return _laid_out(tuple(edges), focus)


@lru_cache(maxsize=32)
def _laid_out(edges: tuple[Edge, ...], focus: str | None) -> Diagram:
    names = sorted({e.consumer for e in edges} | {e.provider for e in edges}, key=str.lower)
    truncated = len(names) > MAX_PACTICIPANTS
    if truncated:
        kept = set(names[:MAX_PACTICIPANTS])
        names = names[:MAX_PACTICIPANTS]
        edges = tuple(e for e in edges if e.consumer in kept and e.provider in kept)
    by_column = dict(enumerate(_wrapped(_ordered_layers(names, edges, _columns(names, edges)))))
    column = {name: index for index, members in by_column.items() for name in members}
    widths = {index: max(_node_width(n) for n in members) for index, members in by_column.items()}
    tallest = max((len(members) for members in by_column.values()), default=0)
    spans = [column[e.provider] - column[e.consumer] for e in edges]
    top = MARGIN + 0.75 * max((_lift(span) for span in spans), default=0.0)
    height = top + MARGIN + max(0, tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP)
    nodes: dict[str, Node] = {}
    x = float(MARGIN)
    for index in sorted(by_column):
        members = by_column[index]
        block = len(members) * (NODE_HEIGHT + ROW_GAP) - ROW_GAP
        y = top + (height - top - MARGIN - block) / 2
        for name in members:
            nodes[name] = Node(name, x, y, widths[index], name == focus)
            y += NODE_HEIGHT + ROW_GAP
        x += widths[index] + COLUMN_GAP
    width = max(x - COLUMN_GAP + MARGIN, 2 * MARGIN)
    arrows = [
        Arrow(edge, _curve(nodes[edge.consumer], nodes[edge.provider], _lift(span)))
        for edge, span in zip(edges, spans, strict=True)
    ]
    return Diagram(list(nodes.values()), arrows, width, height, truncated)


def _lift(span: int) -> float:
    """How far an arrow over ``span`` columns arcs upwards, to pass over the columns between."""
    return min(36.0 * (span - 1), 90.0) if span > 1 else 0.0


def _curve(source: Node, target: Node, lift: float = 0.0) -> str:
    """A cubic curve from ``source`` (the consumer) to the facing side of ``target``."""
    y1, y2 = source.centre_y, target.centre_y
    if source.name == target.name:
        x = source.x + source.width
        return f"M{x:.1f},{y1 - 6:.1f} C{x + 40:.1f},{y1 - 30:.1f} {x + 40:.1f},{y1 + 30:.1f} " + (
            f"{x:.1f},{y1 + 6:.1f}"
        )
    if target.x > source.x:
        x1, x2 = source.x + source.width, target.x - 2
        bend = max(40.0, (x2 - x1) / 2)
        c1, c2 = x1 + bend, x2 - bend
        if lift:
            return (
                f"M{x1:.1f},{y1:.1f} C{c1:.1f},{y1 - lift:.1f} {c2:.1f},{y2 - lift:.1f} "
                f"{x2:.1f},{y2:.1f}"
            )
    else:  # a provider left of (or level with) its consumer: leave left, arrive from the right
        x1, x2 = source.x, target.x + target.width + 2
        bend = max(40.0, abs(x1 - x2) / 2)
        c1, c2 = x1 - bend, x2 + bend
    return f"M{x1:.1f},{y1:.1f} C{c1:.1f},{y1:.1f} {c2:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
