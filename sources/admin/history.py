"""Reference data's admin pages share simple-history's history, who changed what and revert, with ids that
are not ids answered 404 or 400 rather than 500; their EDTF fields are checked by the domain's date parser."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from agreements.domain.dates import InvalidDate, parse_date


def clean_edtf(value):
    value = (value or "").strip()
    if value:
        try:
            parse_date(value)
        except InvalidDate as exc:
            raise forms.ValidationError(str(exc)) from None
    return value


class ReferenceHistoryAdmin(SimpleHistoryAdmin):
    """simple-history's pages, with an id that is not an id (`/party/abc/history/`) a 404, not a 500."""

    def _check_ids(self, object_id, version_id=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404(f"No {self.model._meta.verbose_name} has the id {object_id[:40]!r}.") from None
        if version_id is not None and not str(version_id).isdigit():
            raise Http404("No such version.")

    def changelist_view(self, request, extra_context=None):
        """An action posted with ids that are not ids (a tampered form) is a 400, not a 500."""
        if request.method == "POST":
            for value in request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME):
                try:
                    self.model._meta.pk.to_python(value)
                except ValidationError:
                    message = gettext("%(field)s: select rows by their ids.") % {
                        "field": admin.helpers.ACTION_CHECKBOX_NAME}
                    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return super().changelist_view(request, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._check_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_ids(object_id, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
