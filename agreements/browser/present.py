"""Words for the reader: dates, kinds, statuses, lifecycle actions, clause addresses and events.

Plain functions returning plain strings; templates escape them like any other data.
"""

from __future__ import annotations

import datetime as dt
import re

TEXT_KIND_LABELS = {
    "official": "Official text",
    "translation": "Translation",
    "summary": "Archivist's summary, not the treaty's wording",
}
STATUS_LABELS = {
    "draft": "No signature recorded",
    "signed": "Signed",
    "in_force": "In force",
    "suspended": "Suspended",
    "terminated": "Terminated",
    "superseded": "Superseded",
}
ACTION_LABELS = {
    "signature": "Signature",
    "ratification": "Ratification",
    "accession": "Accession",
    "approval": "Approval",
    "entry_into_force": "Entry into force",
    "suspension": "Suspension",
    "termination": "Termination",
    "withdrawal": "Withdrawal",
    "denunciation": "Denunciation",
}
RELATION_LABELS = {  # (outgoing, incoming)
    "amends": ("Amends", "Amended by"),
    "implements": ("Implements", "Implemented by"),
    "supplements": ("Supplements", "Supplemented by"),
    "supersedes": ("Supersedes", "Superseded by"),
    "based_on": ("Based on", "Basis of"),
    "refers_to": ("Refers to", "Referred to by"),
}
EID_PARTS = {
    "art": "Article",
    "para": "paragraph",
    "subpara": "subparagraph",
    "point": "point",
    "item": "item",
    "list": "list",
    "chp": "Chapter",
    "sec": "Section",
    "part": "Part",
    "title": "Title",
    "annex": "Annex",
    "preamble": "Preamble",
    "preface": "Preface",
    "conclusions": "Conclusions",
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
_DAY = re.compile(r"^(-?\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(-?\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(-?\d{4})$")


def human_date(value) -> str:
    """A date for people: 16 August 2010, June 1996, 2010, 2000 (uncertain), 1996-06 to open end."""
    if value is None or value == "":
        return "date unknown"
    if isinstance(value, dt.datetime):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}, {value:%H:%M} UTC"
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    text = str(value).strip()
    if "/" in text:
        start, _, end = text.partition("/")
        start_text = "an unknown date" if start in ("", "..") else human_date(start)
        end_text = "an open end" if end in ("", "..") else human_date(end)
        return f"{start_text} to {end_text}"
    qualifier = ""
    if text.endswith("%"):
        qualifier, text = " (uncertain, approximate)", text[:-1]
    elif text.endswith("?"):
        qualifier, text = " (uncertain)", text[:-1]
    elif text.endswith("~"):
        qualifier, text = " (approximate)", text[:-1]
    if match := _DAY.match(text):
        year, month, day = match.groups()
        if 1 <= int(month) <= 12:
            return f"{int(day)} {MONTHS[int(month) - 1]} {int(year)}{qualifier}"
    if match := _MONTH.match(text):
        year, month = match.groups()
        if 1 <= int(month) <= 12:
            return f"{MONTHS[int(month) - 1]} {int(year)}{qualifier}"
    if _YEAR.match(text):
        return f"{int(text)}{qualifier}"
    return str(value)


def kind_label(kind: str) -> str:
    return (kind or "").replace("_", " ").capitalize()


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, kind_label(status))


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, kind_label(action))


def text_kind_label(text_kind: str) -> str:
    return TEXT_KIND_LABELS.get(text_kind, kind_label(text_kind))


def relation_label(relation: str, incoming: bool = False) -> str:
    labels = RELATION_LABELS.get(relation)
    return labels[1 if incoming else 0] if labels else kind_label(relation)


def clause_label(eid: str, heading: str = "") -> str:
    """Article 2; Article 2, paragraph 1; Preamble. An eId of unknown parts reads as its heading."""
    parts = []
    for component in (eid or "").split("__"):
        name, _, number = component.partition("_")
        word = EID_PARTS.get(name)
        if word is None:
            label = heading or eid.replace("__", ", ").replace("_", " ")
            return label[:1].upper() + label[1:]
        parts.append(f"{word} {number}".strip() if number else word)
    label = ", ".join(parts)
    return label[:1].upper() + label[1:]


def citation_subject(supports: str) -> str:
    """What a citation supports, in words: a field, a party, a lifecycle fact, a clause, a reference."""
    if not supports:
        return "The agreement as a whole"
    kind, sep, rest = supports.partition(":")
    if not sep:
        if re.match(r"^[a-z]+(?:_[a-z0-9]+)?(?:__[a-z]+(?:_[a-z0-9]+)?)*$", supports) and supports not in (
            "title", "kind", "summary", "place", "titles", "work_date", "status",
        ):
            return clause_label(supports)
        return {"work_date": "Date", "titles": "Titles"}.get(supports, kind_label(supports))
    if kind == "party":
        return f"Party {rest}"
    if kind == "lifecycle":
        action, _, party = rest.partition(":")
        return action_label(action) + (f" by {party}" if party else "")
    if kind == "relation":
        relation, _, target = rest.partition(">")
        return f"{relation_label(relation)} {target}"
    if kind == "ref":
        eid, _, target = rest.partition(">")
        slug, _, target_eid = target.partition("#")
        return f"Reference from {clause_label(eid)} to {slug}" + (f", {clause_label(target_eid)}" if target_eid else "")
    return supports


