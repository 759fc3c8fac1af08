"""What a reader may see. The public (browser, anonymous and unprivileged API callers) sees published
agreements only, and no identifier of an unpublished one anywhere: not in a relation, a cross-reference,
an amending instrument, a citation's subject, an event's payload or a finding. Staff see everything.

Every read that can meet another agreement's slug applies these rules here, once; no view filters again.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from agreements.domain.events import AGREEMENT_SLUG_FIELDS
from agreements.domain.vocabulary import parse_citation_subject
from agreements.projections.models import AgreementRecord

from . import NotFound

PUBLISHED = "published"
UNPUBLISHED_LABEL = gettext_noop("an unpublished agreement")  # what the public reads where a hidden slug stood


def visible_agreements(include_unpublished: bool = False):
    qs = AgreementRecord.objects.all()
    return qs if include_unpublished else qs.filter(publication=PUBLISHED)


def get_record(slug: str, include_unpublished: bool = False) -> AgreementRecord:
    try:
        return visible_agreements(include_unpublished).get(slug=slug)
    except AgreementRecord.DoesNotExist:
        raise NotFound(f"No agreement '{slug}'.") from None


def published_records():
    return AgreementRecord.objects.filter(publication=PUBLISHED).order_by("earliest_date", "slug")


def published_record(slug: str) -> AgreementRecord | None:
    return published_records().filter(slug=slug).first()


def records_by_slug(slugs) -> dict[str, AgreementRecord]:
    """The published agreements among `slugs` (one query); unpublished targets are left out."""
    slugs = {s for s in slugs if s}
    if not slugs:
        return {}
    return {r.slug: r for r in published_records().filter(slug__in=slugs)}


def published_record_for_work(work_uri: str) -> AgreementRecord | None:
    """An imported document lives at its own work URI (`/akn/za/act/2009/10`)."""
    return published_records().filter(work_uri=work_uri).first()


# ---------------------------------------------------------------------------------------------- redaction


def hidden_slugs(slugs, include_unpublished: bool = False) -> set[str]:
    """The slugs among `slugs` this reader may not see: for the public exactly one query, even for no slug
    (so a page costs the same whatever it holds); for staff none."""
    if include_unpublished:
        return set()
    slugs = {s for s in slugs if s and isinstance(s, str)}
    published = visible_agreements().filter(slug__in=sorted(slugs) or [""]).values_list("slug", flat=True)
    return slugs - set(published)


def _named(key: str, value) -> str:
    """The slug a payload field names: itself (`by`, `target`), or a citation subject's target (`supports`)."""
    if not isinstance(value, str):
        return ""
    if key in AGREEMENT_SLUG_FIELDS:
        return value
    return parse_citation_subject(value).target if key == "supports" else ""


def payload_slugs(payload: dict) -> set[str]:
    """The slugs of other agreements an event's payload names (a correction's fields included)."""
    payload = payload or {}
    found = {_named(key, value) for key, value in payload.items()} - {""}
    if isinstance(payload.get("corrections"), dict):
        found |= payload_slugs(payload["corrections"])
    return found


def redact_payload(payload: dict, hidden: set[str]) -> dict:
    """The payload with every field that names a hidden agreement replaced by None."""
    if not hidden or not payload:
        return payload
    redacted = {k: (None if _named(k, v) in hidden else v) for k, v in payload.items()}
    if isinstance(payload.get("corrections"), dict):
        redacted["corrections"] = redact_payload(payload["corrections"], hidden)
    return redacted


def citation_target(citation) -> str:
    """The other agreement a citation's subject names (a relation or a reference), or ""."""
    return parse_citation_subject(citation.supports).target


def visible_citations(citations, hidden: set[str]) -> list:
    return [c for c in citations if citation_target(c) not in hidden]


def redact_agreement(view, include_unpublished: bool = False):
    """An AgreementView as this reader may see it: relations from or to unpublished agreements, their
    slugs as amending instruments and the citations backing such relations are left out."""
    if include_unpublished:
        return view
    view.relations_in = [r for r in view.relations_in if r.agreement.publication == PUBLISHED]
    hidden = hidden_slugs([r.target_slug for r in view.relations_out] + [c.amended_by for c in view.clauses]
                          + [citation_target(c) for c in view.citations])
    view.relations_out = [r for r in view.relations_out if r.target_slug not in hidden]
    for clause in view.clauses:
        if clause.amended_by in hidden:
            clause.amended_by = ""
    view.citations = visible_citations(view.citations, hidden)
    return view


def redact_clause(view, include_unpublished: bool = False):
    """A ClauseView as this reader may see it (the same rules as `redact_agreement`)."""
    if include_unpublished:
        return view
    view.references_in = [r for r in view.references_in if r.agreement.publication == PUBLISHED]
    hidden = hidden_slugs([r.target_slug for r in view.references_out] + [v.amended_by for v in view.versions]
                          + [citation_target(c) for c in view.citations])
    view.references_out = [r for r in view.references_out if r.target_slug not in hidden]
    for version in view.versions + ([view.current] if view.current else []):
        if version.amended_by in hidden:
            version.amended_by = ""
    view.citations = visible_citations(view.citations, hidden)
    return view
