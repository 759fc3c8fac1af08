"""The agreement page's forms: plain Django forms and formsets, one per part of the page (details, clause rows,
parties, lifecycle facts, registrations, relations, citations, obligations, removals).

Nothing here saves a model or builds a command: `editor.AgreementEditor` holds these forms and turns what the
archivist changed into commands (`AgreementEditor.commands()`).

Every row of an existing clause carries, hidden, the clause as it was when the form was rendered (`base`, with
a digest of its text): a change is what differs from that base, never from the current database. So a form
rendered before somebody else's save cannot silently undo their edit (and the stale version is refused anyway).
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms import formset_factory
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from agreements.domain.obligations import CONDITIONS, MODALITIES, OBLIGATION_TYPES
from agreements.domain.vocabulary import (
    DEPOSITARY_SUBJECT, KINDS, LIFECYCLE_ACTIONS, REGISTRATION_SUBJECT, RELATIONS, TEXT_KINDS, lifecycle_subject,
)
from agreements.domain.wording import choices
from agreements.models import Citation
from sources.models import Source

from .autocomplete import CodeAutocomplete
from .keys import reference_key, relation_key
from .subjects import supports_label
from .texts import normalise, text_digest, text_to_titles, titles_to_text

BLANK = [("", "---------")]
# Dates as archivists write them; the format's name (EDTF) last, for the specialist.
def translated(pairs) -> list[tuple[str, str]]:
    """(value, label) choices with each label (the domain's English word, in the catalogue) said in the staff's
    language when the form is shown."""
    return [(value, gettext_lazy(label)) for value, label in pairs]


DATE_HELP = _("as precise as known: 2010-08-16, 1996-06, 1992, or 2000? if uncertain (EDTF)")
KIND_CHOICES = translated(choices(KINDS))
TEXT_KIND_CHOICES = translated(choices(TEXT_KINDS))
ACTION_CHOICES = translated(choices(LIFECYCLE_ACTIONS))
RELATION_CHOICES = translated(choices(RELATIONS))


def _text_input(size=None, datalist=None, **attrs):
    if size:
        attrs["size"] = size
    if datalist:
        attrs["list"] = datalist
    return forms.TextInput(attrs=attrs)


def _party_choice(label=_("Party code"), **kwargs):
    return forms.CharField(required=False, label=label, widget=CodeAutocomplete("admin:pacta_autocomplete_parties"),
                           **kwargs)


def _agreement_choice(label=_("Target agreement"), **kwargs):
    return forms.CharField(required=False, label=label,
                           widget=CodeAutocomplete("admin:pacta_autocomplete_agreements"), **kwargs)


def _textarea(rows=3, cols=60):
    return forms.Textarea(attrs={"rows": rows, "cols": cols})


def name_row_fields(formset, row_name):
    """A field in a table row has no visible label of its own (the column header is one for all rows): give
    each an accessible name, "Heading, new clause 2", so screen readers and axe-core can tell them apart."""
    for index, form in enumerate(formset.forms):
        where = row_name(form, index)
        for name, f in form.fields.items():
            if not f.widget.is_hidden:
                f.widget.attrs["aria-label"] = f"{f.label or name.replace('_', ' ').capitalize()}, {where}"


class BaseField(forms.CharField):
    """Hidden JSON: what the form showed when it was rendered (the base a change is measured against)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, widget=forms.HiddenInput, **kwargs)

    def to_python(self, value):
        if not value:
            return {}
        try:
            data = json.loads(value)
        except (TypeError, ValueError, RecursionError):
            raise forms.ValidationError(_("The form was tampered with; reload the page.")) from None
        if not isinstance(data, dict):
            raise forms.ValidationError(_("The form was tampered with; reload the page."))
        return data

    def prepare_value(self, value):
        return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value


# ---------------------------------------------------------------- the forms


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class DetailsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=1000, widget=_text_input(size=80))
    kind = forms.ChoiceField(label=_("Kind"), choices=BLANK + KIND_CHOICES)
    work_date = forms.CharField(
        required=False, label=_("Date of the work"), widget=_text_input(size=20),
        help_text=DATE_HELP,
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=1000, widget=_text_input(size=40))
    summary = forms.CharField(label=_("Summary"), required=False, widget=_textarea(4, 80))
    titles = forms.CharField(
        required=False, label=_("Titles in other languages"), widget=_textarea(2, 80),
        help_text=_("One per line: 'tr: Stratejik Ortaklık ve Karşılıklı Yardım Anlaşması'"),
    )
    base = BaseField()

    FIELDS = ("title", "kind", "work_date", "place", "summary", "titles")

    def clean_titles(self):
        return text_to_titles(self.cleaned_data.get("titles", ""))

    @classmethod
    def initial_from(cls, view) -> dict:
        values = {
            "title": view.title, "kind": view.kind, "work_date": view.work_date or "", "place": view.place or "",
            "summary": view.summary or "", "titles": titles_to_text(view.titles),
        }
        return {**values, "base": dict(values)}

    def changes(self) -> dict:
        base = self.cleaned_data.get("base") or {}
        changed = {}
        for name in self.FIELDS:
            value = self.cleaned_data.get(name)
            if name == "titles":
                if value != text_to_titles(base.get("titles", "")):
                    changed[name] = value
            elif normalise(value) != normalise(base.get(name, "")):
                changed[name] = normalise(value) if name == "summary" else (value or "").strip()
        return changed