def describe_event(event_type: str, payload: dict) -> str:
    """One line for a change in the event log."""
    p = payload or {}
    eid = p.get("eid", "")
    if event_type == "AgreementDrafted":
        return "Agreement entered in the registry"
    if event_type == "DetailsEdited":
        fields = ", ".join(kind_label(name).lower() for name in sorted((p.get("changes") or {})))
        return f"Details edited ({fields})" if fields else "Details edited"
    if event_type == "PartyAdded":
        return f"Party added: {p.get('party', '')}"
    if event_type == "PartyRemoved":
        return f"Party removed: {p.get('party', '')}"
    if event_type == "LifecycleRecorded":
        who = f" by {p['party']}" if p.get("party") else ""
        return f"{action_label(p.get('action', ''))}{who} recorded: {human_date(p.get('date'))}"
    if event_type == "ClauseAdded":
        return f"{clause_label(eid, p.get('heading', ''))} added"
    if event_type == "ClauseAmended":
        by = f" by {p['by']}" if p.get("by") else ""
        return f"{clause_label(eid)} amended{by}, in effect from {human_date(p.get('effective'))}"
    if event_type == "ClauseRepealed":
        return f"{clause_label(eid)} repealed, with effect from {human_date(p.get('effective'))}"
    if event_type == "ClauseRenumbered":
        return f"{clause_label(eid)} renumbered as {clause_label(p.get('new_eid', ''))}"
    if event_type in ("RelationAdded", "RelationRemoved"):
        verb = "added" if event_type == "RelationAdded" else "removed"
        return f"Relation {verb}: {relation_label(p.get('relation', '')).lower()} {p.get('target', '')}"
    if event_type in ("ReferenceAdded", "ReferenceRemoved"):
        verb = "added" if event_type == "ReferenceAdded" else "removed"
        target = p.get("target", "") + (f", {clause_label(p['target_eid'])}" if p.get("target_eid") else "")
        return f"Cross-reference {verb} from {clause_label(eid)} to {target}"
    if event_type == "CitationAttached":
        return f"Source cited: {p.get('source', '')}" + (f", {p['locator']}" if p.get("locator") else "")
    if event_type == "CitationDetached":
        return "Citation withdrawn"
    if event_type == "SubmittedForReview":
        return "Submitted for review"
    if event_type == "Published":
        return "Published"
    if event_type == "Unpublished":
        return "Withdrawn from publication"
    if event_type == "ReturnedToDraft":
        return "Returned to its archivist for changes"
    if event_type == "ObligationCoded":
        parties = ", ".join(p.get("parties") or [])
        return (f"{clause_label(eid)} coded: {kind_label(p.get('obligation', '')).lower()} "
                f"({p.get('modality', '')}) for {parties}")
    if event_type == "ObligationUncoded":
        return f"An obligation coding withdrawn: {p.get('reason', '')}"
    if event_type == "EventCorrected":
        return f"Correction: {p.get('reason', '')}".rstrip(": ")
    return kind_label(re.sub(r"(?<!^)(?=[A-Z])", "_", event_type).lower())


def event_eid(event_type: str, payload: dict) -> str:
    """The clause an event is about, if any (its current eId after a renumbering)."""
    if event_type == "ClauseRenumbered":
        return (payload or {}).get("new_eid", "")
    if event_type.startswith("Clause") or event_type.startswith("Reference"):
        return (payload or {}).get("eid", "")
    return ""


def safe_url(url: str) -> str:
    """An outside address to link to, only if it is http(s); anything else is shown as text, not linked."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else ""


def citation_rows(citations) -> list[dict]:
    return [
        {
            "subject": citation_subject(c.supports),
            "quote": c.quote,
            "locator": c.locator,
            "source": c.source,
            "published": human_date(c.source.published) if c.source.published else "",
            "url": safe_url(c.source.url),
        }
        for c in citations
    ]


_HTML_DATE = __import__("re").compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$")


def html_datetime(value) -> str:
    """A value for `<time datetime>` (a year, a month or a day), or "" when the date has no HTML form
    ("2000?", "1996-06/.."): the page then shows the date as plain text."""
    text = value.isoformat()[:10] if hasattr(value, "isoformat") else str(value or "")
    return text if _HTML_DATE.match(text) else ""
