"""Cross-reference checks: does what a clause refers to exist, at the time the clause speaks?

The referring clause speaks from its valid time: the effective date it was added with, or, when it has
none, the dates of its agreement (work date, lifecycle). Dates are often partial ("2010"), so a date is a
range [lower, upper], and a reference is flagged only when no reading of the range makes it sound:

- `reference_target_missing` (error): the target agreement is not in the registry;
- `reference_target_eid_missing` (error): the target agreement has never had a clause with that eId;
- `reference_anachronism` (error): the target agreement, or the target clause, did not exist yet at the
  referring clause's time (agreement: its earliest known date is after that time);
- `reference_target_repealed` (warning): the target clause was repealed by then;
- `reference_target_renumbered` (warning): the target clause had been renumbered away from that eId by then.

One run covers one referring clause (scope `ref:<clause id>`), whatever references it has.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from agreements.queries.agreements import AgreementFacts, agreement_facts
from agreements.queries.clauses import ClauseRow, clause_histories, clause_histories_by_eid
from agreements.queries.references import ReferenceRow, references_from
from agreements.queries.time import bounds

from .findings import ERROR, WARNING, Problem

MISSING = "reference_target_missing"
EID_MISSING = "reference_target_eid_missing"
ANACHRONISM = "reference_anachronism"
REPEALED = "reference_target_repealed"
RENUMBERED = "reference_target_renumbered"

OK, NOT_YET, GONE_REPEALED, GONE_RENUMBERED = "ok", "not_yet", "repealed", "renumbered"


def scope_of(clause_id: str) -> str:
    return f"ref:{clause_id}"


def speaking_time(history: list[ClauseRow], facts: AgreementFacts | None, today: dt.date):
    """The [lower, upper] range of the referring clause's valid time, and a label for messages."""
    added = history[0] if history else None
    lower, upper = bounds(added.effective) if added else (None, None)
    if lower or upper:
        return lower or upper, upper or lower, added.effective
    if facts and (facts.earliest or facts.latest_start):
        return facts.earliest or facts.latest_start, facts.latest_start or facts.earliest, facts.label
    return today, today, "today"


def _row_at(history: list[ClauseRow], day: dt.date) -> ClauseRow | None:
    """The version of the clause in force on `day` (the last one starting on or before it)."""
    current = None
    for row in history:
        if row.valid_from <= day:
            current = row
        else:
            break
    return current


def target_state(histories: list[list[ClauseRow]], target_eid: str, day: dt.date) -> str:
    """What the clauses that ever carried `target_eid` looked like on `day`."""
    states = set()
    for history in histories:
        row = _row_at(history, day)
        if row is None:
            states.add(NOT_YET)
        elif row.eid == target_eid:
            states.add(GONE_REPEALED if row.repealed else OK)
        else:
            first_with_eid = min(r.valid_from for r in history if r.eid == target_eid)
            states.add(NOT_YET if first_with_eid > day else GONE_RENUMBERED)
    for state in (OK, GONE_REPEALED, GONE_RENUMBERED, NOT_YET):
        if state in states:
            return state
    return NOT_YET


class ReferenceCheck:
    """Checks the outgoing references of a batch of clauses with a fixed number of queries."""

    def __init__(self, today: dt.date | None = None):
        self.today = today or timezone.localdate()

    def run(self, clause_ids) -> tuple[set[str], list[Problem], list[tuple[str, str]]]:
        """Returns (scopes covered, problems, [(slug, eid) of every clause checked])."""
        clause_ids = sorted(set(clause_ids))
        histories = clause_histories(clause_ids)
        references = references_from(clause_ids)
        by_clause = defaultdict(list)
        for ref in references:
            by_clause[ref.clause_id].append(ref)
        slugs = {ref.slug for ref in references} | {ref.target_slug for ref in references}
        slugs |= {rows[0].slug for rows in histories.values() if rows}
        facts = agreement_facts(slugs)
        targets = clause_histories_by_eid({(r.target_slug, r.target_eid) for r in references if r.target_eid})
        problems, checked = [], []
        for clause_id in clause_ids:
            history = histories.get(clause_id, [])
            if history:
                checked.append((history[-1].slug, history[-1].eid))
            for ref in by_clause.get(clause_id, []):
                problem = self._check(ref, history, facts, targets)
                if problem:
                    problems.append(problem)
        return {scope_of(cid) for cid in clause_ids}, problems, checked

    def _check(self, ref: ReferenceRow, history, facts, targets) -> Problem | None:
        eid_now = history[-1].eid if history else ref.eid
        lower, upper, when = speaking_time(history, facts.get(ref.slug), self.today)
        pointer = f"{ref.target_slug}#{ref.target_eid}" if ref.target_eid else ref.target_slug

        def problem(code, severity, message):
            return Problem(
                code=code, severity=severity, scope=scope_of(ref.clause_id), subject_type="reference",
                identity=f"{ref.slug}|{ref.clause_id}|{pointer}", message=message,
                agreement_id=ref.agreement_id, subject=eid_now,
            )

        where = f"{ref.slug} {eid_now} (valid from {when})"
        target = facts.get(ref.target_slug)
        if target is None:
            return problem(MISSING, ERROR, f"{where} refers to '{ref.target_slug}', which is not in the registry.")
        if target.earliest and target.earliest > upper:
            return problem(
                ANACHRONISM, ERROR,
                f"{where} refers to {ref.target_slug}, which did not exist yet: its earliest date is "
                f"{target.earliest.isoformat()}.",
            )
        if not ref.target_eid:
            return None
        histories = targets.get((ref.target_slug, ref.target_eid))
        if not histories:
            return problem(EID_MISSING, ERROR, f"{where} refers to {pointer}, but {ref.target_slug} has no clause "
                                               f"'{ref.target_eid}'.")
        state_lower, state_upper = target_state(histories, ref.target_eid, lower), target_state(
            histories, ref.target_eid, upper)
        if OK in (state_lower, state_upper):
            return None
        if state_upper == NOT_YET:
            first = min(r.valid_from for h in histories for r in h if r.eid == ref.target_eid)
            return problem(ANACHRONISM, ERROR,
                           f"{where} refers to {pointer}, which did not exist yet: it takes effect on "
                           f"{first.isoformat()}.")
        if state_upper == GONE_REPEALED:
            return problem(REPEALED, WARNING, f"{where} refers to {pointer}, which was repealed by then.")
        return problem(RENUMBERED, WARNING,
                       f"{where} refers to {pointer}, which had been renumbered to another eId by then.")