class DraftForm(DetailsForm):
    slug = forms.CharField(
        max_length=200, label=_("Short name in addresses"), widget=_text_input(size=50),
        help_text=_("Lowercase letters, digits and hyphens, e.g. tr-az-military-training-1996. Permanent: it is part "
                  "of the agreement's addresses (details: the slug, in the work URI)."),
    )
    field_order = ["slug"]


class ExistingClauseForm(forms.Form):
    """One clause as it stands (latest version): amend its text, renumber it or repeal it."""

    eid = forms.CharField(widget=forms.HiddenInput)
    base = BaseField()
    text = forms.CharField(label=_("Text"), required=False, widget=_textarea(3, 70))
    text_kind = forms.ChoiceField(label=_("Text kind"), choices=TEXT_KIND_CHOICES, required=False)
    effective = forms.CharField(
        required=False, label=_("With effect from"), widget=_text_input(size=12),
        help_text=_("needed to amend, repeal or renumber: 2015-06-01, 2015-06 or 2015 (EDTF)"),
    )
    by = _agreement_choice(_("By (amending agreement)"))
    new_eid = forms.CharField(required=False, label=_("Renumber to"), widget=_text_input(size=10),
                              help_text=_("the new clause reference, e.g. art_3a"))
    new_number = forms.CharField(required=False, label=_("New number"), widget=_text_input(size=5))
    repeal = forms.BooleanField(label=_("Repeal"), required=False)

    @classmethod
    def initial_from(cls, clause, text_event_id=None) -> dict:
        base = {
            "text_sha256": text_digest(clause.text), "text_kind": clause.text_kind, "number": clause.number,
            "heading": clause.heading,
            "repealed": clause.repealed, "effective": clause.effective, "amended_by": clause.amended_by,
            "change": clause.change, "text_event_id": text_event_id,
        }
        return {"eid": clause.eid, "text": clause.text, "text_kind": clause.text_kind, "base": base}

    @property
    def info(self) -> dict:
        """The clause as it was shown (for the row's read-only columns), whether bound or not."""
        if self.is_bound:
            try:
                return BaseField().to_python(self.data.get(self.add_prefix("base"))) or {}
            except forms.ValidationError:
                return {}
        return self.initial.get("base", {})

    @property
    def eid_value(self):
        return self.data.get(self.add_prefix("eid")) if self.is_bound else self.initial.get("eid")


class NewClauseForm(forms.Form):
    number = forms.CharField(label=_("Number"), required=False, widget=_text_input(size=4))
    eid = forms.CharField(required=False, label=_("Clause reference"), widget=_text_input(size=10),
                          help_text=_("e.g. art_2; empty: art_<number> (details: the Akoma Ntoso eId)"))
    heading = forms.CharField(label=_("Heading"), required=False, widget=_text_input(size=24))
    text = forms.CharField(label=_("Text"), required=False, widget=_textarea(3, 60))
    text_kind = forms.ChoiceField(label=_("Text kind"), choices=BLANK + TEXT_KIND_CHOICES, required=False)
    language = forms.CharField(label=_("Language"), required=False, initial="en", widget=_text_input(size=4))
    parent = forms.CharField(required=False, label=_("Part of clause"), widget=_text_input(size=10),
                             help_text=_("its reference, e.g. art_2"))
    effective = forms.CharField(required=False, label=_("In effect from"), widget=_text_input(size=12),
                                help_text=_("2015-06-01, 2015-06 or 2015 (EDTF); empty: the agreement's date"))

    def derived_eid(self) -> str:
        eid = (self.cleaned_data.get("eid") or "").strip()
        number = (self.cleaned_data.get("number") or "").strip().lower()
        if not eid and number and number.replace("_", "").isalnum():
            return f"art_{number}"
        return eid


class NewPartyForm(forms.Form):
    party = _party_choice()
    role = forms.CharField(label=_("Role"), required=False, widget=_text_input(size=20))
    reason = forms.CharField(required=False, widget=_text_input(size=30), label=_("Reason"),
                             help_text=_("only for a party that did not exist on the agreement's date: "
                                         "why it is added"))


class LifecycleForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=BLANK + ACTION_CHOICES, required=False)
    date = forms.CharField(label=_("Date"), required=False, widget=_text_input(size=14), help_text=DATE_HELP)
    party = _party_choice(_("Party code (empty: the agreement as a whole)"))


class RegistrationForm(forms.Form):
    """Record the agreement's registration (UNTC: "No. I-54669, registered 24 October 1945")."""

    registration_number = forms.CharField(required=False, label=_("Registration number"), widget=_text_input(size=14),
                                          help_text=_("as the registering body writes it: I-54669"))
    date = forms.CharField(required=False, label=_("Date of registration"), widget=_text_input(size=12),
                           help_text=DATE_HELP)
    registering_body = forms.CharField(required=False, label=_("Registering body"), widget=_text_input(size=24),
                                       help_text=_("UN Secretariat (Art. 102 of the Charter), League of Nations..."))


class DepositaryForm(forms.Form):
    depositary = forms.CharField(required=False, label=_("Depositary"), widget=_text_input(size=50),
                                 help_text=_("a party code (USA) or a name: Secretary-General of the United Nations"))


class NewRelationForm(forms.Form):
    relation = forms.ChoiceField(label=_("Relation"), choices=BLANK + RELATION_CHOICES, required=False)
    target = _agreement_choice()
    note = forms.CharField(label=_("Note"), required=False, widget=_text_input(size=40))


class NewReferenceForm(forms.Form):
    eid = forms.CharField(required=False, label=_("From clause"), widget=_text_input(size=10, datalist="pacta-eids"),
                          help_text=_("e.g. art_2"))
    target = _agreement_choice()
    target_eid = forms.CharField(required=False, label=_("Target clause"), widget=_text_input(size=10),
                                 help_text=_("e.g. art_51; empty: the whole agreement"))
    note = forms.CharField(label=_("Note"), required=False, widget=_text_input(size=40))


class NewCitationForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.all(), required=False,
        widget=AutocompleteSelect(Citation._meta.get_field("source"), admin.site),
    )
    locator = forms.CharField(label=_("Locator"),
                              required=False, widget=_text_input(size=12), help_text=_("paragraph, page"))
    quote = forms.CharField(label=_("Quote"), required=False, widget=_textarea(2, 40))
    supports = forms.CharField(label=_("Supports"), required=False, widget=_text_input(size=16, datalist="pacta-eids"),
                               help_text=_("a clause (art_2), a field (title...), a party (party:TUR); "
                                           "empty: the agreement"))


AGREEMENT_FACT = "@agreement"  # the checkbox value of "the agreement itself" (its `supports` is empty)


class CiteManyForm(forms.Form):
    """One source, one locator and quote, for several facts at once: an AttachCitation per fact ticked, saved
    with the rest of the page in one transaction (all or nothing)."""

    source = forms.ModelChoiceField(
        queryset=Source.objects.all(), required=False, label=_("Source"),
        widget=AutocompleteSelect(Citation._meta.get_field("source"), admin.site,
                                  attrs={"aria-label": _("Source cited for several facts")}),
    )
    locator = forms.CharField(label=_("Locator"),
                              required=False, widget=_text_input(size=12), help_text=_("paragraph, page"))
    quote = forms.CharField(label=_("Quote"), required=False, widget=_textarea(2, 60))
    facts = forms.MultipleChoiceField(required=False, label=_("Facts it supports"), widget=forms.CheckboxSelectMultiple,
                                      help_text=_("Tick every fact this passage supports; facts still without a source "
                                                "are marked."))

    def __init__(self, *args, facts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facts"].choices = list(facts)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("facts") and not cleaned.get("source"):
            self.add_error("source", _("Choose the source these facts are cited to."))
        if cleaned.get("source") and not cleaned.get("facts"):
            self.add_error("facts", _("Tick at least one fact this source supports."))
        return cleaned

    def supports(self) -> list[str]:
        return ["" if fact == AGREEMENT_FACT else fact for fact in self.cleaned_data.get("facts") or []]


def citable_facts(state, obligations=(), uncited=()) -> list[tuple[str, str]]:
    """(supports, label) of every fact of the agreement a citation can support, in page order; the facts
    still without a source say so. Each label is made with its fact, never looked up by the subject's text."""
    view = state.view
    labelled = [(AGREEMENT_FACT, "the agreement itself")]
    labelled += [(f"party:{p.code}", f"party: {p.name} ({p.code})") for p in view.parties]
    labelled += [(subject, supports_label(subject))
                 for subject in (lifecycle_subject(f.action, f.party) for f in view.lifecycle)]
    labelled += [(c.eid, supports_label(c.eid)) for c in state.clauses if not c.repealed]
    labelled += [(f"obligation:{o.obligation_id}", f"the obligation coded in {o.eid} ({o.obligation_label})")
                 for o in obligations]
    labelled += [(REGISTRATION_SUBJECT, supports_label(REGISTRATION_SUBJECT))] * bool(view.registrations)
    labelled += [(DEPOSITARY_SUBJECT, supports_label(DEPOSITARY_SUBJECT))] * bool(view.depositaries)
    uncited = set(uncited)
    facts = {}
    for subject, label in labelled:
        uncited_name = "the agreement" if subject == AGREEMENT_FACT else subject
        facts.setdefault(subject, label + (" — no source yet" if uncited_name in uncited else ""))
    return list(facts.items())


class ObligationForm(forms.Form):
    """Code what a clause obliges or permits (ATOP's scheme; the codebook is at /data/obligations/codebook/)."""

    eid = forms.CharField(required=False, label=_("Clause"), widget=_text_input(size=10, datalist="pacta-eids"),
                          help_text=_("e.g. art_2"))
    obligation = forms.ChoiceField(label=_("Obligation"),
                                   choices=BLANK + [(c.code, _(c.label)) for c in OBLIGATION_TYPES], required=False)
    modality = forms.ChoiceField(label=_("Modality"),
                                 choices=BLANK + [(c.code, _(c.label)) for c in MODALITIES], required=False)
    conditions = forms.MultipleChoiceField(label=_("Conditions"),
                                           choices=[(c.code, _(c.label)) for c in CONDITIONS], required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 4}),
                                           help_text=_("none: unconditional"))
    parties = forms.CharField(required=False, label=_("Parties bound"), widget=_text_input(size=12),
                              help_text=_("codes, comma-separated; empty: every party"))
    towards = forms.CharField(required=False, label=_("Owed to"), widget=_text_input(size=12),
                              help_text=_("codes, if not all"))
    adversary = forms.CharField(label=_("Adversary"),
                                required=False, widget=_text_input(size=12), help_text=_("with 'specific adversary'"))
    effective = forms.CharField(required=False, label=_("From"), widget=_text_input(size=10),
                                help_text=_("a date (EDTF)"))
    until = forms.CharField(label=_("Until"), required=False, widget=_text_input(size=10), help_text=_("a date (EDTF)"))
    note = forms.CharField(required=False, label=_("How the text was read"), widget=_textarea(2, 30))


