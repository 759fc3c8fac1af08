"""Incremental validation: after a command, check only what it can have changed.

`changes_from_events` turns the events one command appended into a small JSON description (stored with
the outbox job, in the append transaction). When the job runs, `plan_for` turns it into a `Plan` against
the registry as it is then:

- clauses: the clauses the command added, amended, repealed or renumbered, or whose references it
  changed; plus, through the reverse index of references, the clauses elsewhere that refer to the changed
  clauses under any eId they have carried. A change of the agreement's dates (work date, lifecycle, a
  correction) re-checks every clause that refers to the agreement, and its own referring clauses;
- lifecycle, relations, citations: the agreement's, when the command touched them; relation checks also
  run for the agreements that relate to this one when its dates changed, and the cycle check when a
  relation changed.

`execute(plan)` runs the checks and records the findings; it returns a `Report` naming every clause checked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from agreements.queries.clauses import clause_ids_of, eids_of_clauses
from agreements.queries.references import clause_ids_with_references, referring_clause_ids
from agreements.queries.relations import agreements_relating_to

from . import findings, lifecycle, relations
from .citations import CitationCheck
from .references import ReferenceCheck

CLAUSE_EVENTS = ("ClauseAdded", "ClauseAmended", "ClauseRepealed", "ClauseRenumbered")
REFERENCE_EVENTS = ("ReferenceAdded", "ReferenceRemoved")
DATE_EVENTS = ("AgreementDrafted", "LifecycleRecorded")


def changes_from_events(recorded) -> dict | None:
    """What one command changed, as far as validation cares (None: nothing to check)."""
    clause_ids, ref_eids = set(), set()
    flags = set()
    for rec in recorded:
        payload = rec.payload
        if rec.type in CLAUSE_EVENTS:
            clause_ids.add(payload["clause_id"])
        elif rec.type in REFERENCE_EVENTS:
            ref_eids.add(payload["eid"])
        elif rec.type in DATE_EVENTS:
            flags.update({"dates", "lifecycle"})
        elif rec.type == "DetailsEdited" and "work_date" in (payload.get("changes") or {}):
            flags.update({"dates", "lifecycle"})
        elif rec.type in ("RelationAdded", "RelationRemoved"):
            flags.add("relations")
        elif rec.type in ("CitationAttached", "CitationDetached"):
            flags.add("citations")
        elif rec.type == "EventCorrected":
            flags.add("everything")  # a correction can touch any fact: re-check this agreement fully
    if not (clause_ids or ref_eids or flags):
        return None
    return {"clauses": sorted(clause_ids), "reference_eids": sorted(ref_eids), "flags": sorted(flags)}


def merge_changes(a: dict | None, b: dict) -> dict:
    """Two commands' changes to one agreement, as one."""
    if not a:
        return b
    names = ("clauses", "reference_eids", "flags")
    return {name: sorted(set(a.get(name) or []) | set(b.get(name) or [])) for name in names}


@dataclass
class Plan:
    clause_ids: set = field(default_factory=set)
    lifecycle: set = field(default_factory=set)
    relations: set = field(default_factory=set)
    citations: set = field(default_factory=set)
    cycles: bool = False

    def merge(self, other: "Plan") -> "Plan":
        self.clause_ids |= other.clause_ids
        self.lifecycle |= other.lifecycle
        self.relations |= other.relations
        self.citations |= other.citations
        self.cycles = self.cycles or other.cycles
        return self


def plan_for(slug: str, changes: dict) -> Plan:
    flags = set(changes.get("flags") or [])
    if "everything" in flags:
        return plan_agreement(slug)
    plan = Plan()
    changed = set(changes.get("clauses") or [])
    if changes.get("reference_eids"):
        changed |= clause_ids_of(slug, changes["reference_eids"])
    plan.clause_ids |= changed
    clause_events = set(changes.get("clauses") or [])
    if clause_events:
        plan.clause_ids |= referring_clause_ids(slug, eids_of_clauses(clause_events))
    if "dates" in flags:
        plan.clause_ids |= referring_clause_ids(slug)
        plan.clause_ids |= clause_ids_with_references(slug)
        plan.relations |= {slug} | agreements_relating_to(slug)
    if "lifecycle" in flags:
        plan.lifecycle.add(slug)
    if "relations" in flags:
        plan.relations.add(slug)
        plan.cycles = True
    if "citations" in flags:
        plan.citations.add(slug)
    return plan


def plan_agreement(slug: str) -> Plan:
    """Everything about one agreement: its clauses, the clauses referring to it, its facts."""
    return Plan(
        clause_ids=clause_ids_of(slug) | referring_clause_ids(slug),
        lifecycle={slug},
        relations={slug} | agreements_relating_to(slug),
        citations={slug},
        cycles=True,
    )


@dataclass
class Report:
    checked_clauses: list = field(default_factory=list)  # (slug, eid) of every clause checked
    agreements: dict = field(default_factory=dict)  # check family -> number of agreements checked
    sources: int = 0
    outcome: findings.Outcome = field(default_factory=findings.Outcome)
    codes: Counter = field(default_factory=Counter)  # problems found, by code

    def add(self, problems, outcome):
        self.codes.update(p.code for p in problems)
        self.outcome.add(outcome)

    def summary(self, clause_list_limit: int = 1000) -> dict:
        summary = {
            "clauses": len(self.checked_clauses),
            "agreements": dict(self.agreements),
            "sources": self.sources,
            "opened": self.outcome.opened,
            "seen": self.outcome.seen,
            "resolved": self.outcome.resolved,
            "codes": dict(self.codes),
        }
        if len(self.checked_clauses) <= clause_list_limit:
            summary["checked_clauses"] = sorted(f"{slug}#{eid}" for slug, eid in self.checked_clauses)
        return summary


def run_checks(report: Report, scopes, problems):
    report.add(problems, findings.record(scopes, problems))


def execute(plan: Plan, report: Report | None = None, batch: int = 500, progress=None) -> Report:
    """Run the planned checks, recording findings batch by batch (each batch its own transaction)."""
    report = report or Report()
    clause_ids = sorted(plan.clause_ids)
    references = ReferenceCheck()
    for i in range(0, len(clause_ids), batch):
        chunk = clause_ids[i : i + batch]
        scopes, problems, checked = references.run(chunk)
        run_checks(report, scopes, problems)
        report.checked_clauses += checked
        if progress:
            progress(len(chunk))
    for name, slugs, check in (
        ("lifecycle", plan.lifecycle, lifecycle.check_agreements),
        ("relations", plan.relations, relations.check_agreements),
        ("citations", plan.citations, CitationCheck().check_agreements),
    ):
        slugs = sorted(slugs)
        for i in range(0, len(slugs), batch):
            chunk = slugs[i : i + batch]
            run_checks(report, *check(chunk))
            if progress:
                progress(len(chunk))
        report.agreements[name] = report.agreements.get(name, 0) + len(slugs)
    if plan.cycles:
        run_checks(report, *relations.check_cycles())
    return report


def plan_for_all(changes_by_slug: dict) -> Plan:
    plan = Plan()
    for slug, changes in sorted(changes_by_slug.items()):
        plan.merge(plan_for(slug, changes))
    return plan


def validate(changes_by_slug: dict) -> Report:
    """Check what a transaction's commands changed: {slug: changes_from_events(...)}."""
    return execute(plan_for_all(changes_by_slug))
