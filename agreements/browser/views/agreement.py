"""The agreement page: title, kind, status, one table of its participants and their actions
(views/participation.py), relations both ways, the article
tree, sources and citations, as it stood on a date (the `@date` in its address)."""

from __future__ import annotations


from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from agreements.domain import obligations
from agreements.queries import NotFound
from agreements.queries.agreements import agreement_at
from agreements.queries.clauses import clauses_inline, text_corrections
from agreements.queries.citations import quote_checks
from agreements.queries.obligations import obligations_of
from agreements.queries.references import references_to_agreement
from agreements.queries.visibility import published_record, records_by_slug
from agreements.domain.vocabulary import DEPOSITARY_SUBJECT, REGISTRATION_SUBJECT
from agreements.domain.wording import depositary_label, registration_label


from .. import links
from ..citing import cite_box, export_links

from ..notes import Notes
from .participation import download_links, participants_inline, participation_table
from ..pages import not_found, page
from ..present import (
    html_datetime,
    clause_label,
    human_date,
    kind_label,
    relation_label,
    safe_url,
    status_label,
    text_kind_label,
    titles_for_reader,
)
from ..security import with_csp
from ..timetravel import moment_context, moment_or_redirect


def existed_on(record, day):
    return record.earliest_date is None or record.earliest_date <= day


def obligation_items(codings, notes=None, names=None):
    """A clause's coded obligations in words: type, modality, who is bound (and towards whom, by the parties'
    names where `names` has them), conditions."""
    names = names or {}
    return [
        {"type": obligations.label(o.obligation), "modality": obligations.label(o.modality).lower(),
         "parties": ", ".join(names.get(c, c) for c in o.parties), "towards": ", ".join(names.get(c, c) for c in o.towards), "conditions": "; ".join(obligations.label(c).lower() for c in o.conditions),
         "adversary": o.adversary, "note": o.note,
         "notes": notes.take(f"obligation:{o.obligation_id}") if notes else []}
        for o in codings
    ]


def amended_mark(clause) -> str:
    """"Amended with effect from 1 June 2015" for an article whose text shown is an amendment."""
    if clause.change == "amended" and clause.effective:
        return _("Amended with effect from %(date)s") % {"date": human_date(clause.effective)}
    if clause.change == "renumbered" and clause.effective:
        return _("Renumbered with effect from %(date)s") % {"date": human_date(clause.effective)}
    return ""


def clause_tree(clauses, url_for, obligations=None, notes=None, corrected=None, names=None):
    """Nested nodes in document order; a clause whose parent is not shown is a root. `corrected`: when the
    text shown was corrected, by event id (queries.clauses.text_corrections)."""
    obligations, corrected = obligations or {}, corrected or {}
    nodes = {}
    roots = []
    for clause in clauses:
        nodes[clause.eid] = {
            "clause": clause,
            "label": clause_label(clause.eid, clause.heading),
            "text_kind_label": text_kind_label(clause.text_kind),
            "href": url_for(clause.eid),
            "amended": amended_mark(clause),
            "corrected": human_date(corrected[clause.event_id]) if clause.event_id in corrected else "",
            "notes": notes.take(clause.eid) if notes else [],
            "obligations": obligation_items(obligations.get(clause.eid, []), notes, names),
            "children": [],
        }
    for clause in clauses:
        node = nodes[clause.eid]
        parent = nodes.get(clause.parent) if clause.parent else None
        (parent["children"] if parent else roots).append(node)
    return roots


TOC_PER_PAGE = 25  # the parts and chapters a table-of-contents entry names for one page of clauses


