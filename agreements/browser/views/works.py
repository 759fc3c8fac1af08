"""Pages of imported documents, which keep their own Akoma Ntoso work URI (`/akn/za/act/2009/10/`): the
address names the work, and the agreement, clause and diff pages are shown for it."""

from __future__ import annotations

from agreements.queries import visibility

from .. import links
from ..pages import not_found
from . import agreement, clause, diff


def _record(request, work):
    record = visibility.published_record_for_work(f"/akn/{work}")
    if record is None:
        return None, not_found(request, f"There is no published agreement at /akn/{work}/.")
    return record, None


def agreement_page(request, work, as_of=None):
    record, missing = _record(request, work)
    return missing or agreement.agreement_page(request, links.work_year(record.work_uri), record.slug, as_of)


def clause_page(request, work, eid, as_of=None):
    record, missing = _record(request, work)
    return missing or clause.clause_page(request, links.work_year(record.work_uri), record.slug, eid, as_of)


def diff_page(request, work, eid):
    record, missing = _record(request, work)
    return missing or diff.diff_page(request, links.work_year(record.work_uri), record.slug, eid)
