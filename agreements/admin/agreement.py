"""The agreement admin: registered on the projection `AgreementRecord`, it never saves a projection row.

The list is an ordinary changelist over the read model. The add and change pages are our own views with
plain forms (forms.py): a save becomes the commands `editor.AgreementEditor` plans from them, run by
`services.handle_many` in one transaction, against the stream version the form was rendered with. History is
read from the events.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, ngettext

from agreements import services
from agreements.queries.agreements import editable_state
from agreements.queries.findings import open_findings
from agreements.queries.history import event_as_corrected, history, returned_note
from agreements.queries.obligations import current_codings
from agreements.queries.status import status_expression
from agreements.domain.errors import DomainError, InvalidCommand, RuleViolated
from agreements.queries.wording import kind_label as label
from agreements.domain.rules import CORRECTABLE_FIELDS
from agreements.domain.vocabulary import EDIT_PERMISSION, VIEW_PERMISSION
from agreements.models import AgreementRecord, Finding

from . import autocomplete, conflicts
from . import history as hist
from .bounded import CappedCountPaginator, KindFilter, PublicationFilter
from .corrections import CorrectionForm
from .filters import HasOpenFindingsFilter, PartyFilter, StatusFilter
from .editor import AgreementEditor
from .importing import ImportingMixin
from .participation import ParticipationMixin
from .publishing import PublishingMixin
from .subjects import subject_labels

MAX_NEW_CLAUSE_ROWS = 200
# A long agreement's clauses are edited a page at a time, so that a save stays within Django's request limits
# (DATA_UPLOAD_MAX_NUMBER_FIELDS, DATA_UPLOAD_MAX_MEMORY_SIZE). Rows not shown produce no command.
CLAUSES_PER_PAGE = 60


class Tracked:
    """Iterates commands for `services.handle_many` and remembers which one it is at, so that a refusal can be
    put next to the field of the form row that produced the refused command."""

    def __init__(self, items):
        self.items = list(items)
        self.current = None

    def __iter__(self):
        for index, item in enumerate(self.items):
            self.current = index
            yield item


class AgreementAdmin(ImportingMixin, PublishingMixin, ParticipationMixin, admin.ModelAdmin):
    list_display = ("title_column", "short_name", "kind_label", "status", "publication_label", "changes", "open_findings_count",
                    "updated_at")
    list_filter = (KindFilter, StatusFilter, PartyFilter, PublicationFilter, HasOpenFindingsFilter)
    paginator = CappedCountPaginator
    show_full_result_count = False  # one capped count, not two counts over the whole table
    search_fields = ("title", "slug", "clause_versions__text")
    search_help_text = gettext_lazy("Searches titles, short names and the text of every clause version.")
    list_per_page = 50
    ordering = ("slug",)
    actions = ["submit_for_review", "publish", "unpublish"]

    # ------------------------------------------------------------------ permissions

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_PERMISSION) or request.user.has_perm(EDIT_PERMISSION)

    def has_add_permission(self, request):
        return request.user.has_perm(EDIT_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(EDIT_PERMISSION)

    def has_delete_permission(self, request, obj=None):
        return False  # events are immutable: an agreement is unpublished or corrected, never deleted

    # ------------------------------------------------------------------ changelist

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # A count per row shown (a correlated subquery), not a join and GROUP BY over every agreement.
        open_findings = (
            Finding.objects.filter(agreement=OuterRef("pk"), resolved_at__isnull=True)
            .order_by().values("agreement").annotate(n=Count("pk")).values("n")
        )
        qs = qs.annotate(open_findings=Coalesce(Subquery(open_findings), 0))
        return qs.annotate(status_today=status_expression())

    @admin.display(description=gettext_lazy("title"), ordering="title")
    def title_column(self, record):
        return record.title

    @admin.display(description=gettext_lazy("status"), ordering="status_today")
    def status(self, record):
        return label(record.status_today)

    @admin.display(description=gettext_lazy("short name (slug)"), ordering="slug")
    def short_name(self, record):
        return record.slug

    @admin.display(description=gettext_lazy("changes recorded"), ordering="version")
    def changes(self, record):
        return record.version

    @admin.display(description=gettext_lazy("kind"), ordering="kind")
    def kind_label(self, record):
        return label(record.kind)

    @admin.display(description=gettext_lazy("publication"), ordering="publication")
    def publication_label(self, record):
        return label(record.publication)

    @admin.display(description=gettext_lazy("open findings"), ordering="open_findings")
    def open_findings_count(self, record):
        if not record.open_findings:
            return "–"
        url = reverse("admin:agreements_finding_changelist") + f"?agreement__id__exact={record.pk}&open=yes"
        return format_html('<a href="{}">{}</a>', url, record.open_findings)

    # ------------------------------------------------------------------ URLs

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("autocomplete/parties/", wrap(autocomplete.parties_view), name="pacta_autocomplete_parties"),
            path("autocomplete/agreements/", wrap(autocomplete.agreements_view), name="pacta_autocomplete_agreements"),
            path("<path:object_id>/history/<uuid:event_id>/correct/", wrap(self.correct_view),
                 name="%s_%s_correct" % info),
            path("<path:object_id>/publication/", wrap(self.publication_view), name="%s_%s_publication" % info),
        ] + self.participation_urls() + self.importing_urls() + super().get_urls()

    def _record(self, request, object_id) -> AgreementRecord:
        record = self.get_object(request, unquote(object_id))
        if record is None:
            raise Http404(f"No agreement with id {object_id!r}.")
        return record

    # ------------------------------------------------------------------ add and change

    def _rows(self, request, default):
        try:
            return max(0, min(int(request.GET.get("rows", default)), MAX_NEW_CLAUSE_ROWS))
        except ValueError:
            return default

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        rows = self._rows(request, 5)
        if request.method == "POST":
            editor = AgreementEditor(data=self._more_rows(request), new_clause_rows=rows)
            if "_more_rows" not in request.POST:
                results = self._save(request, editor)
                if results is not None:
                    return self._after_save(request, editor.slug, results, added=True)
        else:
            editor = AgreementEditor(new_clause_rows=rows)
        return self._render(request, editor, record=None)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self._record(request, object_id)
        if not self.has_view_permission(request, record):
            raise PermissionDenied
        can_change = self.has_change_permission(request, record)
        state = editable_state(record.slug)
        rows = self._rows(request, 3)
        clauses, paging = self._clause_page(request, state)
        obligations = current_codings(record)
        uncited = services.uncited_facts(record.slug)
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            editor = AgreementEditor(state, data=self._more_rows(request), new_clause_rows=rows, clauses=clauses,
                                     obligations=obligations, uncited=uncited)
            if "_more_rows" not in request.POST:
                results = self._save(request, editor)
                if results is not None:
                    return self._after_save(request, record.slug, results, added=False, query=request.GET)
        else:
            editor = AgreementEditor(state, new_clause_rows=rows, clauses=clauses, obligations=obligations,
                                     uncited=uncited)
        return self._render(request, editor, record=record, state=state, can_change=can_change, paging=paging)

    @staticmethod
    def _clause_page(request, state):
        total = len(state.clauses)
        pages = max(1, -(-total // CLAUSES_PER_PAGE))
        try:
            page = max(1, min(int(request.GET.get("clauses_page", 1)), pages))
        except ValueError:
            page = 1
        start = (page - 1) * CLAUSES_PER_PAGE
        shown = state.clauses[start:start + CLAUSES_PER_PAGE]
        paging = {"page": page, "pages": range(1, pages + 1) if pages > 1 else None, "total": total,
                  "first": start + 1 if shown else 0, "last": start + len(shown)}
        return shown, paging

    @staticmethod
    def _more_rows(request):
        """"More rows" re-renders the form, input intact, with ten more empty clause rows."""
        if "_more_rows" not in request.POST:
            return request.POST
        data = request.POST.copy()
        try:
            total = int(data.get("newclauses-TOTAL_FORMS", 0))
        except ValueError:
            total = 0
        data["newclauses-TOTAL_FORMS"] = str(min(total + 10, MAX_NEW_CLAUSE_ROWS))
        return data

    def _save(self, request, editor: AgreementEditor):
        """Run the commands the form implies; returns the results, or None with the errors put on the forms."""
        if not editor.is_valid():
            return None
        planned = editor.commands()
        if editor.has_errors():
            return None
        if not planned:
            editor.page_errors.append("Nothing to save: nothing was changed.")
            return None
        tracked = Tracked(p.command for p in planned)
        try:
            return services.handle_many(
                tracked, slug=editor.slug, user=request.user, expected_version=editor.carried_version
            )
        except services.ConcurrencyConflict:
            if editor.adding:
                editor.details.add_error("slug", gettext("An agreement with this short name already exists."))
                return None
            editor.conflict = conflicts.what_changed(editor.slug, editor.carried_version)
            editor.set_version(conflicts.newest_version(editor.conflict, editor.carried_version))
            return None
        except services.NotAllowed as exc:
            editor.page_errors.append(str(exc))
        except InvalidCommand as exc:
            for name, msgs in exc.errors.items():
                planned[tracked.current].add_error(name, msgs)
        except RuleViolated as exc:
            planned[tracked.current].add_error(exc.field, exc.message)
        except DomainError as exc:
            editor.page_errors.append(str(exc))
        return None

    def _after_save(self, request, slug, results, added, query=None):
        events = sum(len(r.events) for r in results)
        record = AgreementRecord.objects.get(slug=slug)
        summary = ", ".join(hist.describe(e.type, e.payload) for r in results for e in r.events[:20])
        if added:
            self.log_addition(request, record, f"Drafted: {summary}"[:1000])
        else:
            self.log_change(request, record, f"{summary}"[:1000])
        saved = ngettext("Saved “%(title)s”: %(count)s change recorded (details: %(count)s event, "
                         "stream version %(version)s).",
                         "Saved “%(title)s”: %(count)s changes recorded (details: %(count)s events, "
                         "stream version %(version)s).", events) % {
            "title": record.title, "count": events, "version": record.version}
        if record.publication == "published":
            saved += " " + gettext("It is published: the change is public now.")
        self.message_user(request, saved, messages.SUCCESS)
        if "_addanother" in request.POST:
            return HttpResponseRedirect(reverse("admin:agreements_agreementrecord_add"))
        if "_save" in request.POST and not added:
            return HttpResponseRedirect(reverse("admin:agreements_agreementrecord_changelist"))
        url = reverse("admin:agreements_agreementrecord_change", args=[record.pk])
        page = (query or {}).get("clauses_page")
        return HttpResponseRedirect(f"{url}?clauses_page={page}" if page and page.isdigit() else url)

    def _render(self, request, editor, record, state=None, can_change=True, paging=None):
        opts = self.opts
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": gettext("Change agreement: %(title)s") % {"title": record.title} if record else gettext(
                "Draft an agreement"),
            "subtitle": record.slug if record else None,
            "record": record,
            "state": state,
            "editor": editor,
            "conflict": editor.conflict,
            "adding": record is None,
            "can_change": can_change,
            "can_publish": self.has_publish_permission(request),
            "media": self.media + editor.media,
            "clause_rows": editor.clauses.forms,
            "paging": paging,
            "findings": self._findings(record),
            "uncited": services.uncited_facts(record.slug) if record else [],
            "publication_label": label(state.view.publication) if state else "",
            "returned_note": returned_note(record.slug) if record else "",
            "eids": [c.eid for c in state.clauses] if state else [],
            "removal_rows": self._removal_rows(editor, state),
            "has_view_permission": True,
            "is_popup": False,
        }
        return TemplateResponse(request, "admin/agreements/agreementrecord/edit.html", context)

    @staticmethod
    def _findings(record):
        if record is None:
            return []
        findings = list(open_findings(record.slug))
        labels = subject_labels(findings)
        for finding in findings:
            finding.subject_label = labels[finding.pk]
        return findings

    @staticmethod
    def _removal_rows(editor, state):
        if state is None:
            return {}
        form = editor.removals
        view = state.view
        return {
            "parties": list(zip(view.parties, form["remove_parties"])),
            "relations": list(zip(view.relations_out, form["remove_relations"])),
            "references": list(zip(state.references, form["remove_references"])),
            "citations": list(zip(view.citations, form["detach_citations"])),
            "obligations": list(zip(editor.obligation_rows, form["uncode_obligations"])),
        }

    # ------------------------------------------------------------------ history and corrections

    def history_view(self, request, object_id, extra_context=None):
        record = self._record(request, object_id)
        if not self.has_view_permission(request, record):
            raise PermissionDenied
        can_correct = self.has_change_permission(request, record)
        rows = hist.rows(reversed(history(record.slug)), can_correct)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("History: %(title)s") % {"title": record.title},
            "subtitle": record.slug,
            "record": record,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/agreements/agreementrecord/event_history.html", context)

    def correct_view(self, request, object_id, event_id):
        record = self._record(request, object_id)
        if not self.has_change_permission(request, record):
            raise PermissionDenied
        entry = event_as_corrected(record.slug, event_id)
        if entry is None or entry.event.type not in CORRECTABLE_FIELDS:
            raise Http404("No correctable event with that id in this agreement.")
        only_text = request.GET.get("only") == "text" and "text" in CORRECTABLE_FIELDS[entry.event.type]
        only = ("text",) if only_text else None
        conflict = None
        if request.method == "POST":
            form = CorrectionForm(entry, data=request.POST, only=only)
            if form.is_valid():
                try:
                    command = form.command()
                    if command is not None:
                        services.handle(command, slug=record.slug, user=request.user,
                                        expected_version=form.cleaned_data["version"])
                        self.message_user(request, gettext("Corrected: %(what)s.") % {"what": hist.describe(entry.event.type, entry.payload)},
                                          messages.SUCCESS)
                        back = "change" if only_text else "history"  # back where the archivist started
                        return HttpResponseRedirect(
                            reverse(f"admin:agreements_agreementrecord_{back}", args=[record.pk]))
                except services.ConcurrencyConflict:
                    conflict = conflicts.what_changed(record.slug, form.cleaned_data["version"])
                    form.set_version(conflicts.newest_version(conflict, form.cleaned_data["version"]))
                except InvalidCommand as exc:
                    for name, msgs in exc.errors.items():
                        form.add_error_for(name, msgs)
                except RuleViolated as exc:
                    form.add_error_for(exc.field, exc.message)
        else:
            form = CorrectionForm(entry, initial_version=record.version, only=only)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": (f"Correct the text of {entry.payload.get('eid', '')}" if only_text
                      else f"Correct an event of {record.title}"),
            "only_text": only_text,
            "subtitle": hist.describe(entry.event.type, entry.payload),
            "record": record,
            "entry": entry,
            "form": form,
            "conflict": conflict,
        }
        return TemplateResponse(request, "admin/agreements/agreementrecord/correct_event.html", context)