def clause_pages(page, page_url):
    """The table of contents of an agreement too long for one page (more than PACTA_CLAUSES_INLINE clauses): one entry
    per page of clauses, from its first to its last clause, naming the parts and chapters that begin in it."""
    if page is None or page.complete:
        return None
    parents = {entry.parent for entry in page.outline if entry.parent}
    entries = []
    for start in range(0, page.count, page.limit):
        shown = page.outline[start:start + page.limit]
        groups = [e for e in shown if e.eid in parents]
        entries.append({
            "number": start // page.limit + 1,
            "href": page_url(start // page.limit + 1),
            "first": clause_label(shown[0].eid, shown[0].heading),
            "last": clause_label(shown[-1].eid, shown[-1].heading),
            "groups": [clause_label(e.eid, e.heading) + (f": {e.heading}" if e.heading else "")
                       for e in groups[:TOC_PER_PAGE]],
            "more": max(0, len(groups) - TOC_PER_PAGE),
            "current": start == page.offset,
        })
    return {"pages": entries, "count": page.count, "from": page.offset + 1,
            "to": min(page.offset + page.limit, page.count)}


def _clause_page_number(request) -> int | None:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and 0 < int(value) <= 1_000_000 else None


def _event_subjects(entries):
    """A citation may name the event that stated a fact: `event:<id>` or the bare id."""
    return [subject for entry in entries for subject in (f"event:{entry.event_id}", entry.event_id)]


def registration_items(registrations):
    """UNTC-style: "No. I-54669", the date, the registering body."""
    return [
        {"number": registration_label(r.registration_number), "date": human_date(r.date),
         "datetime": html_datetime(r.date), "body": r.registering_body}
        for r in registrations
    ]


def depositary_items(depositaries):
    """Each depositary by its name; a party of the registry by its name, linked to its page."""
    return [
        {"label": depositary_label(d.depositary, d.name) if d.party else d.depositary,
         "href": links.party_url(d.party) if d.party else ""}
        for d in depositaries
    ]


def sources_of(citations):
    seen = {}
    for citation in citations:
        source = citation.source
        seen.setdefault(source.pk, {
            "source": source, "url": safe_url(source.url), "kind": source.get_kind_display(),
            "published": human_date(source.published) if source.published else "",
        })
    return list(seen.values())


DESCRIBED_PARTIES = 5  # the parties the page's description names


@require_safe
@with_csp
def agreement_page(request, year, slug, as_of=None):
    record = published_record(slug)
    if record is None:
        return not_found(request, _("There is no published agreement '%(slug)s'.") % {"slug": slug})
    if links.work_year(record.work_uri) != year:
        return redirect(links.agreement_url(record.work_uri, as_of) + _query(request), permanent=True)

    def url_for(date, known_at):
        return links.agreement_url(record.work_uri, date, known_at)

    moment, response = moment_or_redirect(request, as_of, url_for)
    if response:
        return response
    point = moment.point
    number = _clause_page_number(request)
    if number is None:
        return not_found(request, _("Pages of articles are numbered from 1."))
    try:
        # Past PACTA_CLAUSES_INLINE clauses the page shows a table of contents and one page of them at a time.
        # The parties' names in the reader's language, as they stood on the page's date (the registry's
        # name where none is recorded in it), read with the English ones: as many queries in every language.
        view = agreement_at(slug, point, include_unpublished=False, clause_limit=clauses_inline(),
                            clause_offset=(number - 1) * clauses_inline(), names_language=get_language(),
                            participant_limit=participants_inline())
    except NotFound as exc:
        return not_found(request, str(exc))
    if number > 1 and not view.clauses:
        return not_found(request, _("This agreement has no page %(number)s of articles.") % {"number": number})

    keep = {"as_of": moment.as_of, "known_at": moment.known_at}
    # Related agreements that did not exist yet on the date are left out, like the facts they stand for.
    relations_in = [r for r in view.relations_in if existed_on(r.agreement, point.as_of)]
    targets = {
        slug: target for slug, target in records_by_slug(r.target_slug for r in view.relations_out).items()
        if existed_on(target, point.as_of)
    }
    relations_out = [
        {"label": relation_label(r.relation), "record": targets[r.target_slug], "note": r.note,
         "href": links.agreement_url(targets[r.target_slug].work_uri, **keep)}
        for r in view.relations_out if r.target_slug in targets
    ]
    relations_in = [
        {"label": relation_label(r.relation, incoming=True), "record": r.agreement, "note": r.note,
         "href": links.agreement_url(r.agreement.work_uri, **keep)}
        for r in relations_in
    ]
    references_in = [
        {
            "label": _("%(clause)s of the %(title)s") % {"clause": clause_label(ref.eid), "title": ref.agreement.title},
            "href": links.clause_url(ref.agreement.work_uri, ref.eid, **keep),
            "target": clause_label(ref.target_eid) if ref.target_eid else "",
            "target_href": links.clause_url(record.work_uri, ref.target_eid, **keep) if ref.target_eid else "",
            "note": ref.note,
        }
        for ref in references_to_agreement(slug, point)
        if existed_on(ref.agreement, point.as_of)
    ]
    notes = Notes(view.citations, quote_checks(view.citations))
    head_notes = {name: notes.take(*subjects) for name, subjects in (
        ("title", ("", "title", "titles")), ("kind", ("kind",)), ("status", ("status",)),
        ("date", ("work_date",)), ("place", ("place",)),
        ("registration", (REGISTRATION_SUBJECT, *_event_subjects(view.registrations))),
        ("depositary", (DEPOSITARY_SUBJECT, *_event_subjects(view.depositaries))),
        ("summary", ("summary",)))}
    shown, titles = titles_for_reader(view.title, view.titles, get_language())
    description = f"{view.title}: {kind_label(view.kind).lower()}"
    if len(view.parties) > DESCRIBED_PARTIES:  # a convention's 200 names are no description
        others = len(view.parties) - DESCRIBED_PARTIES
        described = [p.name for p in view.participation.participants[:DESCRIBED_PARTIES]]  # named as shown
        description += " " + ngettext("between %(parties)s and %(n)s other", "between %(parties)s and %(n)s others",
                                      others) % {"parties": ", ".join(described), "n": others}
    elif view.parties:
        description += " " + _("between %(parties)s") % {"parties": ", ".join(p.name for p in view.parties)}
    description += _(", as it stood on %(date)s. Articles, parties, lifecycle and sources.") % {
        "date": human_date(point.as_of)}
    context = {
        "view": view,
        "record": record,
        "titles": titles,
        "shown": shown,
        "kind_label": kind_label(view.kind),
        "status_label": status_label(view.status, view.consent_recorded),
        # The one table of the participants and their actions: the first ones, and a link to them all.
        "participation": participation_table(
            view, point.as_of, notes, participants_inline(),
            links.clause_url(record.work_uri, "participation", moment.as_of, moment.known_at)),
        "downloads": download_links(record.slug, moment),
        "work_date_label": human_date(view.work_date) if view.work_date else "",
        "work_datetime": html_datetime(view.work_date),
        "earliest_label": human_date(record.earliest_date) if record.earliest_date else "",
        "head_notes": head_notes,
        "registrations": registration_items(view.registrations),
        "depositaries": depositary_items(view.depositaries) if view.existed else [],  # like its articles
        "relations_out": relations_out,
        "relations_in": relations_in,
        "references_in": references_in,
        "tree": clause_tree(view.clauses, lambda eid: links.clause_url(record.work_uri, eid, **keep),
                            obligations_of(record, point), notes, text_corrections(view.clauses),
                            {p.code: p.name for p in view.parties}),
        "clause_pages": clause_pages(
            view.clause_page, lambda n: links.agreement_url(record.work_uri, moment.as_of, moment.known_at)
            + (f"?page={n}" if n > 1 else "") + "#articles"),
        "other_notes": notes.rest(),
        "exports": export_links(record.slug, moment),
        "cite": cite_box(request, record, view.title, moment, point),
        "sources": sources_of(view.citations),
        **moment_context(moment, point, url_for),
    }
    return page(
        request, "browser/agreement.html", context,
        title=shown["title"] if moment.is_today else _("%(title)s, as it stood on %(date)s") % {"title": shown["title"], "date": human_date(point.as_of)},
        description=description,
        canonical=links.agreement_url(record.work_uri, moment.as_of),
    )


def _query(request):
    return "?" + request.GET.urlencode() if request.GET else ""
