"""Geometry of a party's network, drawn by the server as SVG: the party in the middle, the parties it has
agreements with on a circle around it, each joined by a line as thick as the number of agreements they share.
Readable without JavaScript; the template escapes every label and each partner links to its own page."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Node:
    label: str
    href: str
    count: int
    x: float
    y: float
    stroke: float
    anchor: str
    label_x: float
    label_y: float


@dataclass
class Network:
    size: int
    cx: float
    cy: float
    nodes: list[Node]


def _shorten(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def layout(partners, href, size: int = 520) -> Network:
    """`partners`: (party, count) pairs; `href(party)` links a partner's page."""
    cx = cy = size / 2
    radius = size / 2 - 110
    most = max((n for _, n in partners), default=1)
    nodes = []
    for i, (party, count) in enumerate(partners):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(partners), 1)
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        right = math.cos(angle) >= -1e-9
        nodes.append(Node(
            label=_shorten(f"{party.name} ({count})"), href=href(party), count=count,
            x=round(x, 1), y=round(y, 1), stroke=round(1.5 + 6.5 * count / most, 1),
            anchor="start" if right else "end", label_x=round(x + (12 if right else -12), 1), label_y=round(y + 4, 1),
        ))
    return Network(size=size, cx=cx, cy=cy, nodes=nodes)
