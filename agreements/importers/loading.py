"""Turn an ImportedDocument into commands against the agreement's current state and run them in ONE
transaction through services (the importer never writes the store or the projections itself).

- A work the registry does not hold yet: DraftAgreement (with the file's work URI), its lifecycle facts,
  one AddClause per clause (`official` text, effective from the expression's date), stored through
  `services.handle_bulk` (decided in memory, appended and projected in batches). `load_many` stores the new
  works of many files in one bulk load; a refused file is dropped (nothing of it is written) and the others
  are loaded again without it.
- A work it holds: the expression is compared with the clauses as they stood on the expression's date, in
  the expression's language (an expression in another language adds that language's versions).
  Unchanged clauses append nothing (a second import of the same file appends nothing at all); changed ones
  are amended, new ones added and missing ones repealed, each with effect from the expression's date, so
  time travel and diffs work across expressions.
- Expressions are ordered by their dates, not the order of import: one older than every version held becomes
  the earlier version (`plan_earlier_expression`); one between two held versions that differs is refused.
- A work is its URI: `held_work` also finds a work under the URI an earlier importer built from a file's date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db import transaction

from agreements import services
from agreements.queries.agreements import agreement_for_work, slug_taken
from agreements.queries.clauses import (clauses_on, earliest_version_date, eids_ever_used, first_versions,
                                        latest_version_date)
from agreements.queries.registration import depositaries_at, registrations_at
from agreements.queries.time import TimePoint
from agreements.domain.commands import AddClause, AmendClause, Publish, RepealClause, SubmitForReview, parse_command
from agreements.domain.dates import parse_date
from agreements.domain.errors import DomainError, InvalidCommand

from .akn_works import DERIVED_SLUG_LENGTH
from .documents import ImportedDocument, ImportRefused, normalised_text

SUFFIX_DIGITS = 8  # of the work URI's hash, that tell apart works whose URIs give the same slug
SUFFIXED_STEM = DERIVED_SLUG_LENGTH - 1 - SUFFIX_DIGITS - 1  # a suffixed slug stays within a derived slug's length


@dataclass
class ImportResult:
    slug: str
    created: bool
    clauses: int
    events: int
    commands: list = field(default_factory=list)
    dry_run: bool = False


class _DryRun(Exception):
    pass


def unique_slug(doc: ImportedDocument, reserved=frozenset()) -> str:
    """The slug derived from the work URI, made unique with a stable suffix when another work (stored, or in
    `reserved`: derived by another file of this run) holds it. Every candidate is checked: two works with the same
    file URI (a drafting template's) and different registry URIs must not get the same suffixed slug."""
    candidates = [doc.slug] + [f"{doc.slug[:SUFFIXED_STEM]}-{hashlib.sha1(key.encode()).hexdigest()[:SUFFIX_DIGITS]}"
                               for key in (doc.source_uri, doc.work_uri)]
    for slug in candidates:
        if slug not in reserved and not slug_taken(slug):
            return slug
    k = 2
    while True:
        slug = f"{candidates[-1]}-{k}"
        if slug not in reserved and not slug_taken(slug):
            return slug
        k += 1


def held_work(doc: ImportedDocument):
    """The agreement the registry holds for the document's work: under its URI, or under the one an earlier
    importer built from the file's work date (the document then names the work by that URI)."""
    record = agreement_for_work(doc.work_uri)
    if record is None and doc.former_work_uri:
        record = agreement_for_work(doc.former_work_uri)
        if record is not None:
            doc.work_uri = doc.former_work_uri
    return record


def _parse(type_name, data, doc, line=None):
    try:
        return parse_command(type_name, {k: v for k, v in data.items() if v not in (None, "")})
    except InvalidCommand as exc:
        field_name, messages = next(iter(exc.errors.items()))
        what = data.get("eid") or type_name
        raise ImportRefused(doc.file, line, f"{what}: {field_name}: {' '.join(messages)}") from None


def _clause_data(clause, doc):
    return {"eid": clause.eid, "text": clause.text, "text_kind": clause.text_kind, "number": clause.number,
            "heading": clause.heading, "language": doc.language, "parent": clause.parent,
            "effective": doc.effective}


def plan_new(doc: ImportedDocument, slug: str) -> list:
    commands = [_parse("DraftAgreement", {"slug": slug, "title": doc.title, "kind": doc.kind,
                                          "work_date": doc.work_date, "work_uri": doc.work_uri}, doc)]
    for action, date in sorted(doc.lifecycle, key=lambda f: (parse_date(f[1]).lower or parse_date(f[1]).upper, f[0])):
        commands.append(_parse("RecordLifecycle", {"action": action, "date": date}, doc))
    commands += _registry_facts(doc, set(), set())
    for clause in doc.clauses:
        commands.append(_parse("AddClause", _clause_data(clause, doc), doc, clause.line))
    return commands + _participation(doc, slug)


def _participation(doc: ImportedDocument, slug: str) -> list:
    """A new agreement's participants, rule, actions and statements from the registry's own export. A statement
    gets this registry's id (the n-th made here), so an objection names the statement it answers anew."""
    from agreements.domain.identities import statement_identity

    parties = [p for p in dict.fromkeys([a["party"] for a in doc.actions] + [s["party"] for s in doc.statements]) if p]
    commands = [_parse("AddParty", {"party": party}, doc) for party in parties]
    if doc.rule:
        commands.append(_parse("SetEntryIntoForceRule", doc.rule, doc))
    for action in sorted(doc.actions, key=lambda a: (parse_date(a["date"] or "").lower or dt.date.min, a["line"])):
        commands.append(_parse("RecordLifecycle", {k: v for k, v in action.items() if k != "line"}, doc,
                               action["line"]))
    ids = {}
    ordered = sorted(doc.statements, key=lambda s: bool(s["objects_to"]))  # what is objected to comes first
    for n, statement in enumerate(ordered, start=1):
        ids[statement["id"]] = statement_identity(slug, n)
    for statement in ordered:
        fields = {k: v for k, v in statement.items() if k not in ("id", "line")}
        fields["objects_to"] = ids.get(statement["objects_to"], statement["objects_to"])
        commands.append(_parse("MakeStatement", fields, doc, statement["line"]))
    return commands


def _registry_facts(doc: ImportedDocument, bodies: set, depositaries: set) -> list:
    """RecordRegistration and NameDepositary for the file's registrations and depositaries the agreement does
    not have yet: a registering body (casefolded) it is registered with, a depositary it names, are left alone
    (a later expression restates them)."""
    commands = []
    for number, date, body in doc.registrations:
        if body.casefold() not in bodies:
            bodies.add(body.casefold())
            commands.append(_parse("RecordRegistration", {"registration_number": number, "date": date,
                                                          "registering_body": body}, doc))
    for depositary in doc.depositaries:
        if depositary.casefold() not in depositaries:
            depositaries.add(depositary.casefold())
            commands.append(_parse("NameDepositary", {"depositary": depositary}, doc))
    return commands


def plan_expression(doc: ImportedDocument, slug: str) -> list:
    """Commands that bring the agreement to this expression, with effect from its date."""
    effective = doc.effective
    if not effective:
        raise ImportRefused(doc.file, None, "a further expression of a work needs an FRBRExpression date.")
    day = parse_date(effective).lower
    current = clauses_on(slug, day, doc.language)
    ever = eids_ever_used(slug)
    latest = latest_version_date(slug, doc.language)
    older = latest is not None and day < latest
    earliest = earliest_version_date(slug, doc.language) if older else None
    if earliest is not None and day < earliest:
        return plan_earlier_expression(doc, slug, earliest, ever)
    commands = []
    record = agreement_for_work(doc.work_uri)
    if record is not None and record.title != doc.title and not older:  # an older expression's title is past
        commands.append(_parse("EditDetails", {"title": doc.title}, doc))
    if record is not None:
        known = TimePoint.of(as_of=dt.date.max)  # every registration, whatever its date
        commands += _registry_facts(
            doc, {r.registering_body.casefold() for r in registrations_at(record, known)},
            {d.depositary.casefold() for d in depositaries_at(record, known)})
    seen = set()
    for clause in doc.clauses:
        seen.add(clause.eid)
        old = current.get(clause.eid)
        if (old is None and clause.eid not in ever) or (old is not None and old.language != doc.language):
            # a new clause, or this expression's language of a clause the registry holds in another one
            commands.append(_parse("AddClause", _clause_data(clause, doc), doc, clause.line))
        elif old is None:
            continue  # a clause added at a later date or repealed before: this expression does not restate it
        elif normalised_text(old.text) != normalised_text(clause.text) and clause.text.strip():
            commands.append(_parse("AmendClause", {"eid": clause.eid, "text": clause.text, "effective": effective,
                                                   "text_kind": clause.text_kind}, doc, clause.line))
    for eid, old in current.items():
        if eid not in seen and old.language == doc.language:  # another language's expression repeals nothing
            commands.append(_parse("RepealClause", {"eid": eid, "effective": effective}, doc))
    if older and any(isinstance(cmd, (AddClause, AmendClause, RepealClause)) for cmd in commands):
        # Expressions are ordered by their dates, not by the order of import. Added now, this older text would
        # hold from its date on with nothing to end it (its clauses twice over the later ones): refused, since
        # the registry cannot slip an earlier version under versions it already holds from their first date.
        raise ImportRefused(doc.file, None, (
            f"this expression ({effective}) is older than the expression of the same work the registry already "
            f"holds from {latest.isoformat()}, and differs from what the registry shows on {effective}: an "
            "earlier expression cannot be added under a later one. Import a work's expressions oldest first."))
    return commands


def plan_earlier_expression(doc: ImportedDocument, slug: str, earliest: dt.date, ever: set) -> list:
    """An expression older than every version the registry holds of the work (the 2018 original imported after
    its 2025 consolidation) becomes its earlier version in valid time: each clause it shares is corrected to hold
    from its date (with its text, the later text then an amendment from the later date); a clause only it has is
    added from its date and repealed from the date of the expression that lacks it; the rest stays as it is."""
    effective = doc.effective
    later = earliest.isoformat()
    firsts = first_versions(slug, doc.language)
    reason = f"An earlier expression of the work ({effective}, from {doc.file}) shows this clause from its date."
    commands = []
    for clause in doc.clauses:
        first = firsts.get(clause.eid)
        if first is None:
            if clause.eid in ever:  # the eId was another clause's (renumbered, or another language's): no place
                raise ImportRefused(doc.file, clause.line, (
                    f"{clause.eid}: this expression ({effective}) is older than what the registry holds of the "
                    f"work, and its eId is used otherwise there: it cannot be placed before it."))
            commands.append(_parse("AddClause", _clause_data(clause, doc), doc, clause.line))
            commands.append(_parse("RepealClause", {"eid": clause.eid, "effective": later}, doc, clause.line))
            continue
        corrections = {"effective": effective}
        changed = clause.text.strip() and normalised_text(first.text) != normalised_text(clause.text)
        if changed:
            corrections["text"] = clause.text
        commands.append(_parse("CorrectEvent", {"event_id": first.event_id, "reason": reason,
                                                "corrections": corrections}, doc, clause.line))
        if changed:
            commands.append(_parse("AmendClause", {"eid": clause.eid, "text": first.text, "effective": first.effective,
                                                   "text_kind": first.text_kind}, doc, clause.line))
    return commands


def _publishing(commands, publish, record, doc) -> list:
    if publish and (record is None or record.publication != "published"):
        if record is None or record.publication == "draft":
            commands.append(SubmitForReview(note="import"))
        # The facts come from the document itself: the reason to publish them without a separate citation.
        commands.append(Publish(note="import", uncited_reason=f"Imported from the document {doc.file}, its own source."))
    return commands


def refusal(file, clauses, commands, index, error) -> ImportRefused:
    """The registry's refusal of command `index`, naming the file and, for a clause, its eId and line."""
    command = commands[index] if index is not None else None
    eid = getattr(command, "eid", None)
    if not eid:
        return ImportRefused(file, None, f"refused by the registry: {error}")
    text = getattr(command, "text", None)
    line = next((clause.line for clause in clauses if clause.eid == eid and text in (None, clause.text)), None)
    return ImportRefused(file, line, f"refused by the registry: {eid}: {error}")


def load(doc: ImportedDocument, *, publish: bool = False, dry_run: bool = False, user=None) -> ImportResult:
    """Import one document in one transaction; `dry_run` checks every rule and rolls back."""
    outcome = load_many([doc], publish=publish, dry_run=dry_run, user=user)[0]
    if isinstance(outcome, ImportRefused):
        raise outcome
    return outcome


def load_many(docs, *, publish: bool = False, dry_run: bool = False, user=None) -> list:
    """Import documents, each all or nothing: one ImportResult or ImportRefused per document, in order.

    The first file of each work the registry does not hold goes into one bulk load (one transaction); the
    others (later expressions, works already held) follow through the command path, one transaction each."""
    outcomes: list = [None] * len(docs)
    new, later, works, slugs = [], [], set(), set()
    for i, doc in enumerate(docs):
        if doc.work_uri in works or held_work(doc) is not None:
            later.append(i)
            continue
        try:
            new.append((i, _planned_new(doc, slugs, publish, dry_run)))
        except ImportRefused as exc:
            outcomes[i] = exc
            continue
        works.add(doc.work_uri)
    try:
        with transaction.atomic():
            _load_new(docs, new, outcomes, user)
            for i in later:
                if agreement_for_work(docs[i].work_uri) is None:  # the work's first file was refused: this is
                    try:                                         # its first expression now
                        _load_new(docs, [(i, _planned_new(docs[i], slugs, publish, dry_run))], outcomes, user)
                    except ImportRefused as exc:
                        outcomes[i] = exc
                    continue
                outcomes[i] = _load_expression(docs[i], publish, user, dry_run)
            if dry_run:
                raise _DryRun()
    except _DryRun:
        pass
    return outcomes


def _planned_new(doc, slugs: set, publish, dry_run) -> ImportResult:
    slug = unique_slug(doc, slugs)
    commands = _publishing(plan_new(doc, slug), publish, None, doc)
    slugs.add(slug)
    return ImportResult(slug, True, len(doc.clauses), 0, commands, dry_run)


def _load_new(docs, new, outcomes, user) -> None:
    """One bulk load of the new works; a refused one is dropped and the rest loaded again (in a savepoint,
    so the refused attempt leaves nothing behind)."""
    remaining = list(new)
    while remaining:
        try:
            with transaction.atomic():
                services.handle_bulk([services.NewAgreement(r.slug, r.commands) for _, r in remaining], user=user,
                                     batch=len(remaining), taken="refuse")
        except services.BulkRefused as refused:
            if not isinstance(refused.error, (DomainError, services.NotAllowed)):
                raise
            i, result = next((i, r) for i, r in remaining if r.slug == refused.slug)
            outcomes[i] = refusal(docs[i].file, docs[i].clauses, result.commands, refused.index, refused.error)
            remaining = [(j, r) for j, r in remaining if j != i]
            continue
        for i, result in remaining:
            result.events = agreement_for_work(docs[i].work_uri).version  # a new stream: its version is its size
            outcomes[i] = result
        return


def _load_expression(doc, publish, user, dry_run):
    record = agreement_for_work(doc.work_uri)
    try:
        commands = _publishing(plan_expression(doc, record.slug), publish, record, doc)
    except ImportRefused as exc:
        return exc
    result = ImportResult(record.slug, False, len(doc.clauses), 0, commands, dry_run)
    if not commands:
        return result
    index = None
    try:
        with transaction.atomic():  # as services.handle_many, keeping which command was refused
            for index, command in enumerate(commands):
                result.events += len(services.handle(command, slug=record.slug, user=user, retries=0).events)
    except (DomainError, services.NotAllowed) as exc:
        return refusal(doc.file, doc.clauses, commands, index, exc)
    return result
