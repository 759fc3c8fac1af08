"""Party pages: the agreements a party is party to, its lifecycle facts, its names over time, and its
predecessor and successors (Ottoman Empire -> Republic of Turkey). Also the index of parties."""

from __future__ import annotations

from django.views.decorators.http import require_safe

from agreements.queries.parties import PartyNotFound, agreements_by_party, party_profile

from .. import links
from ..pages import not_found, page
from ..present import action_label, human_date, kind_label
from ..security import with_csp


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
def party_page(request, code):
    try:
        profile = party_profile(code)
    except PartyNotFound:
        return not_found(request, f"There is no party with the code '{code}'.")
    party = profile.party
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
            "facts": [
                {"action": action_label(f.action), "date": human_date(f.date), "edtf": f.date} for f in item.facts
            ],
        }
        for item in profile.agreements
    ]
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
    }
    return page(
        request, "browser/party.html", context,
        title=f"{party.name} ({party.code})",
        description=f"{party.name}: {len(agreements)} published agreements, lifecycle facts, names over time, "
        "predecessor and successors.",
        canonical=links.party_url(party.code),
    )
