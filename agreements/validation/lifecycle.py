"""Lifecycle order per party: entry into force, ratification and approval never precede signature.

The aggregate refuses such facts on write for one and the same party, but corrections of earlier facts,
imported legacy data and the mix of party-level and agreement-wide facts can still produce them: a
party's entry into force before the agreement as a whole was signed is caught here, not on write.

For each party (and for the agreement as a whole) a fact is compared with the earliest signature of that
party, or, when the party has no signature of its own, with the agreement-wide signature. Partial dates
are given the benefit of the doubt: a fact is flagged only when its upper bound is before the signature's
lower bound. Codes: `lifecycle_entry_into_force_before_signature`, `lifecycle_ratification_before_signature`,
`lifecycle_approval_before_signature` (errors). Scope: `lifecycle:<slug>`.
"""

from __future__ import annotations

from collections import defaultdict

from agreements.queries.lifecycle import LifecycleRow, lifecycle_of

from .findings import ERROR, Problem

AFTER_SIGNATURE = ("entry_into_force", "ratification", "approval")


def scope_of(slug: str) -> str:
    return f"lifecycle:{slug}"


def code_for(action: str) -> str:
    return f"lifecycle_{action}_before_signature"


def order_problems(facts: list[LifecycleRow]) -> list[tuple[LifecycleRow, LifecycleRow]]:
    """(fact, signature) pairs where the fact certainly precedes the signature it must follow."""
    signatures = defaultdict(list)
    for fact in facts:
        if fact.action == "signature" and fact.lower:
            signatures[fact.party].append(fact)
    pairs = []
    for fact in facts:
        if fact.action not in AFTER_SIGNATURE or fact.upper is None:
            continue
        own = signatures.get(fact.party) or signatures.get(None) or []
        if not own:
            continue
        first = min(own, key=lambda s: s.lower)
        if fact.upper < first.lower:
            pairs.append((fact, first))
    return pairs


def check_agreements(slugs) -> tuple[set[str], list[Problem]]:
    slugs = set(slugs)
    problems = []
    for slug, facts in lifecycle_of(slugs).items():
        for fact, signature in order_problems(facts):
            who = fact.party or "the agreement as a whole"
            signer = signature.party or "the agreement as a whole"
            problems.append(Problem(
                code_for(fact.action), ERROR, scope_of(slug), "lifecycle", f"{slug}|{fact.event_id}",
                f"{slug}: {fact.action.replace('_', ' ')} on {fact.date} for {who} precedes the signature "
                f"on {signature.date} ({signer}).",
                agreement_id=fact.agreement_id,
                subject=f"lifecycle:{fact.action}" + (f":{fact.party}" if fact.party else ""),
            ))
    return {scope_of(slug) for slug in slugs}, problems
