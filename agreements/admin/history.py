"""Events as an archivist reads them: who, when recorded, with effect from, what; word-level text diffs.

Every text is data: it is escaped here before any markup is added (`word_diff` returns safe HTML built only
from escaped tokens and our own <ins>/<del> tags).
"""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from agreements import diffing


def word_diff(old: str, new: str) -> str:
    """HTML of `new` against `old`: removed words in <del>, added words in <ins>, every piece escaped."""
    markup = {"delete": '<del class="pacta-del">{}</del>', "insert": '<ins class="pacta-ins">{}</ins>', "equal": "{}"}
    return mark_safe("".join(markup[op].format(escape(text)) for op, text in diffing.word_diff(old, new)))


def _label(value):
    return (value or "").replace("_", " ")


def describe(type_name: str, p: dict) -> str:
    """One line saying what an event did (plain text; the template escapes it)."""
    eff = lambda: f" with effect from {p['effective']}" if p.get("effective") else ""  # noqa: E731
    by = lambda: f" by {p['by']}" if p.get("by") else ""  # noqa: E731
    match type_name:
        case "AgreementDrafted":
            return f"Drafted “{p.get('title')}” ({_label(p.get('kind'))}, {p.get('slug')})"
        case "DetailsEdited":
            changes = p.get("changes", {})
            return "Edited " + ", ".join(f"{k} → {v}" if k != "summary" else "summary" for k, v in changes.items())
        case "PartyAdded":
            return f"Added party {p.get('party')}" + (f" ({p['role']})" if p.get("role") else "")
        case "PartyRemoved":
            return f"Removed party {p.get('party')}"
        case "LifecycleRecorded":
            return f"Recorded {_label(p.get('action'))} on {p.get('date')}" + (
                f" for {p['party']}" if p.get("party") else " for the agreement as a whole")
        case "ClauseAdded":
            return f"Added clause {p.get('eid')}" + (f" ({p['heading']})" if p.get("heading") else "") + \
                f", {p.get('text_kind')}" + eff()
        case "ClauseAmended":
            return f"Amended clause {p.get('eid')}" + eff() + by()
        case "ClauseRepealed":
            return f"Repealed clause {p.get('eid')}" + eff() + by()
        case "ClauseRenumbered":
            return f"Renumbered clause {p.get('eid')} to {p.get('new_eid')}" + eff()
        case "RelationAdded":
            return f"Added relation: {_label(p.get('relation'))} {p.get('target')}"
        case "RelationRemoved":
            return f"Removed relation: {_label(p.get('relation'))} {p.get('target')}"
        case "ReferenceAdded":
            target = p.get("target") + (f"#{p['target_eid']}" if p.get("target_eid") else "")
            return f"Added reference from {p.get('eid')} to {target}"
        case "ReferenceRemoved":
            target = p.get("target") + (f"#{p['target_eid']}" if p.get("target_eid") else "")
            return f"Removed reference from {p.get('eid')} to {target}"
        case "CitationAttached":
            return f"Cited source {p.get('source')}" + (f", {p['locator']}" if p.get("locator") else "") + (
                f" for {p['supports']}" if p.get("supports") else "")
        case "CitationDetached":
            return f"Detached citation {p.get('citation_id')}"
        case "SubmittedForReview":
            return "Submitted for review" + (f": {p['note']}" if p.get("note") else "")
        case "Published":
            return "Published" + (f": {p['note']}" if p.get("note") else "") + (
                f" ({p['uncited_facts']} uncited fact(s): {p.get('uncited_reason')})" if p.get("uncited_facts") else "")
        case "ReturnedToDraft":
            return f"Returned to draft: {p.get('note')}"
        case "ObligationCoded":
            conditions = ", ".join(_label(c) for c in p.get("conditions", []))
            return (f"Coded {p.get('eid')}: {_label(p.get('obligation'))}, {p.get('modality')}, for "
                    f"{', '.join(p.get('parties', []))}" + (f", if {conditions}" if conditions else "") + eff())
        case "ObligationUncoded":
            return f"Uncoded obligation {p.get('obligation_id')}: {p.get('reason')}"
        case "Unpublished":
            return "Unpublished" + (f": {p['note']}" if p.get("note") else "")
        case "EventCorrected":
            fields = ", ".join(sorted(p.get("corrections", {})))
            return f"Corrected {p.get('corrected_type')} ({fields}): {p.get('reason')}"
    return type_name


def change_html(entry) -> str:
    """The word diff of a clause text change, or the text of a new clause, as safe HTML (or "")."""
    p = entry.event.payload
    if entry.event.type == "ClauseAmended" and entry.previous_text is not None:
        return word_diff(entry.previous_text, p.get("text", ""))
    if entry.event.type == "EventCorrected" and entry.previous_text is not None:
        return word_diff(entry.previous_text, p.get("corrections", {}).get("text", ""))
    if entry.event.type == "ClauseAdded":
        return format_html('<span class="pacta-new">{}</span>', p.get("text", ""))
    return ""


def rows(entries, can_correct=False) -> list[dict]:
    """What the history page and the conflict message show for each event."""
    from agreements.domain.events import CORRECTABLE_FIELDS

    return [
        {
            "entry": entry,
            "what": describe(entry.event.type, entry.event.payload),
            "change": change_html(entry),
            "correctable": can_correct and entry.event.type in CORRECTABLE_FIELDS,
        }
        for entry in entries
    ]
