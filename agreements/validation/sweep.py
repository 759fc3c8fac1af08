"""The full sweep: every check over the whole registry (Celery beat runs it periodically; `manage.py
validate --all` runs it synchronously).

It checks every clause that has outgoing references, plus every clause that still has an open reference
finding (so a finding whose reference has gone is resolved), every agreement's lifecycle, relations and
citations, the relation graph for cycles and, when URL checks are on (PACTA_CHECK_URLS or `check_urls`),
every source's URL. Work is done in batches of a few hundred clauses or agreements, each batch recorded in
its own transaction, so a long sweep never holds locks for long.
"""

from __future__ import annotations

from django.conf import settings

from agreements.queries.agreements import agreement_slugs
from agreements.queries.findings import open_finding_scopes
from agreements.queries.references import referring_clause_ids_everywhere
from agreements.queries.sources import sources_by_id

from . import links
from .incremental import Plan, Report, execute, plan_agreement, run_checks


def full_plan() -> Plan:
    slugs = set(agreement_slugs())
    open_ref_clauses = {scope.split(":", 1)[1] for scope in open_finding_scopes("ref:")}
    return Plan(
        clause_ids=set(referring_clause_ids_everywhere()) | open_ref_clauses,
        lifecycle=slugs, relations=slugs, citations=slugs, cycles=True,
    )


def plan_for_agreements(slugs) -> Plan:
    plan = Plan()
    for slug in slugs:
        plan.merge(plan_agreement(slug))
    return plan


def units(plan: Plan, check_urls: bool) -> int:
    """How many units of work `run` reports through `progress` (for a progress bar's total)."""
    total = len(plan.clause_ids) + len(plan.lifecycle) + len(plan.relations) + len(plan.citations)
    return total + (len(sources_by_id()) if check_urls else 0)


def run(plan: Plan | None = None, check_urls: bool | None = None, progress=None) -> Report:
    """Run a plan (the full sweep when None); URL checks only when asked or PACTA_CHECK_URLS is on."""
    plan = plan if plan is not None else full_plan()
    check_urls = settings.PACTA_CHECK_URLS if check_urls is None else check_urls
    report = execute(plan, progress=progress)
    if check_urls:
        scopes, problems = links.check_sources()
        run_checks(report, scopes, problems)
        report.sources = len(scopes)
        if progress:
            progress(len(scopes))
    return report

