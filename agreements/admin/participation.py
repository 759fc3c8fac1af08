"""The participation grid of an agreement: one row per participant with its actions in columns (signature,
consent with its marker, in force for it and how, status, other actions), its statements below, and two forms
that record an action (RecordLifecycle) or a statement (MakeStatement) through the write path.

Reads come from `agreements.queries` (the same participation the page and the API show); a form becomes a
command for `services.handle` against the version the page was rendered with; a refusal is put next to the
field it names, and nothing is stored.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import services
from agreements.domain.participation import CONSENT_MARKERS
from agreements.domain.statements import MADE_AT, STATEMENT_KINDS
from agreements.domain.commands import parse_command
from agreements.domain.errors import DomainError, InvalidCommand, RuleViolated
from agreements.domain.vocabulary import LIFECYCLE_ACTIONS
from agreements.domain.wording import action_label, derivation_label, participant_status_label
from agreements.queries import wording
from agreements.queries.agreements import agreement_at
from agreements.queries.time import END_OF_TIME, TimePoint

from .status_table import status_table_view

OPTIONAL = {"required": False}


class ActionForm(forms.Form):
    # Labels, help texts and choices in the archivist's language: choices as callables, read per request.
    action = forms.ChoiceField(label=gettext_lazy("Action"),
                               choices=lambda: [(a, wording.action_label(a)) for a in LIFECYCLE_ACTIONS])
    party = forms.CharField(label=gettext_lazy("Party"), max_length=32, **OPTIONAL,
                            help_text=gettext_lazy("Empty: the agreement as a whole."))
    date = forms.CharField(label=gettext_lazy("Date"), max_length=100,
                           help_text=gettext_lazy("EDTF: when it was done (signed, deposited, notified)."))
    effective = forms.CharField(label=gettext_lazy("Takes effect"), max_length=100, **OPTIONAL,
                                help_text=gettext_lazy("EDTF: when it takes effect, if known."))
    predecessor = forms.CharField(label=gettext_lazy("Predecessor"), max_length=32, **OPTIONAL,
                                  help_text=gettext_lazy("Succession: the predecessor's code."))
    territory = forms.CharField(label=gettext_lazy("Territory"), max_length=200, **OPTIONAL)
    notification = forms.CharField(label=gettext_lazy("Notification"), max_length=100, **OPTIONAL,
                                   help_text="C.N.123.2003.TREATIES-4")


class StatementForm(forms.Form):
    party = forms.CharField(label=gettext_lazy("Party"), max_length=32)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=lambda: wording.choices(STATEMENT_KINDS))
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.CharField(label=gettext_lazy("Date"), max_length=100, help_text="EDTF")
    language = forms.CharField(label=gettext_lazy("Language"), max_length=12, initial="en")
    eids = forms.CharField(label=gettext_lazy("Articles"), max_length=2000, **OPTIONAL,
                           help_text=gettext_lazy("eIds, comma-separated; empty: the whole."))
    made_at = forms.ChoiceField(label=gettext_lazy("Made at"),
                                choices=lambda: [("", "—"), *wording.choices(MADE_AT)], **OPTIONAL)
    objects_to = forms.CharField(label=gettext_lazy("Objects to"), max_length=40, **OPTIONAL,
                                 help_text=gettext_lazy("An objection: the statement's id."))
    opposes_entry_into_force = forms.BooleanField(
        label=gettext_lazy("Opposes entry into force between the two (art. 20(4)(b))"), **OPTIONAL)


FORMS = {"action": ("RecordLifecycle", ActionForm), "statement": ("MakeStatement", StatementForm)}
RECORDED = {"RecordLifecycle": gettext_lazy("The participation action is recorded."),
            "MakeStatement": gettext_lazy("The statement is recorded.")}


class ParticipationMixin:
    def participation_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [path("<path:object_id>/participation/", self.admin_site.admin_view(self.participation_view),
                     name="%s_%s_participation" % info),
                path("<path:object_id>/status-table/", self.admin_site.admin_view(
                    lambda request, object_id: status_table_view(self, request, object_id)),
                    name="%s_%s_status_table" % info)]

    def participation_view(self, request, object_id):
        record = self._record(request, object_id)
        if not self.has_view_permission(request, record):
            raise PermissionDenied
        bound = {name: cls(prefix=name) for name, (_, cls) in FORMS.items()}
        if request.method == "POST":
            if not self.has_change_permission(request, record):
                raise PermissionDenied
            which = request.POST.get("form")
            if which in FORMS:
                type_name, cls = FORMS[which]
                form = bound[which] = cls(request.POST, prefix=which)
                if form.is_valid() and self._send(request, record, type_name, form):
                    return HttpResponseRedirect(reverse("admin:agreements_agreementrecord_participation",
                                                        args=[record.pk]))
        view = agreement_at(record.slug, TimePoint.of(as_of=END_OF_TIME), include_unpublished=True)
        rows = [{
            "party": p.party, "name": p.name, "status": _(participant_status_label(p.status)),
            "signature": p.signature.date if p.signature else "",
            "consent": f"{p.consent.date} {CONSENT_MARKERS.get(p.consent.action, '')}".strip() if p.consent else "",
            "consent_kind": _(action_label(p.consent.action)) if p.consent else "",
            "in_force": p.in_force.isoformat() if p.in_force else "",
            "how": _(derivation_label(p.in_force_how)) if p.in_force else "",
            "others": [f"{_(action_label(a.action))} {a.date}" + (f" → {a.effective}" if a.effective else "")
                       for a in p.notes],
            "statements": p.statements,
        } for p in view.participation.participants]
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "record": record, "view": view,
            "rows": rows, "forms": bound, "version": view.version, "title": _("Participation: %(title)s") % {"title": view.title},
            "rule": view.participation.rule_text, "can_change": self.has_change_permission(request, record),
        }
        return TemplateResponse(request, "admin/agreements/agreementrecord/participation.html", context)

    def _send(self, request, record, type_name, form) -> bool:
        data = {k: v for k, v in form.cleaned_data.items() if v not in ("", None, False)}
        try:
            command = parse_command(type_name, data)
            services.handle(command, slug=record.slug, user=request.user,
                            expected_version=int(request.POST.get("version") or 0))
        except InvalidCommand as exc:
            for name, problems in exc.errors.items():
                form.add_error(name if name in form.fields else None, " ".join(problems))
            return False
        except RuleViolated as exc:
            form.add_error(exc.field if exc.field in form.fields else None, f"{exc.message} ({exc.rule})")
            return False
        except services.ConcurrencyConflict:
            form.add_error(None, _("Someone changed this agreement meanwhile: reload the page and try again."))
            return False
        except DomainError as exc:
            form.add_error(None, str(exc))
            return False
        self.message_user(request, RECORDED[type_name], messages.SUCCESS)
        return True
