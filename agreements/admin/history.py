"""Events as an archivist reads them: who, when recorded, with effect from, what; word-level text diffs.

Every text is data: it is escaped here before any markup is added (`word_diff` returns safe HTML built only
from escaped tokens and our own <ins>/<del> tags).
"""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from agreements import diffing
from agreements.queries.history import describe_event


def word_diff(old: str, new: str) -> str:
    """HTML of `new` against `old`: removed words in <del>, added words in <ins>, every piece escaped."""
    markup = {"delete": '<del class="pacta-del">{}</del>', "insert": '<ins class="pacta-ins">{}</ins>', "equal": "{}"}
    return mark_safe("".join(markup[op].format(escape(text)) for op, text in diffing.word_diff(old, new)))


def describe(type_name: str, p: dict) -> str:
    """One line saying what an event did, as staff read it (the one describer: agreements.queries.history)."""
    return describe_event(type_name, p, for_staff=True)


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
    from agreements.domain.rules import CORRECTABLE_FIELDS

    return [
        {
            "entry": entry,
            "what": describe(entry.event.type, entry.event.payload),
            "change": change_html(entry),
            "correctable": can_correct and entry.event.type in CORRECTABLE_FIELDS,
        }
        for entry in entries
    ]
