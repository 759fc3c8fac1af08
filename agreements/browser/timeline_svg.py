"""Geometry of the timeline drawn by the server as SVG: a time axis, one row and one mark per agreement.

A date known to the day is a dot; a partial or uncertain date ("2010", "1996-06", "2000?") is a bar from
its lower to its upper bound, so the reader sees how much is known. A thin line shows the time in force.
Colour is by kind (CSS classes `kind-<kind>`); the template escapes every label.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class Mark:
    href: str
    title: str
    label: str
    date_label: str
    kind: str
    status: str
    precise: bool
    x: float
    width: float
    y: float
    label_x: float
    label_anchor: str
    force_x1: float | None
    force_x2: float | None


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Layout:
    width: int
    height: int
    axis_y: float
    plot_left: float
    plot_right: float
    ticks: list[Tick]
    marks: list[Mark]


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def layout(entries, today: dt.date, href, date_label, width: int = 1000, row_height: int = 24) -> Layout:
    """`entries`: dated TimelineEntry items; `href(entry)` and `date_label(entry)` give each mark's link and
    date wording. Rows follow the order of `entries`."""
    left, right, top = 16.0, width - 16.0, 12.0
    dated = [e for e in entries if e.lower is not None]
    first_year = min((e.lower.year for e in dated), default=today.year - 10)
    start_year = first_year - first_year % 10
    end_year = today.year + 1
    start, end = dt.date(start_year, 1, 1).toordinal(), dt.date(end_year, 1, 1).toordinal()

    def x_of(day: dt.date) -> float:
        return round(left + (day.toordinal() - start) / (end - start) * (right - left), 1)

    marks = []
    for row, entry in enumerate(dated):
        y = top + row * row_height + row_height / 2
        x1 = x_of(entry.lower)
        x2 = x_of(entry.upper or entry.lower)
        precise = entry.precise
        mark_width = max(x2 - x1, 4.0) if not precise else 0.0
        end_of_mark = x1 + mark_width
        if end_of_mark < left + (right - left) * 0.62:
            label_x, anchor = end_of_mark + 8, "start"
        else:
            label_x, anchor = x1 - 8, "end"
        force_x1 = force_x2 = None
        if entry.in_force_from:
            force_x1 = x_of(max(entry.in_force_from, dt.date(start_year, 1, 1)))
            force_x2 = x_of(min(entry.ended_on or today, dt.date(end_year, 1, 1)))
        record = entry.record
        marks.append(
            Mark(
                href=href(entry), title=record.title, label=_shorten(record.title), date_label=date_label(entry),
                kind=record.kind, status=entry.status, precise=precise, x=x1, width=mark_width, y=y,
                label_x=label_x, label_anchor=anchor, force_x1=force_x1, force_x2=force_x2,
            )
        )
    axis_y = top + max(len(dated), 1) * row_height + 8
    step = 10 if end_year - start_year <= 120 else 20
    ticks = [Tick(x_of(dt.date(year, 1, 1)), str(year)) for year in range(start_year, end_year + 1, step)]
    return Layout(
        width=width, height=int(axis_y + 30), axis_y=axis_y, plot_left=left, plot_right=right,
        ticks=ticks, marks=marks,
    )