class RemovalsForm(forms.Form):
    remove_parties = forms.MultipleChoiceField(label=_("Remove parties"),
                                               required=False, widget=forms.CheckboxSelectMultiple)
    remove_relations = forms.MultipleChoiceField(label=_("Remove relations"),
                                                 required=False, widget=forms.CheckboxSelectMultiple)
    remove_references = forms.MultipleChoiceField(label=_("Remove references"),
                                                  required=False, widget=forms.CheckboxSelectMultiple)
    detach_citations = forms.MultipleChoiceField(label=_("Detach citations"),
                                                 required=False, widget=forms.CheckboxSelectMultiple)
    uncode_obligations = forms.MultipleChoiceField(label=_("Uncode obligations"),
                                                   required=False, widget=forms.CheckboxSelectMultiple)
    uncode_reason = forms.CharField(required=False, label=_("Why uncode them"), widget=_text_input(size=60))

    def __init__(self, *args, state=None, obligations=None, **kwargs):
        super().__init__(*args, **kwargs)
        view = state.view if state else None
        self.fields["remove_parties"].choices = [(p.code, p.code) for p in (view.parties if view else [])]
        self.fields["remove_relations"].choices = [
            (relation_key(r.relation, r.target_slug), f"{r.relation} {r.target_slug}")
            for r in (view.relations_out if view else [])
        ]
        self.fields["remove_references"].choices = [
            (reference_key(r.eid, r.target_slug, r.target_eid), r.eid) for r in (state.references if state else [])
        ]
        self.fields["detach_citations"].choices = [(str(c.citation_id), str(c.citation_id)) for c in (view.citations if view else [])]
        self.fields["uncode_obligations"].choices = [(str(o.obligation_id),) * 2 for o in obligations or []]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("uncode_obligations") and not (cleaned.get("uncode_reason") or "").strip():
            self.add_error("uncode_reason", _("Say why these codings are withdrawn (the history keeps them)."))
        return cleaned



ExistingClauseFormSet = formset_factory(ExistingClauseForm, extra=0)
NewPartyFormSet = formset_factory(NewPartyForm, extra=2)
LifecycleFormSet = formset_factory(LifecycleForm, extra=2)
RegistrationFormSet = formset_factory(RegistrationForm, extra=1)
DepositaryFormSet = formset_factory(DepositaryForm, extra=1)
NewRelationFormSet = formset_factory(NewRelationForm, extra=1)
NewReferenceFormSet = formset_factory(NewReferenceForm, extra=1)
NewCitationFormSet = formset_factory(NewCitationForm, extra=1)
ObligationFormSet = formset_factory(ObligationForm, extra=1)
