"""From the agreement page's forms to commands: `AgreementEditor` holds every form of one add or change page
(forms.py) and `AgreementEditor.commands()` turns what the archivist changed into `PlannedCommand`s.

Nothing here saves. Each planned command remembers the form and the fields it came from, so that a refusal by
the domain (`InvalidCommand.errors`, `RuleViolated.field`) is shown next to the field that caused it; the admin
(agreement.py) runs the commands in one transaction (`services.handle_many`).

The commands are planned in the order of `AgreementEditor.STEPS`, so that each applies on top of the ones
before it in the same save. Why each step stands where it does:

1. the details: `DraftAgreement` makes the agreement everything else applies to, and an edited date is the one
   the parties added below are checked against (a party must have existed on the agreement's date);
2. the removals of citations, cross-references and relations, before any addition: so one save can replace
   one (adding one still recorded is refused as a duplicate);
3. the parties added, before the lifecycle facts, obligations and citations that name them;
4. the new clauses, then the rows of existing clauses (amend, renumber, repeal), before the cross-references,
   citations and obligations that name clauses by eId (a renumbered clause is named by its new eId);
5. the lifecycle facts (a party's fact needs the party), registrations and depositaries;
6. the relations and cross-references (a cross-reference starts at a clause);
7. the citations, row by row and then "cite one source for several facts", after every fact they may support;
8. the obligations coded, after the clauses and parties they name;
9. last, the obligations uncoded and then the parties removed: a party that a coded obligation names cannot be
   removed, so its obligations are uncoded first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext

from agreements.domain.commands import Command, parse_command
from agreements.domain.errors import InvalidCommand
from agreements.queries.clauses import text_events

from .forms import (
    CiteManyForm, DepositaryFormSet, DetailsForm, DraftForm, ExistingClauseForm, ExistingClauseFormSet,
    LifecycleFormSet, NewCitationFormSet, NewClauseForm, NewPartyFormSet, NewReferenceFormSet, NewRelationFormSet,
    ObligationFormSet, RegistrationFormSet, RemovalsForm, VersionForm, citable_facts, name_row_fields,
)
from .keys import reference_of, relation_of
from .texts import normalise, stripped, text_digest


@dataclass
class PlannedCommand:
    """A command and the form it came from; `fields` maps a command field to the form field that holds it
    (where the names differ), so that a refusal lands on the field the archivist filled."""

    command: Command | None
    form: forms.Form
    fields: dict = field(default_factory=dict)  # command field -> form field

    def form_field(self, name):
        """The form field a command field's error belongs to (None: the form as a whole). A nested field's
        name ("corrections.text") is read by its last part."""
        if not name:
            return None
        name = name.rpartition(".")[2]
        mapped = self.fields.get(name, name)
        return mapped if mapped in self.form.fields else None

    def add_error(self, name, messages):
        self.form.add_error(self.form_field(name), messages)


class AgreementEditor:
    """All the forms of one agreement page (add or change) and the commands they imply (`commands()`)."""

    def __init__(self, state=None, data=None, new_clause_rows=None, clauses=None, obligations=None, uncited=()):
        self.state = state
        self.obligation_rows = obligations or []
        self.adding = state is None
        self.bound = data is not None
        bound = {"data": data} if data is not None else {}
        if self.adding:
            self.details = DraftForm(prefix="details", **bound)
        else:
            self.details = DetailsForm(prefix="details", initial=DetailsForm.initial_from(state.view), **bound)
        self.version = VersionForm(prefix="meta", initial={"version": state.version if state else 0}, **bound)
        # `clauses`: the rows this page shows (a long agreement is edited a page of clauses at a time)
        shown = clauses if clauses is not None else (state.clauses if state else [])
        text_set_by = text_events(shown)  # the event each text shown comes from: "correct a typo" corrects it
        clause_initial = [ExistingClauseForm.initial_from(clause, text_set_by.get(clause.clause_id))
                          for clause in shown]
        self.clauses = ExistingClauseFormSet(prefix="clauses", initial=clause_initial, **bound)
        rows = new_clause_rows if new_clause_rows is not None else (5 if self.adding else 3)
        self.new_clauses = formset_factory(NewClauseForm, extra=rows)(prefix="newclauses", **bound)
        self.new_parties = NewPartyFormSet(prefix="parties", **bound)
        self.lifecycle = LifecycleFormSet(prefix="lifecycle", **bound)
        self.registrations = RegistrationFormSet(prefix="registrations", **bound)
        self.depositaries = DepositaryFormSet(prefix="depositaries", **bound)
        self.new_relations = NewRelationFormSet(prefix="relations", **bound)
        self.new_references = NewReferenceFormSet(prefix="references", **bound)
        self.new_citations = NewCitationFormSet(prefix="citations", **bound)
        self.obligations = ObligationFormSet(prefix="obligations", **bound)
        self.removals = RemovalsForm(prefix="remove", state=state, obligations=self.obligation_rows, **bound)
        self.cite_many = CiteManyForm(prefix="citemany", facts=citable_facts(state, self.obligation_rows, uncited)
                                      if state else (), **bound)
        name_row_fields(self.clauses, lambda form, index: f"clause {form.eid_value}")
        for formset, row in ((self.new_clauses, "new clause"), (self.new_parties, "new party"),
                             (self.lifecycle, "new lifecycle fact"), (self.registrations, "new registration"),
                             (self.depositaries, "new depositary"), (self.new_relations, "new relation"),
                             (self.new_references, "new cross-reference"), (self.new_citations, "new citation"),
                             (self.obligations, "new obligation")):
            name_row_fields(formset, lambda form, index, row=row: f"{row} {index + 1}")
        self._offer_parties_on(self._work_date_shown())
        self.page_errors: list[str] = []
        self.conflict: list[dict] | None = None  # set by a save refused on a stale version (conflicts.py)
        self._planned: list[PlannedCommand] = []

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

    def has_errors(self) -> bool:
        return any(not part.is_valid() for part in self.parts)

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

    # ------------------------------------------------------------ the party pickers

    def _work_date_shown(self) -> str:
        """The agreement's date as the page stands: the recorded one, or the one typed on a posted add page."""
        if not self.adding:
            return self.state.view.work_date or ""
        return str(self.details.data.get(self.details.add_prefix("work_date")) or "").strip() if self.bound else ""

    def _offer_parties_on(self, work_date: str):
        """The party pickers offer first the parties that existed on the agreement's date (autocomplete.py)."""
        for formset in (self.new_parties, self.lifecycle):
            for form in formset.forms:
                form.fields["party"].widget.on = work_date

    # ------------------------------------------------------------ from the forms to commands

    def commands(self) -> list[PlannedCommand]:
        """The commands this page implies, in the order of `STEPS` (the module's docstring says why). Field
        errors of commands that are malformed are put on their forms (check `has_errors()` before running)."""
        self._planned = []
        for step in self.STEPS:
            step(self)
        return self._planned

    def _work_date(self) -> str:
        """The agreement's date: a new clause is in effect from it unless the row says otherwise."""
        if self.adding:
            return (self.details.cleaned_data.get("work_date") or "").strip() if self.details.is_valid() else ""
        return self.state.view.work_date or ""

    def _plan(self, type_name, data, form, fields=None):
        try:
            command = parse_command(type_name, data)
        except InvalidCommand as exc:
            refused = PlannedCommand(None, form, fields or {})
            for name, messages in exc.errors.items():
                refused.add_error(name, messages)
            return None
        self._planned.append(PlannedCommand(command, form, fields or {}))
        return command

    @staticmethod
    def _filled(formset):
        return [form for form in formset.forms if form.has_changed() and form.is_valid()]

    def _details(self):
        form = self.details
        if not form.is_valid():
            return
        if self.adding:
            data = {name: form.cleaned_data.get(name) for name in ("slug", *DetailsForm.FIELDS)}
            data = {name: (normalise(value) if isinstance(value, str) else value) for name, value in data.items()}
            self._plan("DraftAgreement", data, form)
            return
        changes = form.changes()
        for name, value in changes.items():
            if value in ("", {}) and (form.cleaned_data.get("base") or {}).get(name):
                form.add_error(name, gettext("This cannot be emptied by an edit; correct the event that set it (History)."))
        if changes and not any(value in ("", {}) for value in changes.values()):
            self._plan("EditDetails", changes, form)

    def _removals(self):
        form = self.removals
        if self.adding or not form.is_valid():
            return
        for key in form.cleaned_data.get("detach_citations", []):
            self._plan("DetachCitation", {"citation_id": key}, form, {"citation_id": "detach_citations"})
        for key in form.cleaned_data.get("remove_references", []):
            self._plan("RemoveReference", reference_of(key), form,
                       {"eid": "remove_references", "target": "remove_references", "target_eid": "remove_references"})
        for key in form.cleaned_data.get("remove_relations", []):
            self._plan("RemoveRelation", relation_of(key), form,
                       {"relation": "remove_relations", "target": "remove_relations"})

    def _parties_added(self):
        for form in self._filled(self.new_parties):
            self._plan("AddParty", {name: stripped(form, name) for name in ("party", "role", "reason")}, form)

    def _clauses_added(self):
        for form in self._filled(self.new_clauses):
            data = {name: stripped(form, name)
                    for name in ("number", "heading", "language", "parent", "effective", "text_kind")}
            data.update(eid=form.derived_eid(), text=normalise(form.cleaned_data.get("text")))
            data["language"] = data["language"] or "en"
            data["effective"] = data["effective"] or self._work_date()  # as the seed loader does
            self._plan("AddClause", data, form)

    def _clause_rows(self):
        for form in [] if self.adding else self.clauses.forms:
            self._clause_row(form)

    def _clause_row(self, form):
        """One row of an existing clause: an amended text (or text kind), a renumbering, a repeal."""
        if not form.is_valid():
            return
        cleaned = form.cleaned_data
        base = cleaned.get("base") or {}
        eid = cleaned["eid"]
        effective, by = (cleaned.get("effective") or "").strip(), (cleaned.get("by") or "").strip()
        text = normalise(cleaned.get("text"))
        text_changed = text_digest(text) != base.get("text_sha256")
        kind_changed = bool(cleaned.get("text_kind")) and cleaned.get("text_kind") != base.get("text_kind")
        if (text_changed or kind_changed or cleaned.get("repeal")) and not effective:
            form.add_error("effective", gettext("A repeal needs the date it takes effect (EDTF, for example 2015-06-01).")
                           if cleaned.get("repeal") and not (text_changed or kind_changed) else
                           gettext("An amended text needs the date it takes effect (EDTF, for example 2015-06-01)."))
            return
        if text_changed or kind_changed:
            data = {"eid": eid, "text": text, "effective": effective, "by": by,
                    "text_kind": cleaned.get("text_kind") if kind_changed else None}
            self._plan("AmendClause", data, form, {"eid": "text"})
        new_eid, new_number = (cleaned.get("new_eid") or "").strip(), (cleaned.get("new_number") or "").strip()
        if new_eid:
            data = {"eid": eid, "new_eid": new_eid, "number": new_number or None, "effective": effective or None}
            if self._plan("RenumberClause", data, form, {"eid": "new_eid", "number": "new_number"}):
                eid = new_eid
        elif new_number:
            form.add_error("new_eid", gettext("Renumbering needs the new clause reference (for example art_3a)."))
        if cleaned.get("repeal"):
            self._plan("RepealClause", {"eid": eid, "effective": effective, "by": by}, form, {"eid": "repeal"})

    def _lifecycle_registrations_depositaries(self):
        for form in self._filled(self.lifecycle):
            self._plan("RecordLifecycle", {name: stripped(form, name) for name in ("action", "date", "party")}, form)
        for form in self._filled(self.registrations):
            data = {name: stripped(form, name) for name in ("registration_number", "date", "registering_body")}
            self._plan("RecordRegistration", data, form)
        for form in self._filled(self.depositaries):
            self._plan("NameDepositary", {"depositary": stripped(form, "depositary")}, form)

    def _relations_references(self):
        for form in self._filled(self.new_relations):
            self._plan("AddRelation", {name: stripped(form, name) for name in ("relation", "target", "note")}, form)
        for form in self._filled(self.new_references):
            data = {name: stripped(form, name) for name in ("eid", "target", "target_eid", "note")}
            self._plan("AddReference", data, form, {"target_eid": "target_eid"})

    def _citations(self):
        for form in self._filled(self.new_citations):
            source = form.cleaned_data.get("source")
            data = {"source": source.key if source else "",
                    **{name: stripped(form, name) for name in ("locator", "quote", "supports")}}
            self._plan("AttachCitation", data, form, {"citation_id": "quote"})
        if not self.adding and self.cite_many.is_valid():
            form = self.cite_many
            source, common = form.cleaned_data.get("source"), {name: stripped(form, name) for name in ("locator", "quote")}
            for supports in form.supports():
                self._plan("AttachCitation", {"source": source.key, **common, "supports": supports}, form,
                           {"citation_id": "quote", "supports": "facts"})

    def _obligations_coded(self):
        for form in [] if self.adding else self._filled(self.obligations):
            data = {name: stripped(form, name) for name in ("eid", "obligation", "modality", "parties", "towards",
                                                             "adversary", "effective", "until", "note")}
            data["conditions"] = form.cleaned_data.get("conditions") or []
            self._plan("CodeObligation", data, form)

    def _uncoded_then_parties_removed(self):
        if self.adding:
            return
        for obligation_id in self.removals.cleaned_data.get("uncode_obligations", []):
            self._plan("UncodeObligation", {"obligation_id": obligation_id,
                                            "reason": self.removals.cleaned_data.get("uncode_reason", "")},
                       self.removals, {"obligation_id": "uncode_obligations", "reason": "uncode_reason"})
        for code in self.removals.cleaned_data.get("remove_parties", []):
            self._plan("RemoveParty", {"party": code}, self.removals, {"party": "remove_parties"})

    # The order of the steps is the order of the commands (the module's docstring says why).
    STEPS = (
        _details,
        _removals,
        _parties_added,
        _clauses_added,
        _clause_rows,
        _lifecycle_registrations_depositaries,
        _relations_references,
        _citations,
        _obligations_coded,
        _uncoded_then_parties_removed,
    )
