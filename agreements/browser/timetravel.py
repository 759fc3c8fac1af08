"""The date control shared by agreement and clause pages: reads the moment, redirects the form's `as_of`
to the permanent `@date` address, and describes the moment for the page ("as it stood on ...")."""

from __future__ import annotations

from django.shortcuts import redirect

from .moments import BadMoment, Moment, parse_as_of
from .present import human_date


def moment_or_redirect(request, as_of, url_for):
    """(moment, None), or (None, response) when the form asked for a date (a redirect) or the request
    names an unreadable date (a 400). `url_for(as_of, known_at)` gives the page's address at a moment."""
    from .pages import bad_request

    try:
        moment = Moment.from_request(request, as_of)
        if "as_of" in request.GET:
            known_at = moment.known_at
            if known_at and len(request.GET.get("known_at", "").strip()) == 10:
                known_at = known_at.replace(hour=23, minute=59, second=59)  # the form's day: all it recorded that day
            return None, redirect(url_for(parse_as_of(request.GET["as_of"]), known_at))
    except BadMoment as exc:
        return None, bad_request(request, str(exc))
    return moment, None


def moment_context(moment: Moment, point, url_for) -> dict:
    return {
        "moment": moment,
        "as_of_label": human_date(point.as_of),
        "as_of_value": moment.as_of.isoformat() if moment.as_of else "",
        "known_at_value": moment.known_at.date().isoformat() if moment.known_at else "",
        "known_at_label": human_date(moment.known_at) if moment.known_at else "",
        "date_form_action": url_for(None, None),
        "today_url": url_for(None, moment.known_at),
        "now_known_url": url_for(moment.as_of, None),
    }
