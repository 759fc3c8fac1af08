"""Relation checks: an instrument that amends, implements, supplements, supersedes or is based on another
cannot be older than it, and such relations cannot go round in a circle.

- `relation_target_missing` (error): the related agreement is not in the registry;
- `relation_predates_target` (error): the instrument certainly existed before its target did: the smallest
  upper bound of its dates is earlier than the earliest lower bound of the target's dates (partial dates
  are given the benefit of the doubt);
- `relation_cycle` (error): following these relations from an agreement leads back to it (one finding per
  agreement on the cycle). `refers_to` is left out: two instruments may well refer to each other.

Scopes: `relations:<slug>` (one agreement's outgoing relations) and `relation-cycles` (the whole graph,
which is small: one row per relation).
"""

from __future__ import annotations

from collections import defaultdict

from agreements.queries.agreements import agreement_facts
from agreements.queries.relations import relations_from

from .findings import ERROR, Problem

ORDERED = ("amends", "implements", "supplements", "supersedes", "based_on")
VERBS = {"amends": "amends", "implements": "implements", "supplements": "supplements",
         "supersedes": "supersedes", "based_on": "is based on"}
TARGET_MISSING = "relation_target_missing"
PREDATES = "relation_predates_target"
CYCLE = "relation_cycle"
CYCLES_SCOPE = "relation-cycles"


def scope_of(slug: str) -> str:
    return f"relations:{slug}"


def check_agreements(slugs) -> tuple[set[str], list[Problem]]:
    slugs = set(slugs)
    relations = [r for r in relations_from(slugs) if r.relation in ORDERED]
    facts = agreement_facts(slugs | {r.target_slug for r in relations})
    problems = []
    for rel in relations:
        identity = f"{rel.slug}|{rel.relation}>{rel.target_slug}"
        source, target = facts.get(rel.slug), facts.get(rel.target_slug)
        if target is None:
            problems.append(Problem(
                TARGET_MISSING, ERROR, scope_of(rel.slug), "relation", identity,
                f"{rel.slug} {VERBS[rel.relation]} '{rel.target_slug}', which is not in the registry.",
                agreement_id=rel.agreement_id, subject=f"{rel.relation}>{rel.target_slug}",
            ))
            continue
        if source and source.latest_start and target.earliest and source.latest_start < target.earliest:
            problems.append(Problem(
                PREDATES, ERROR, scope_of(rel.slug), "relation", identity,
                f"{rel.slug} ({source.label}) {VERBS[rel.relation]} {rel.target_slug}, which dates from "
                f"{target.label}: an instrument cannot be older than the one it {VERBS[rel.relation]}.",
                agreement_id=rel.agreement_id, subject=f"{rel.relation}>{rel.target_slug}",
            ))
    return {scope_of(slug) for slug in slugs}, problems


def cycles(edges) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan, iterative), each sorted."""
    graph = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
        graph.setdefault(b, set())
    index, low, on_stack, stack, result, counter = {}, {}, set(), [], [], [0]
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(sorted(component))
    return sorted(result)


def check_cycles() -> tuple[set[str], list[Problem]]:
    relations = [r for r in relations_from() if r.relation in ORDERED]
    ids = {r.slug: r.agreement_id for r in relations}
    problems = []
    for component in cycles((r.slug, r.target_slug) for r in relations):
        members = set(component)
        links = ", ".join(
            f"{r.slug} {VERBS[r.relation]} {r.target_slug}"
            for r in relations if r.slug in members and r.target_slug in members
        )
        for slug in component:
            problems.append(Problem(
                CYCLE, ERROR, CYCLES_SCOPE, "relation", slug,
                f"{slug} is on a cycle of relations: {links}.",
                agreement_id=ids.get(slug), subject="relations",
            ))
    return {CYCLES_SCOPE}, problems
