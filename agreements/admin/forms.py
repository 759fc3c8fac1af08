"""The agreement change form: plain Django forms and formsets whose save is a list of commands.

Nothing here saves a model. `AgreementEditor.commands()` (`commands_from_form`) turns what the archivist
changed into commands (`agreements.domain.commands`), each remembering the form and fields it came from, so that a refusal
by the domain (`InvalidCommand.errors`, `RuleViolated.field`) is shown next to the field that caused it.

Every row of an existing clause carries, hidden, the clause as it was when the form was rendered (`base`, with
a digest of its text):
a change is what differs from that base, never from the current database. So a form rendered before
somebody else's save cannot silently undo their edit (and the stale version is refused anyway).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms import formset_factory
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from agreements.domain import obligations as ob
from agreements.domain import vocabulary as v
from agreements.domain.wording import choices
from agreements.domain.commands import Command, parse_command
from agreements.domain.errors import InvalidCommand
from agreements.models import Citation
from agreements.queries.clauses import text_events
from sources.models import Source

BLANK = [("", "---------")]
# Dates as archivists write them; the format's name (EDTF) last, for the specialist.
def translated(pairs) -> list[tuple[str, str]]:
    """(value, label) choices with each label (the domain's English word, in the catalogue) said in the staff's
    language when the form is shown."""
    return [(value, gettext_lazy(label)) for value, label in pairs]


DATE_HELP = _("as precise as known: 2010-08-16, 1996-06, 1992, or 2000? if uncertain (EDTF)")
KIND_CHOICES = translated(choices(v.KINDS))
TEXT_KIND_CHOICES = translated(choices(v.TEXT_KINDS))
ACTION_CHOICES = translated(choices(v.LIFECYCLE_ACTIONS))
RELATION_CHOICES = translated(choices(v.RELATIONS))


def _text_input(size=None, datalist=None, **attrs):
    if size:
        attrs["size"] = size
    if datalist:
        attrs["list"] = datalist
    return forms.TextInput(attrs=attrs)


def _party_choice(label=_("Party code"), **kwargs):
    from .autocomplete import CodeAutocomplete

    return forms.CharField(required=False, label=label, widget=CodeAutocomplete("admin:pacta_autocomplete_parties"),
                           **kwargs)


def _agreement_choice(label=_("Target agreement"), **kwargs):
    from .autocomplete import CodeAutocomplete

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


def normalise(text) -> str:
    """Browsers send textareas with CRLF; whitespace around a text is not a change."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def text_digest(text) -> str:
    """The base of a clause row keeps its text's digest, not a second copy of the text (smaller pages)."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def titles_to_text(titles: dict) -> str:
    return "\n".join(f"{lang}: {title}" for lang, title in sorted((titles or {}).items()))


def text_to_titles(text: str) -> dict:
    titles = {}
    for line in normalise(text).split("\n"):
        if not line.strip():
            continue
        lang, sep, title = line.partition(":")
        if not sep:
            raise forms.ValidationError(f"Write one title per line as 'language: title' (got '{line.strip()}').")
        titles[lang.strip()] = title.strip()
    return titles


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
            raise forms.ValidationError("The form was tampered with; reload the page.") from None
        if not isinstance(data, dict):
            raise forms.ValidationError("The form was tampered with; reload the page.")
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
            self.add_error("source", "Choose the source these facts are cited to.")
        if cleaned.get("source") and not cleaned.get("facts"):
            self.add_error("facts", "Tick at least one fact this source supports.")
        return cleaned

    def supports(self) -> list[str]:
        return ["" if fact == AGREEMENT_FACT else fact for fact in self.cleaned_data.get("facts") or []]


def citable_facts(state, obligations=(), uncited=()) -> list[tuple[str, str]]:
    """(supports, label) of every fact of the agreement a citation can support, in page order; the facts
    still without a source say so."""
    from agreements.domain.vocabulary import DEPOSITARY_SUBJECT, REGISTRATION_SUBJECT, lifecycle_subject

    from .subjects import supports_label

    view = state.view
    uncited = set(uncited)
    subjects = [AGREEMENT_FACT] + [f"party:{p.code}" for p in view.parties]
    subjects += [lifecycle_subject(f.action, f.party) for f in view.lifecycle]
    subjects += [c.eid for c in state.clauses if not c.repealed]
    subjects += [f"obligation:{o.obligation_id}" for o in obligations]
    subjects += [REGISTRATION_SUBJECT] * bool(view.registrations) + [DEPOSITARY_SUBJECT] * bool(view.depositaries)
    names = {f"party:{p.code}": f"party: {p.name} ({p.code})" for p in view.parties}
    facts = []
    for subject in dict.fromkeys(subjects):
        label = "the agreement itself" if subject == AGREEMENT_FACT else names.get(subject) or supports_label(subject)
        if subject.startswith("obligation:"):
            row = next(o for o in obligations if f"obligation:{o.obligation_id}" == subject)
            label = f"the obligation coded in {row.eid} ({row.obligation_label})"
        uncited_name = "the agreement" if subject == AGREEMENT_FACT else subject
        facts.append((subject, label + (" — no source yet" if uncited_name in uncited else "")))
    return facts


class ObligationForm(forms.Form):
    """Code what a clause obliges or permits (ATOP's scheme; the codebook is at /data/obligations/codebook/)."""

    eid = forms.CharField(required=False, label=_("Clause"), widget=_text_input(size=10, datalist="pacta-eids"),
                          help_text=_("e.g. art_2"))
    obligation = forms.ChoiceField(label=_("Obligation"),
                                   choices=BLANK + [(c.code, _(c.label)) for c in ob.OBLIGATION_TYPES], required=False)
    modality = forms.ChoiceField(label=_("Modality"),
                                 choices=BLANK + [(c.code, _(c.label)) for c in ob.MODALITIES], required=False)
    conditions = forms.MultipleChoiceField(label=_("Conditions"),
                                           choices=[(c.code, _(c.label)) for c in ob.CONDITIONS], required=False,
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
            self.add_error("uncode_reason", "Say why these codings are withdrawn (the history keeps them).")
        return cleaned


def relation_key(relation, target):
    return f"{relation}|{target}"


def reference_key(eid, target, target_eid):
    return f"{eid}|{target}|{target_eid or ''}"


ExistingClauseFormSet = formset_factory(ExistingClauseForm, extra=0)
NewPartyFormSet = formset_factory(NewPartyForm, extra=2)
LifecycleFormSet = formset_factory(LifecycleForm, extra=2)
RegistrationFormSet = formset_factory(RegistrationForm, extra=1)
DepositaryFormSet = formset_factory(DepositaryForm, extra=1)
NewRelationFormSet = formset_factory(NewRelationForm, extra=1)
NewReferenceFormSet = formset_factory(NewReferenceForm, extra=1)
NewCitationFormSet = formset_factory(NewCitationForm, extra=1)
ObligationFormSet = formset_factory(ObligationForm, extra=1)


# ---------------------------------------------------------------- from forms to commands


@dataclass
class PlannedCommand:
    command: Command
    form: forms.Form
    fields: dict = field(default_factory=dict)  # command field -> form field

    def form_field(self, name):
        if not name:
            return None
        name = name.split(".")[-1]
        mapped = self.fields.get(name, name)
        return mapped if mapped in self.form.fields else None

    def add_error(self, name, messages):
        self.form.add_error(self.form_field(name), messages)


class AgreementEditor:
    """All the forms of one agreement page (add or change) and the commands they imply."""

    def __init__(self, state=None, data=None, new_clause_rows=None, clauses=None, obligations=None, uncited=()):
        self.state = state
        self.obligation_rows = obligations or []
        self.adding = state is None
        self.bound = data is not None
        p = {"data": data} if data is not None else {}
        if self.adding:
            self.details = DraftForm(prefix="details", **p)
        else:
            self.details = DetailsForm(prefix="details", initial=DetailsForm.initial_from(state.view), **p)
        self.version = VersionForm(prefix="meta", initial={"version": state.version if state else 0}, **p)
        # `clauses`: the rows this page shows (a long agreement is edited a page of clauses at a time)
        shown = clauses if clauses is not None else (state.clauses if state else [])
        text_set_by = text_events(shown)  # the event each text shown comes from: "correct a typo" corrects it
        clause_initial = [ExistingClauseForm.initial_from(c, text_set_by.get(c.clause_id)) for c in shown]
        self.clauses = ExistingClauseFormSet(prefix="clauses", initial=clause_initial, **p)
        rows = new_clause_rows if new_clause_rows is not None else (5 if self.adding else 3)
        self.new_clauses = formset_factory(NewClauseForm, extra=rows)(prefix="newclauses", **p)
        self.new_parties = NewPartyFormSet(prefix="parties", **p)
        self.lifecycle = LifecycleFormSet(prefix="lifecycle", **p)
        self.registrations = RegistrationFormSet(prefix="registrations", **p)
        self.depositaries = DepositaryFormSet(prefix="depositaries", **p)
        self.new_relations = NewRelationFormSet(prefix="relations", **p)
        self.new_references = NewReferenceFormSet(prefix="references", **p)
        self.new_citations = NewCitationFormSet(prefix="citations", **p)
        self.obligations = ObligationFormSet(prefix="obligations", **p)
        self.removals = RemovalsForm(prefix="remove", state=state, obligations=self.obligation_rows, **p)
        self.cite_many = CiteManyForm(prefix="citemany", facts=citable_facts(state, self.obligation_rows, uncited)
                                      if state else (), **p)
        name_row_fields(self.clauses, lambda form, i: f"clause {form.eid_value}")
        for formset, row in ((self.new_clauses, "new clause"), (self.new_parties, "new party"),
                             (self.lifecycle, "new lifecycle fact"), (self.registrations, "new registration"),
                             (self.depositaries, "new depositary"), (self.new_relations, "new relation"),
                             (self.new_references, "new cross-reference"), (self.new_citations, "new citation"),
                             (self.obligations, "new obligation")):
            name_row_fields(formset, lambda form, i, row=row: f"{row} {i + 1}")
        self.page_errors: list[str] = []
        self.conflict: list[dict] | None = None  # set by a save refused on a stale version (conflicts.py)

    @property
    def parts(self):
        # An add page has nothing existing, and no clause to code yet.
        existing = [] if self.adding else [self.clauses, self.removals, self.obligations, self.cite_many]
        return [self.details, self.version, *existing, self.new_clauses, self.new_parties, self.lifecycle,
                self.registrations, self.depositaries, self.new_relations, self.new_references, self.new_citations]

    @property
    def media(self):
        media = forms.Media()
        for part in self.parts:
            media += part.media
        return media

    def is_valid(self) -> bool:
        return all([part.is_valid() for part in self.parts])  # a list: validate every part, not just up to the first

    @property
    def carried_version(self) -> int:
        return self.version.cleaned_data["version"]

    def set_version(self, version: int):
        """After a conflict: the archivist saves again on top of the version they have now been shown."""
        data = self.version.data.copy()
        data[self.version.add_prefix("version")] = str(version)
        self.version.data = data

    @property
    def slug(self):
        return self.details.cleaned_data["slug"] if self.adding else self.state.view.slug

    # ------------------------------------------------------------ commands_from_form

    def commands(self) -> list[PlannedCommand]:
        """The commands this form implies, in an order in which each can apply. Field errors of commands that
        are malformed are put on their forms (check `has_errors()` before running them)."""
        self._planned: list[PlannedCommand] = []
        self._details_commands()
        self._removal_commands()
        for form in self._filled(self.new_parties):
            self._plan("AddParty", {"party": _strip(form, "party"), "role": _strip(form, "role"),
                                    "reason": _strip(form, "reason")}, form)
        for form in self._filled(self.new_clauses):
            data = {name: _strip(form, name) for name in ("number", "heading", "language", "parent", "effective", "text_kind")}
            data.update(eid=form.derived_eid(), text=normalise(form.cleaned_data.get("text")))
            data["language"] = data["language"] or "en"
            data["effective"] = data["effective"] or self._work_date()  # as the seed loader does
            self._plan("AddClause", data, form)
        for form in ([] if self.adding else self.clauses.forms):
            self._clause_row_commands(form)
        for form in self._filled(self.lifecycle):
            self._plan("RecordLifecycle", {name: _strip(form, name) for name in ("action", "date", "party")}, form)
        for form in self._filled(self.registrations):
            data = {name: _strip(form, name) for name in ("registration_number", "date", "registering_body")}
            self._plan("RecordRegistration", data, form)
        for form in self._filled(self.depositaries):
            self._plan("NameDepositary", {"depositary": _strip(form, "depositary")}, form)
        for form in self._filled(self.new_relations):
            self._plan("AddRelation", {name: _strip(form, name) for name in ("relation", "target", "note")}, form)
        for form in self._filled(self.new_references):
            data = {name: _strip(form, name) for name in ("eid", "target", "target_eid", "note")}
            self._plan("AddReference", data, form, {"target_eid": "target_eid"})
        for form in self._filled(self.new_citations):
            source = form.cleaned_data.get("source")
            data = {"source": source.key if source else "", **{n: _strip(form, n) for n in ("locator", "quote", "supports")}}
            self._plan("AttachCitation", data, form, {"citation_id": "quote"})
        if not self.adding and self.cite_many.is_valid():
            form = self.cite_many
            source, common = form.cleaned_data.get("source"), {n: _strip(form, n) for n in ("locator", "quote")}
            for supports in form.supports():
                self._plan("AttachCitation", {"source": source.key, **common, "supports": supports}, form,
                           {"citation_id": "quote", "supports": "facts"})
        for form in [] if self.adding else self._filled(self.obligations):
            data = {name: _strip(form, name) for name in ("eid", "obligation", "modality", "parties", "towards",
                                                            "adversary", "effective", "until", "note")}
            data["conditions"] = form.cleaned_data.get("conditions") or []
            self._plan("CodeObligation", data, form)
        for obligation_id in [] if self.adding else self.removals.cleaned_data.get("uncode_obligations", []):
            self._plan("UncodeObligation", {"obligation_id": obligation_id,
                                            "reason": self.removals.cleaned_data.get("uncode_reason", "")},
                       self.removals, {"obligation_id": "uncode_obligations", "reason": "uncode_reason"})
        for code in [] if self.adding else self.removals.cleaned_data.get("remove_parties", []):
            self._plan("RemoveParty", {"party": code}, self.removals, {"party": "remove_parties"})
        return self._planned

    def _work_date(self) -> str:
        """The agreement's date: a new clause is in effect from it unless the row says otherwise."""
        if self.adding:
            return (self.details.cleaned_data.get("work_date") or "").strip() if self.details.is_valid() else ""
        return self.state.view.work_date or ""

    def has_errors(self) -> bool:
        return any(not part.is_valid() for part in self.parts)

    def _plan(self, type_name, data, form, fields=None):
        try:
            command = parse_command(type_name, data)
        except InvalidCommand as exc:
            planned = PlannedCommand(None, form, fields or {})
            for name, messages in exc.errors.items():
                planned.add_error(name, messages)
            return None
        self._planned.append(PlannedCommand(command, form, fields or {}))
        return command

    @staticmethod
    def _filled(formset):
        return [form for form in formset.forms if form.has_changed() and form.is_valid()]

    def _details_commands(self):
        form = self.details
        if not form.is_valid():
            return
        if self.adding:
            data = {name: form.cleaned_data.get(name) for name in ("slug", *DetailsForm.FIELDS)}
            data = {k: (normalise(v) if isinstance(v, str) else v) for k, v in data.items()}
            self._plan("DraftAgreement", data, form)
            return
        changes = form.changes()
        for name, value in changes.items():
            if value in ("", {}) and (form.cleaned_data.get("base") or {}).get(name):
                form.add_error(name, "This cannot be emptied by an edit; correct the event that set it (History).")
        if changes and not any(value in ("", {}) for value in changes.values()):
            self._plan("EditDetails", changes, form)

    def _removal_commands(self):
        form = self.removals
        if self.adding or not form.is_valid():
            return
        for key in form.cleaned_data.get("detach_citations", []):
            self._plan("DetachCitation", {"citation_id": key}, form, {"citation_id": "detach_citations"})
        for key in form.cleaned_data.get("remove_references", []):
            eid, target, target_eid = key.split("|")
            self._plan("RemoveReference", {"eid": eid, "target": target, "target_eid": target_eid}, form,
                       {"eid": "remove_references", "target": "remove_references", "target_eid": "remove_references"})
        for key in form.cleaned_data.get("remove_relations", []):
            relation, target = key.split("|")
            self._plan("RemoveRelation", {"relation": relation, "target": target}, form,
                       {"relation": "remove_relations", "target": "remove_relations"})

    def _clause_row_commands(self, form):
        if not form.is_valid():
            return
        cd = form.cleaned_data
        base = cd.get("base") or {}
        eid = cd["eid"]
        effective, by = (cd.get("effective") or "").strip(), (cd.get("by") or "").strip()
        text = normalise(cd.get("text"))
        text_changed = text_digest(text) != base.get("text_sha256")
        kind_changed = bool(cd.get("text_kind")) and cd.get("text_kind") != base.get("text_kind")
        if (text_changed or kind_changed or cd.get("repeal")) and not effective:
            what = "A repeal" if cd.get("repeal") and not (text_changed or kind_changed) else "An amended text"
            form.add_error("effective", f"{what} needs the date it takes effect (EDTF, for example 2015-06-01).")
            return
        if text_changed or kind_changed:
            data = {"eid": eid, "text": text, "effective": effective, "by": by,
                    "text_kind": cd.get("text_kind") if kind_changed else None}
            self._plan("AmendClause", data, form, {"eid": "text"})
        new_eid, new_number = (cd.get("new_eid") or "").strip(), (cd.get("new_number") or "").strip()
        if new_eid:
            data = {"eid": eid, "new_eid": new_eid, "number": new_number or None, "effective": effective or None}
            if self._plan("RenumberClause", data, form, {"eid": "new_eid", "number": "new_number"}):
                eid = new_eid
        elif new_number:
            form.add_error("new_eid", "Renumbering needs the new clause reference (for example art_3a).")
        if cd.get("repeal"):
            self._plan("RepealClause", {"eid": eid, "effective": effective, "by": by}, form, {"eid": "repeal"})


def _strip(form, name):
    value = form.cleaned_data.get(name)
    return value.strip() if isinstance(value, str) else value
