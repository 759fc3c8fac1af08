"""Word-level differences between any two versions of a clause (`?from=1&to=3`, version numbers as listed
on the clause page)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from agreements.queries import NotFound
from agreements.queries.clauses import clause_at
from agreements.queries.visibility import published_record

from .. import links
from agreements.diffing import changed, word_diff
from ..moments import BadMoment, Moment
from ..pages import bad_request, not_found, page
from ..present import clause_label, human_date, text_kind_label
from .clause import CHANGE_LABELS
from ..security import with_csp


def _version_number(value, default, count):
    if value in (None, ""):
        return default
    if not str(value).isdigit() or not 1 <= int(value) <= count:
        raise ValueError(_("Version '%(value)s' does not exist: choose a number from 1 to %(count)s.") % {"value": value, "count": count})
    return int(value)


@require_safe
@with_csp
def diff_page(request, year, slug, eid):
    record = published_record(slug)
    if record is None:
        return not_found(request, _("There is no published agreement '%(slug)s'.") % {"slug": slug})
    if links.work_year(record.work_uri) != year:
        return redirect(links.diff_url(record.work_uri, eid), permanent=True)
    try:
        moment = Moment.from_request(request)
    except BadMoment as exc:
        return bad_request(request, str(exc))
    try:
        view = clause_at(slug, eid, moment.point, include_unpublished=False)
    except NotFound as exc:
        return not_found(request, str(exc))
    count = len(view.versions)
    try:
        new = _version_number(request.GET.get("to"), count, count)
        old = _version_number(request.GET.get("from"), max(new - 1, 1), count)
    except ValueError as exc:
        return bad_request(request, str(exc))
    before, after = view.versions[old - 1], view.versions[new - 1]
    pieces = word_diff(before.text.strip(), after.text.strip())
    label = clause_label(view.eid, after.heading)
    options = [
        {"number": n,
         "label": _("Version %(n)s: %(change)s, effective %(date)s") % {
             "n": n, "change": _(CHANGE_LABELS[v.change]).lower() if v.change in CHANGE_LABELS else v.change, "date": human_date(v.effective) if v.effective else _("date not recorded")}}
        for n, v in enumerate(view.versions, start=1)
    ]
    context = {
        "record": record,
        "label": label,
        "old": {"number": old, "version": before, "kind": text_kind_label(before.text_kind),
                "effective": human_date(before.effective) if before.effective else _("date not recorded")},
        "new": {"number": new, "version": after, "kind": text_kind_label(after.text_kind),
                "effective": human_date(after.effective) if after.effective else _("date not recorded")},
        "pieces": pieces,
        "changed": changed(pieces),
        "options": options,
        "known_at": moment.known_at,
        "clause_href": links.clause_url(record.work_uri, eid, known_at=moment.known_at),
        "agreement_href": links.agreement_url(record.work_uri, known_at=moment.known_at),
        "diff_action": links.diff_url(record.work_uri, eid),
    }
    return page(
        request, "browser/diff.html", context,
        title=_("%(clause)s, %(title)s: changes from version %(old)s to version %(new)s") % {
            "clause": label, "title": record.title, "old": old, "new": new},
        description=_("Word-by-word differences between two versions of %(clause)s of the %(title)s.") % {
            "clause": label, "title": record.title},
        canonical=links.diff_url(record.work_uri, eid, old, new),
    )
