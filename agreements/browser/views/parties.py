"""Party pages: the agreements a party is party to, its lifecycle facts, its names over time, and its
predecessor and successors (Ottoman Empire -> Republic of Turkey). Also the index of parties."""

from __future__ import annotations

from django.views.decorators.http import require_safe

import re

from django.utils import timezone

from agreements.queries.parties import PartyNotFound, agreements_by_party, partners_of, party_profile
from agreements.queries.status import record_status, superseded_slugs

from .. import links, network_svg
from ..pages import not_found, page
from ..present import action_label, html_datetime, human_date, kind_label, status_label
from ..security import with_csp


STATUS_ORDER = ("in_force", "signed", "suspended", "draft", "terminated", "superseded")
WIKIDATA_ID = re.compile(r"^Q[0-9]+$")


@require_safe
@with_csp
def party_index(request):
    groups = [
        {"party": party, "href": links.party_url(party.code), "count": len(items)}
        for party, items in agreements_by_party()
    ]
    return page(
        request, "browser/parties.html", {"groups": groups},
        title="Parties",
        description="States, organisations, ministries and companies that are parties to the published agreements.",
        canonical="/parties/",
    )


@require_safe
@with_csp
def party_page(request, code, as_of=None):
    try:
        profile = party_profile(code)
    except PartyNotFound:
        return not_found(request, f"There is no party with the code '{code}'.")
    party = profile.party
    on = as_of or timezone.localdate()
    superseded = superseded_slugs()
    names = [
        {"name": n.name, "language": n.language,
         "from": human_date(n.valid_from) if n.valid_from else "",
         "to": human_date(n.valid_to) if n.valid_to else ""}
        for n in profile.names
    ]
    agreements = [
        {
            "record": item.record,
            "href": links.agreement_url(item.record.work_uri),
            "role": item.role,
            "kind": kind_label(item.record.kind),
            "date": human_date(item.record.work_date) if item.record.work_date else "undated",
            "status": record_status(item.record, superseded, on),
            "facts": [
                {"action": action_label(f.action), "date": human_date(f.date), "datetime": html_datetime(f.date)}
                for f in item.facts
            ],
        }
        for item in profile.agreements
        if as_of is None or item.record.earliest_date is not None and item.record.earliest_date <= as_of
    ]
    by_status = {}
    for a in agreements:
        by_status.setdefault(a["status"], []).append(a)
    groups = [{"status": s, "label": status_label(s), "agreements": items}
              for s in STATUS_ORDER for items in [by_status.get(s)] if items]
    partners = partners_of(party.code, as_of)
    network = network_svg.layout(partners, lambda p: links.party_url(p.code)) if partners else None
    related = lambda p: {"party": p, "href": links.party_url(p.code)}  # noqa: E731
    context = {
        "party": party,
        "kind": kind_label(party.kind),
        "names": names,
        "predecessor": related(party.predecessor) if party.predecessor else None,
        "parent": related(party.parent) if party.parent else None,
        "successors": [related(p) for p in profile.successors],
        "parts": [related(p) for p in profile.parts],
        "agreements": agreements,
        "groups": groups,
        "network": network,
        "partners": partners,
        "wikidata_url": f"https://www.wikidata.org/wiki/{party.wikidata}" if WIKIDATA_ID.match(party.wikidata or "") else "",
        "as_of": as_of,
        "as_of_label": human_date(on),
        "date_form_action": links.party_url(party.code),
    }
    return page(
        request, "browser/party.html", context,
        title=f"{party.name} ({party.code})",
        description=f"{party.name}: {len(agreements)} published agreements, lifecycle facts, names over time, "
        "predecessor and successors.",
        canonical=links.party_url(party.code) + (f"@{as_of.isoformat()}/" if as_of else ""),
    )


@require_safe
def party_date_form(request, code):
    """The party page's date control (a GET form) goes to the permanent `@date` address."""
    from django.shortcuts import redirect

    from ..moments import BadMoment, parse_as_of
    from ..pages import bad_request

    try:
        day = parse_as_of(request.GET.get("as_of", ""))
    except BadMoment as exc:
        return bad_request(request, str(exc))
    return redirect(links.party_url(code) + (f"@{day.isoformat()}/" if day else ""))
