"""Turn an ImportedDocument into commands against the agreement's current state and run them in ONE
transaction through services (the importer never writes the store or the projections itself).

- A work the registry does not hold yet: DraftAgreement (with the file's work URI), its lifecycle facts,
  one AddClause per clause (`official` text, effective from the expression's date).
- A work it holds: the expression is compared with the clauses as they stood on the expression's date, in
  the expression's language (an expression in another language adds that language's versions).
  Unchanged clauses append nothing (a second import of the same file appends nothing at all); changed ones
  are amended, new ones added and missing ones repealed, each with effect from the expression's date, so
  time travel and diffs work across expressions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction

from agreements import services
from agreements.queries.agreements import agreement_for_work, slug_taken
from agreements.queries.clauses import clauses_on, eids_ever_used
from agreements.domain import commands as c
from agreements.domain.dates import parse_date
from agreements.domain.errors import DomainError, InvalidCommand

from .documents import ImportedDocument, ImportRefused, normalised_text


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


def unique_slug(doc: ImportedDocument) -> str:
    """The slug derived from the work URI, made unique with a stable suffix when another work holds it."""
    if not slug_taken(doc.slug):
        return doc.slug
    return f"{doc.slug[:110]}-{hashlib.sha1(doc.source_uri.encode()).hexdigest()[:8]}"


def _parse(type_name, data, doc, line=None):
    try:
        return c.parse_command(type_name, {k: v for k, v in data.items() if v not in (None, "")})
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
    for clause in doc.clauses:
        commands.append(_parse("AddClause", _clause_data(clause, doc), doc, clause.line))
    return commands


def plan_expression(doc: ImportedDocument, slug: str) -> list:
    """Commands that bring the agreement to this expression, with effect from its date."""
    effective = doc.effective
    if not effective:
        raise ImportRefused(doc.file, None, "a further expression of a work needs an FRBRExpression date.")
    day = parse_date(effective).lower
    current = clauses_on(slug, day, doc.language)
    ever = eids_ever_used(slug)
    commands = []
    record = agreement_for_work(doc.work_uri)
    if record is not None and record.title != doc.title:
        commands.append(_parse("EditDetails", {"title": doc.title}, doc))
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
    return commands


def load(doc: ImportedDocument, *, publish: bool = False, dry_run: bool = False, user=None) -> ImportResult:
    """Import one document in one transaction; `dry_run` checks every rule and rolls back."""
    record = agreement_for_work(doc.work_uri)
    created = record is None
    slug = unique_slug(doc) if created else record.slug
    commands = plan_new(doc, slug) if created else plan_expression(doc, slug)
    if publish and (created or record.publication != "published"):
        if created or record.publication == "draft":
            commands.append(c.SubmitForReview(note="import"))
        # The facts come from the document itself: the reason to publish them without a separate citation.
        commands.append(c.Publish(note="import", uncited_reason=f"Imported from the document {doc.file}, its own source."))
    result = ImportResult(slug, created, len(doc.clauses), 0, commands, dry_run)
    try:
        with transaction.atomic():
            if commands:
                results = services.handle_many(commands, slug=slug, user=user)
                result.events = sum(len(r.events) for r in results)
            if dry_run:
                raise _DryRun()
    except _DryRun:
        pass
    except (DomainError, services.NotAllowed) as exc:
        raise ImportRefused(doc.file, None, f"refused by the registry: {exc}") from None
    return result
