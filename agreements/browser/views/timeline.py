"""The timeline: every published agreement on a time axis, an SVG drawn by the server (no script)."""

from __future__ import annotations

from django.utils import timezone
from django.views.decorators.http import require_safe

from agreements.queries.timeline import timeline_entries

from .. import links
from ..pages import page
from ..present import human_date, kind_label, status_label
from ..security import with_csp
from ..timeline_svg import layout


def _date_label(entry):
    return human_date(entry.date_text) if entry.date_text else "undated"


@require_safe
@with_csp
def timeline(request):
    today = timezone.localdate()
    entries = timeline_entries(today)
    dated = [e for e in entries if e.lower is not None]
    undated = [e for e in entries if e.lower is None]
    drawing = layout(dated, today, href=lambda e: links.agreement_url(e.record.work_uri), date_label=_date_label)
    kinds = sorted({e.record.kind for e in entries})
    rows = [
        {"record": e.record, "href": links.agreement_url(e.record.work_uri), "date": _date_label(e),
         "kind": kind_label(e.record.kind), "status": status_label(e.status),
         "in_force": human_date(e.in_force_from) if e.in_force_from else ""}
        for e in entries
    ]
    return page(
        request, "browser/timeline.html",
        {"drawing": drawing, "kinds": [{"kind": k, "label": kind_label(k)} for k in kinds], "rows": rows,
         "undated": [{"record": e.record, "href": links.agreement_url(e.record.work_uri)} for e in undated]},
        title="Timeline of agreements",
        description="Every published agreement on a time axis: partial dates drawn as ranges, coloured by kind.",
        canonical="/timeline/",
    )
