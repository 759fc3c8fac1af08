"""Admin edges of the importers: upload Akoma Ntoso files, and paste the whole text of an agreement.

Both build commands through the importers, which send them through services in one transaction; a refused
file or text writes nothing and says why (file and line for AKN, the rule for a pasted text).
"""

from __future__ import annotations

import tempfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy, ngettext

from agreements import services
from agreements.domain.errors import DomainError, InvalidCommand
from agreements.domain.vocabulary import LANGUAGE_RE
from agreements.importers import akn, text
from agreements.importers.documents import ImportRefused
from agreements.importers.loading import load

def max_upload() -> int:
    """The largest file an upload imports within its request (PACTA_AKN_UPLOAD_MAX_BYTES): beyond it the import
    would outlast the web server's worker timeout; `manage.py import_akn` takes larger files."""
    return int(getattr(settings, "PACTA_AKN_UPLOAD_MAX_BYTES", 4 * 1024 * 1024))



def events_recorded(count: int) -> str:
    """The sentence that ends an import's message: how many events the store recorded."""
    return ngettext("%(count)s event recorded.", "%(count)s events recorded.", count) % {"count": count}

class AknUploadForm(forms.Form):
    files = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ".xml,.akn"}),
                            help_text=gettext_lazy(
                                "An Akoma Ntoso 3.0 file (act, bill, doc, statement, documentCollection)."))
    publish = forms.BooleanField(required=False,
                                 help_text=gettext_lazy("Submit for review and publish (reviewers only)."))

    def clean_files(self):
        upload = self.cleaned_data["files"]
        if upload.size > max_upload():
            raise forms.ValidationError(
                f"This file is {upload.size / (1024 * 1024):.1f} MB; an upload imports at most "
                f"{max_upload() / (1024 * 1024):.1f} MB within a request. Import larger files with "
                "`python manage.py import_akn FILE` on the server.")
        return upload


class PasteTextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
                           help_text=gettext_lazy(
                               "The whole text, as copied from the official publication. Headings such as “Article 1”, "
                               "“Art. 2”, “ARTICLE III”, “Section 4”, “Chapter II”, “Part 1” (and their French forms) "
                               "start a clause."))
    language = forms.CharField(initial="en", max_length=12)
    effective = forms.CharField(required=False, max_length=100, help_text=gettext_lazy(
        "The date the clauses hold from: 2015-06-01, 2015-06 or 2015 (EDTF)."))

    def clean_language(self):
        value = self.cleaned_data["language"].strip()
        if not LANGUAGE_RE.match(value):
            raise forms.ValidationError("A language code such as en, fr, tr.")
        return value


class ImportingMixin:
    """URLs and views added to the agreement admin."""

    def importing_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("import-akn/", wrap(self.import_akn_view), name="%s_%s_import_akn" % info),
            path("<path:object_id>/paste-text/", wrap(self.paste_text_view), name="%s_%s_paste_text" % info),
        ]

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, **extra}

    def import_akn_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AknUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["files"]
            try:
                with tempfile.NamedTemporaryFile(suffix=".xml") as tmp:
                    for chunk in upload.chunks():
                        tmp.write(chunk)
                    tmp.flush()
                    document = akn.read(tmp.name, display=upload.name)
                result = load(document, publish=form.cleaned_data["publish"], user=request.user)
            except ImportRefused as exc:
                form.add_error("files", str(exc))
            else:
                imported = (ngettext("Imported %(slug)s as a new agreement with %(count)s clause.",
                                     "Imported %(slug)s as a new agreement with %(count)s clauses.", result.clauses)
                            if result.created else
                            ngettext("Imported %(slug)s into the existing agreement with %(count)s clause.",
                                     "Imported %(slug)s into the existing agreement with %(count)s clauses.",
                                     result.clauses))
                self.message_user(request, " ".join([imported % {"slug": result.slug, "count": result.clauses},
                                                     events_recorded(result.events)]), messages.SUCCESS)
                record = self.get_queryset(request).get(slug=result.slug)
                return HttpResponseRedirect(reverse("admin:agreements_agreementrecord_change", args=[record.pk]))
        return TemplateResponse(request, "admin/agreements/agreementrecord/import_akn.html",
                                self._context(request, title=gettext("Import an Akoma Ntoso file"), form=form))

    def paste_text_view(self, request, object_id):
        record = self._record(request, object_id)
        if not self.has_change_permission(request, record):
            raise PermissionDenied
        form = PasteTextForm(request.POST or None, initial={"effective": record.work_date})
        rows, warnings = None, []
        if request.method == "POST" and form.is_valid():
            try:
                clauses = text.split(form.cleaned_data["text"])
            except ImportRefused as exc:
                form.add_error("text", str(exc))
                clauses = None
            if clauses is None:
                pass
            elif not clauses:
                form.add_error("text", gettext("No text to import."))
            elif "confirm" not in request.POST:
                rows = text.preview(clauses)  # nothing is written before the archivist has seen this
                warnings = text.warnings(form.cleaned_data["text"], clauses)
            else:
                try:
                    events = text.write(record.slug, clauses, language=form.cleaned_data["language"],
                                        effective=form.cleaned_data["effective"] or None, user=request.user)
                except (ImportRefused, InvalidCommand, DomainError, services.NotAllowed) as exc:
                    form.add_error(None, gettext("Nothing was written: %(error)s") % {"error": exc})
                    rows = text.preview(clauses)
                else:
                    added = ngettext("Added %(count)s clause as official text.",
                                     "Added %(count)s clauses as official text.", len(clauses)) % {"count": len(clauses)}
                    self.message_user(request, " ".join([added, events_recorded(events)]), messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:agreements_agreementrecord_change", args=[record.pk]))
        return TemplateResponse(request, "admin/agreements/agreementrecord/paste_text.html",
                                self._context(request, title=gettext("Paste the whole text: %(title)s") % {"title": record.title}, record=record,
                                              form=form, rows=rows, warnings=warnings))
