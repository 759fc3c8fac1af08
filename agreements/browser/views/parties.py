"""Party pages: the agreements a party is party to, its lifecycle facts, its names over time, and its
predecessor and successors (Ottoman Empire -> Republic of Turkey). Also the index of parties.

A party page lists its agreements 50 at a time, oldest first (`after=` the last one's key), so a party to
thousands of agreements costs what a party to three does.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

import re
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_safe

from agreements.queries.paging import Chronological
from agreements.queries.parties import PartyNotFound, names_in, partners_of, party_profile
from agreements.queries.summaries import corpus_summary
from agreements.queries.participation import agreements_in_force_for
from agreements.queries.time import TimePoint

from .. import links, network_svg
from ..moments import BadMoment, parse_as_of
from ..pages import bad_request, not_found, page
from ..present import action_label, html_datetime, human_date, kind_label, status_label
from ..security import with_csp


PAGE_SIZE = 50
STATUS_ORDER = ("in_force", "signed", "suspended", "no_dated_fact", "terminated", "superseded")
WIKIDATA_ID = re.compile(r"^Q[0-9]+\Z")


@require_safe
@with_csp
def party_index(request):
    in_use = corpus_summary().parties
    localized = names_in([party.code for party, _count in in_use], get_language())
    groups = [
        {"party": party, "name": localized.get(party.code, party.name), "kind": kind_label(party.kind),
         "href": links.party_url(party.code), "count": count}
        for party, count in in_use
    ]
    return page(
        request, "browser/parties.html", {"groups": groups},
        title=_("Parties"),
        description=_("States, organisations, ministries and companies that are parties to the published agreements."),
        canonical="/parties/",
    )


@require_safe
@with_csp
def party_page(request, code, as_of=None):
    try:
        after = Chronological.parse(request.GET["after"]) if request.GET.get("after") else None
    except ValueError:
        return bad_request(request, _("This page key was not made by a link of this site."))
    try:
        profile = party_profile(code, after=after, limit=PAGE_SIZE, on=as_of)
    except PartyNotFound:
        return not_found(request, _("There is no party with the code '%(code)s'.") % {"code": code})
    party = profile.party
    on = as_of or timezone.localdate()
    display_name = names_in([party.code], get_language(), on).get(party.code, party.name)
    names = [
        {"name": n.name, "language": n.language,
         "from": human_date(n.valid_from) if n.valid_from else "",
         "to": human_date(n.valid_to) if n.valid_to else _("today")}
        for n in profile.names
    ]
    agreements = [
        {
            "record": item.record,
            "href": links.agreement_url(item.record.work_uri),
            "role": item.role,
            "kind": kind_label(item.record.kind),
            "date": human_date(item.record.work_date) if item.record.work_date else "undated",
            "status": item.record.status,
            "facts": [
                {"action": action_label(f.action), "date": human_date(f.date), "edtf": f.date,
                 "datetime": html_datetime(f.date)}
                for f in item.facts
            ],
        }
        for item in profile.agreements
    ]
    by_status = {}
    for a in agreements:
        by_status.setdefault(a["status"], []).append(a)
    # This page's agreements (a keyset page, oldest first) grouped by their status on the date shown.
    groups = [{"status": s, "label": status_label(s), "agreements": items}
              for s in STATUS_ORDER for items in [by_status.get(s)] if items]
    partners = partners_of(party.code, as_of)
    network = network_svg.layout(partners, lambda p: links.party_url(p.code)) if partners else None
    here = links.party_url(party.code) + (f"@{as_of.isoformat()}/" if as_of else "")
    related = lambda p: {"party": p, "href": links.party_url(p.code)}  # noqa: E731
    context = {
        "party": party,
        "display_name": display_name,
        "kind": kind_label(party.kind),
        "names": names,
        "predecessor": related(party.predecessor) if party.predecessor else None,
        "parent": related(party.parent) if party.parent else None,
        "successors": [related(p) for p in profile.successors],
        "parts": [related(p) for p in profile.parts],
        "agreements": agreements,
        "groups": groups,
        "in_force_for": [{"title": r.title, "href": links.agreement_url(r.work_uri, as_of)}
                         for r in agreements_in_force_for(party.code, TimePoint.of(on))],
        "network": network,
        "partners": partners,
        "wikidata_url": f"https://www.wikidata.org/wiki/{party.wikidata}" if WIKIDATA_ID.match(party.wikidata or "") else "",
        "as_of": as_of,
        "as_of_label": human_date(on),
        "date_form_action": links.party_url(party.code),
        "first_href": here if after else None,
        "next_href": here + "?" + urlencode({"after": profile.next_after.token()}) if profile.next_after else None,
    }
    return page(
        request, "browser/party.html", context,
        title=f"{display_name} ({party.code})",
        description=_("%(name)s: its published agreements, lifecycle facts, names over time, "
                      "predecessor and successors.") % {"name": display_name},
        canonical=here,
    )


@require_safe
def party_date_form(request, code):
    """The party page's date control (a GET form) goes to the permanent `@date` address."""
    try:
        day = parse_as_of(request.GET.get("as_of", ""))
    except BadMoment as exc:
        return bad_request(request, str(exc))
    return redirect(links.party_url(code) + (f"@{day.isoformat()}/" if day else ""))
