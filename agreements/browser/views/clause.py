"""The clause page: its text as it stood on a date, what kind of text it is, its version history (with a
form to compare any two versions), cross-references both ways, citations (a quote that could not be checked is marked; findings are for staff)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from agreements.domain.vocabulary import LANGUAGE_RE
from agreements.queries import NotFound
from agreements.queries.citations import reference_citations
from agreements.queries.clauses import clause_at, text_corrections
from agreements.queries.citations import quote_checks
from agreements.queries.visibility import published_record, records_by_slug

from .. import links
from agreements.diffing import word_diff
from ..citing import cite_box, export_links
from ..pages import not_found, page
from ..present import citation_rows, clause_label, human_date, kind_label, text_kind_label
from ..security import with_csp
from ..timetravel import moment_context, moment_or_redirect

CHANGE_LABELS = {"added": gettext_noop("Added"), "amended": gettext_noop("Amended"), "repealed": gettext_noop("Repealed"),
                 "renumbered": gettext_noop("Renumbered")}


def version_rows(versions, record, current, amenders, known_at=None):
    """Each version, with a link to the clause as it stood on the day that version took effect."""
    rows = []
    for number, version in enumerate(versions, start=1):
        amender = amenders.get(version.amended_by)
        rows.append({
            "number": number,
            "version": version,
            "change": _(CHANGE_LABELS[version.change]) if version.change in CHANGE_LABELS else kind_label(version.change),
            "effective": human_date(version.effective) if version.effective else _("date not recorded"),
            "valid_to": human_date(version.valid_to) if version.valid_to else "",
            "recorded": human_date(version.known_from),
            "amender": amender,
            "amender_href": links.agreement_url(amender.work_uri) if amender else "",
            "href": links.clause_url(record.work_uri, version.eid, version.valid_from, known_at)
            if version.valid_from and version.valid_from.year > 1 else "",
            "is_current": current is not None and version.event_id == current.event_id
            and version.known_from == current.known_from,
        })
    return rows


def _language(request, name) -> str | None:
    value = request.GET.get(name, "")
    return value if LANGUAGE_RE.match(value) else None


def _language_links(request, view) -> list[dict]:
    """Links to the clause in each of its languages, and side by side with each other one."""
    if len(view.languages) < 2:
        return []
    rows = []
    for lang in view.languages:
        rows.append({
            "language": lang, "current": lang == view.language,
            "href": "?" + urlencode({"lang": lang}),
            "beside_href": "" if lang == view.language else "?" + urlencode({"lang": view.language, "with": lang}),
        })
    return rows


@require_safe
@with_csp
def clause_page(request, year, slug, eid, as_of=None):
    record = published_record(slug)
    if record is None:
        return not_found(request, _("There is no published agreement '%(slug)s'.") % {"slug": slug})
    if links.work_year(record.work_uri) != year:
        return redirect(links.clause_url(record.work_uri, eid, as_of), permanent=True)

    def url_for(date, known_at):
        return links.clause_url(record.work_uri, eid, date, known_at)

    moment, response = moment_or_redirect(request, as_of, url_for)
    if response:
        return response
    point = moment.point
    language, beside = _language(request, "lang"), _language(request, "with")
    try:
        view = clause_at(slug, eid, point, include_unpublished=False, language=language)
        other = None
        if beside and beside in view.languages and beside != view.language:
            other = clause_at(slug, eid, point, include_unpublished=False, language=beside).current
    except NotFound as exc:
        return not_found(request, str(exc))

    keep = {"as_of": moment.as_of, "known_at": moment.known_at}
    current = view.current
    existed = record.earliest_date is None or record.earliest_date <= point.as_of
    targets = records_by_slug(
        [r.target_slug for r in view.references_out] + [v.amended_by for v in view.versions]
    )
    references_out = []
    for ref in view.references_out:
        target = targets.get(ref.target_slug)
        if target is None:
            continue
        if ref.target_eid:
            label = _("%(clause)s of the %(title)s") % {"clause": clause_label(ref.target_eid), "title": target.title}
            href = links.clause_url(target.work_uri, ref.target_eid, **keep)
        else:
            label, href = target.title, links.agreement_url(target.work_uri, **keep)
        references_out.append({"label": label, "href": href, "note": ref.note})
    references_in = [
        {
            "label": _("%(clause)s of the %(title)s") % {"clause": clause_label(ref.eid), "title": ref.agreement.title},
            "href": links.clause_url(ref.agreement.work_uri, ref.eid, **keep),
            "note": ref.note,
        }
        for ref in view.references_in
        if ref.agreement.earliest_date is None or ref.agreement.earliest_date <= point.as_of
    ]
    versions = version_rows(view.versions, record, current, targets, moment.known_at)
    cited = view.citations + reference_citations(record, view.eid, point)
    citations = citation_rows(cited, quote_checks(cited))
    label = clause_label(view.eid, current.heading if current else "")
    latest_change = None
    if len(versions) >= 2:
        latest_change = {
            "old": versions[-2]["number"], "new": versions[-1]["number"],
            "href": links.diff_url(record.work_uri, eid, versions[-2]["number"], versions[-1]["number"],
                                   moment.known_at),
            "pieces": word_diff(view.versions[-2].text, view.versions[-1].text),
        }
    text = current.text.strip() if current else ""
    corrected = text_corrections([current]).get(current.event_id) if current else None
    context = {
        "corrected_on": human_date(corrected) if corrected else "",
        "view": view,
        "record": record,
        "existed": existed,
        "current": current,
        "text": text,
        "label": label,
        "renamed_from": eid if view.eid != eid else "",
        "text_kind_label": text_kind_label(current.text_kind) if current else "",
        "repealed_on": human_date(current.effective) if current and current.effective else "",
        "is_summary": current is not None and current.text_kind == "summary",
        "agreement_href": links.agreement_url(record.work_uri, **keep),
        "versions": versions,
        "latest_change": latest_change,
        "diff_action": links.diff_url(record.work_uri, eid),
        "references_out": references_out,
        "references_in": references_in,
        "citations": citations,
        "other": other,
        "other_text": other.text.strip() if other else "",
        "language_links": _language_links(request, view),
        "cite": cite_box(request, record, f"{label}, {record.title}", moment, point, eid=view.eid),
        "exports": export_links(slug, moment, eid=view.eid),
        **moment_context(moment, point, url_for),
    }
    title = f"{label}, {record.title}"
    summary = (text[:150] + "…") if len(text) > 150 else text
    return page(
        request, "browser/clause.html", context,
        title=title if moment.is_today else _("%(title)s, as it stood on %(date)s") % {"title": title, "date": human_date(point.as_of)},
        description=summary or _("%(clause)s of the %(title)s") % {"clause": label, "title": record.title},
        canonical=links.clause_url(record.work_uri, view.eid, moment.as_of),
    )
