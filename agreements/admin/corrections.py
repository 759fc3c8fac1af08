"""Correcting an earlier event from the history page: a CorrectEvent with a required reason.

The form offers the fields the domain lets one correct for that event type (rules.CORRECTABLE_FIELDS, declared beside each event's rules),
filled with their values as currently corrected; only the fields the archivist changes are sent.

"Correct this text" beside a clause's text on the change page opens the same form limited to the text
(`only=("text",)`): a typo fixed in the event that set the text, with no effective date asked, where editing
the text in the clause row would record an amendment.
"""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.domain.commands import parse_command
from agreements.domain.rules import CORRECTABLE_FIELDS

from .forms import BaseField
from .texts import normalise, text_to_titles, titles_to_text

LONG_FIELDS = {"text", "summary", "note", "quote"}


class CorrectionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    base = BaseField()
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("Required: why the earlier record was wrong, and your source for the correction."),
    )

    def __init__(self, entry, *args, data=None, initial_version=None, only=None, **kwargs):
        self.entry = entry
        self.correctable = tuple(name for name in CORRECTABLE_FIELDS[entry.event.type] if not only or name in only)
        values = {name: self._shown(name, entry.payload.get(name)) for name in self.correctable}
        initial = {**values, "base": dict(values), "version": initial_version}
        super().__init__(*args, data=data, initial=initial, **kwargs)
        for name in self.correctable:
            if name in LONG_FIELDS:
                field = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5, "cols": 80}))
            elif name in ("changes", "titles"):
                help_text = "a JSON object of the edited fields" if name == "changes" else "one per line: 'tr: ...'"
                field = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
                                        help_text=help_text)
            else:
                field = forms.CharField(required=False, widget=forms.TextInput(attrs={"size": 40}))
            self.fields[name] = field
        self.order_fields([*self.correctable, "reason"])

    @staticmethod
    def _shown(name, value):
        if name == "changes":
            return json.dumps(value or {}, ensure_ascii=False, indent=1)
        if name == "titles":
            return titles_to_text(value or {})
        return "" if value is None else str(value)

    def _value(self, name, text):
        if name == "changes":
            try:
                value = json.loads(text or "{}")
            except (ValueError, RecursionError):
                raise forms.ValidationError(_("Not valid JSON.")) from None
            if not isinstance(value, dict):
                raise forms.ValidationError(_("Give a JSON object, e.g. {\"title\": \"...\"}."))
            return value
        if name == "titles":
            return text_to_titles(text)
        return normalise(text)

    def clean(self):
        cleaned = super().clean()
        base = cleaned.get("base") or {}
        corrections = {}
        for name in self.correctable:
            submitted = cleaned.get(name, "")
            if normalise(submitted) == normalise(base.get(name, "")):
                continue
            try:
                corrections[name] = self._value(name, submitted)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        if not corrections and not self.errors:
            raise forms.ValidationError(_("Change at least one field: a correction with nothing corrected says nothing."))
        cleaned["corrections"] = corrections
        return cleaned

    def command(self):
        data = {
            "event_id": str(self.entry.event.event_id),
            "reason": self.cleaned_data["reason"],
            "corrections": self.cleaned_data["corrections"],
        }
        return parse_command("CorrectEvent", data)

    def add_error_for(self, name, messages):
        name = (name or "").split(".")[-1]
        self.add_error(name if name in self.fields else None, messages)

    def set_version(self, version):
        data = self.data.copy()
        data["version"] = str(version)
        self.data = data
