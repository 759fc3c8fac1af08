"""What the browser shows of citations, sources and links; the words themselves are in domain.wording.

Plain functions returning plain strings; templates escape them like any other data.
"""

from __future__ import annotations

from agreements.domain.vocabulary import parse_citation_subject
from agreements.domain.wording import (  # noqa: F401  (the browser's words come from the domain's wording)
    STATUS_LABELS,
    action_label,
    clause_label,
    human_date,
    kind_label,
    relation_label,
    status_label,
    text_kind_label,
)
from agreements.queries.history import describe_event, event_eid  # noqa: F401


def citation_subject(supports: str) -> str:
    """What a citation supports, in words: a field, a party, a lifecycle fact, a clause, a reference."""
    subject = parse_citation_subject(supports)
    if subject.kind == "agreement":
        return "The agreement as a whole"
    if subject.kind == "field":
        return {"work_date": "Date", "titles": "Titles"}.get(subject.name, kind_label(subject.name))
    if subject.kind == "clause":
        return clause_label(subject.name)
    if subject.kind == "party":
        return f"Party {subject.name}"
    if subject.kind == "lifecycle":
        return action_label(subject.name) + (f" by {subject.party}" if subject.party else "")
    if subject.kind == "relation":
        return f"{relation_label(subject.name)} {subject.target}"
    if subject.kind == "obligation":
        return "A coded obligation"
    if subject.kind == "statement":
        return "A participant's statement"
    if subject.kind == "entry_into_force_rule":
        return "Entry-into-force rule"
    if subject.kind == "registration":
        return "Registration"
    if subject.kind == "depositary":
        return "Depositary"
    if subject.kind == "reference":
        return f"Reference from {clause_label(subject.name)} to {subject.target}" + (
            f", {clause_label(subject.target_eid)}" if subject.target_eid else "")
    return supports


def safe_url(url: str) -> str:
    """An outside address to link to, only if it is http(s); anything else is shown as text, not linked."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


def citation_rows(citations, checks: dict[str, str] | None = None) -> list[dict]:
    """Citations as the public page lists them; `checks`: citation id -> the mark of its quote."""
    checks = checks or {}
    return [
        {
            "check": checks.get(str(c.citation_id), ""),
            "subject": citation_subject(c.supports),
            "quote": c.quote,
            "locator": c.locator,
            "source": c.source,
            "published": human_date(c.source.published) if c.source.published else "",
            "url": safe_url(c.source.url),
        }
        for c in citations
    ]


_HTML_DATE = __import__("re").compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?\Z")


def html_datetime(value) -> str:
    """A value for `<time datetime>` (a year, a month or a day), or "" when the date has no HTML form
    ("2000?", "1996-06/.."): the page then shows the date as plain text."""
    text = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value or "")
    return text if _HTML_DATE.match(text) else ""
