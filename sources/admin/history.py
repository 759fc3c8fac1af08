"""Reference data's admin pages share simple-history's history, who changed what and revert, with ids that
are not ids answered 404 or 400 rather than 500; their EDTF fields are checked by the domain's date parser.

simple-history has no Turkish or Azerbaijani catalogue (its Russian one is `ru_RU`, which Django
never reads for `ru`): its messages are listed here (`PACKAGE_MESSAGES`), so that `makemessages` puts them in the
registry's catalogue, which Django reads before any package's (LOCALE_PATHS). Its history pages are drawn by the
registry's own templates (admin/sources/history_*.html): the package's name the historical model ("Historical
parties") where the page links to the parties, and print None for an empty reason or predecessor (`EmptyAsDash`).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.utils.translation import gettext, gettext_noop, ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from agreements.domain.dates import InvalidDate, parse_date


def clean_edtf(value):
    value = (value or "").strip()
    if value:
        try:
            parse_date(value)
        except InvalidDate as exc:
            raise forms.ValidationError(str(exc)) from None
    return value


# Every message of simple-history's code and templates (the msgids of its own catalogues), translated in ours.
PACKAGE_MESSAGES = (
    gettext_noop("Change History"), gettext_noop("Change history: %s"), gettext_noop("Change reason"),
    gettext_noop("Changed"), gettext_noop("Changed by"), gettext_noop("Changes"),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("Close"), gettext_noop("Comment"), gettext_noop("Created"), gettext_noop("Date/time"),
    gettext_noop("Deleted"), gettext_noop("Deleted %(type_name)s"), gettext_noop("History"), gettext_noop("Home"),
    gettext_noop("None"), gettext_noop("Object"),
    gettext_noop("Or press the 'Change History' button to edit the history."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Revert"), gettext_noop("Revert %(verbose_name)s"), gettext_noop("Revert %s"),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("This object doesn't have a change history."), gettext_noop("View %(verbose_name)s"),
    gettext_noop("View %s"), gettext_noop("View history: %s"), gettext_noop("You may edit it again below"),
    ngettext_lazy("entry", "entries", 0),
)


class EmptyAsDash(HistoricalRecordContextHelper):
    """A reference that was empty before or after a change is a dash, not "Deleted party (pk=None)"."""

    def prepare_delta_change_value(self, change, value):
        if isinstance(value, DeletedObject) and value.pk is None:
            return "–"
        return super().prepare_delta_change_value(change, value)


class ReferenceHistoryAdmin(SimpleHistoryAdmin):
    """simple-history's pages, with an id that is not an id (`/party/abc/history/`) a 404, not a 500."""

    object_history_list_template = "admin/sources/history_list.html"
    object_history_form_template = "admin/sources/history_form.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return EmptyAsDash(self.model, historical_record)

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
