"""The domain's words for people: labels of kinds, statuses, lifecycle actions, relations and text kinds;
clause addresses (Article 2, paragraph 1) and dates (16 August 2010, June 1996, 2000 (uncertain)).

Plain Python returning plain strings (templates escape them like any other data); the browser, the admin
and the event describer (agreements.queries.history) read them from here.
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
    "no_dated_fact": "No dated fact recorded",
    "signed": "Signed",
    "in_force": "In force",
    "suspended": "Suspended",
    "terminated": "Terminated",
    "superseded": "Superseded",
}
ACTION_LABELS = {
    "signature": "Signature",
    "definitive_signature": "Definitive signature",
    "adoption": "Adoption",
    "ratification": "Ratification",
    "acceptance": "Acceptance",
    "accession": "Accession",
    "approval": "Approval",
    "succession": "Succession",
    "formal_confirmation": "Formal confirmation",
    "provisional_application": "Provisional application",
    "provisional_application_end": "End of provisional application",
    "entry_into_force": "Entry into force",
    "suspension": "Suspension",
    "termination": "Termination",
    "expiry": "Expiry",
    "renewal": "Renewal",
    "withdrawal": "Withdrawal",
    "denunciation": "Denunciation",
    "territorial_application": "Territorial application",
    "territorial_exclusion": "Territorial exclusion",
}
PARTICIPANT_STATUS_LABELS = {
    "signatory": "Signatory",
    "consented": "Bound, not yet in force for it",
    "party": "Party (in force for it)",
    "provisionally_applying": "Applying it provisionally",
    "withdrawn": "Withdrawn",
    "succeeded": "Succeeded by another",
    "none": "Not a participant",
}
STATEMENT_KIND_LABELS = {
    "reservation": "Reservation",
    "declaration": "Declaration",
    "understanding": "Understanding",
    "objection": "Objection",
    "communication": "Communication",
}
# How a participant's date of entry into force was obtained (domain/entry_into_force.py).
DERIVATION_LABELS = {
    "recorded": "as recorded",
    "rule": "derived from the entry-into-force rule",
    "consent": "from its consent (no rule recorded)",
    "succession": "from its succession",
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
_DAY = re.compile(r"^(-?\d{4})-(\d{2})-(\d{2})\Z")
_MONTH = re.compile(r"^(-?\d{4})-(\d{2})\Z")
_YEAR = re.compile(r"^(-?\d{4})\Z")


def human_date(value) -> str:
    """A date for people: 16 August 2010, June 1996, 2010, 2000 (uncertain), 1996-06 to open end, and EDTF's
    sets: "21 December 2010 or 22 December 2010" for [2010-12-21,2010-12-22]."""
    if value is None or value == "":
        return "date unknown"
    if isinstance(value, dt.datetime):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}, {value:%H:%M} UTC"
    if isinstance(value, dt.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    text = str(value).strip()
    if len(text) > 2 and text[0] in "[{" and text[-1] == {"[": "]", "{": "}"}[text[0]]:
        # EDTF sets: [a,b] one of them (sources that disagree), {a,b} all of them; a..b a range inside.
        parts = []
        for item in (part.strip() for part in text[1:-1].split(",")):
            if ".." in item:
                start, _, end = item.partition("..")
                parts.append(f"between {human_date(start) if start else 'an unknown date'} and "
                             f"{human_date(end) if end else 'an open end'}")
            elif item:
                parts.append(human_date(item))
        return (" or " if text[0] == "[" else " and ").join(parts)
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


def choices(codes) -> list[tuple[str, str]]:
    """(value, label) pairs of a vocabulary for a form's select: `in_review` -> "In review"."""
    return [(code, kind_label(code)) for code in codes]


def status_label(status: str, consent_recorded: bool = True) -> str:
    """The agreement's status in words. "Signed" where no consent to be bound is recorded says so: a reader
    must not take a missing ratification for a treaty that was never ratified."""
    if status == "signed" and not consent_recorded:
        return "Signed; ratification not recorded"
    return STATUS_LABELS.get(status, kind_label(status))


def participant_status_label(status: str) -> str:
    return PARTICIPANT_STATUS_LABELS.get(status, kind_label(status))


def statement_kind_label(kind: str) -> str:
    return STATEMENT_KIND_LABELS.get(kind, kind_label(kind))


def derivation_label(how: str) -> str:
    return DERIVATION_LABELS.get(how, how.replace("_", " "))


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


def registration_label(number: str, date: str = "", body: str = "") -> str:
    """UNTC-style: "No. I-54669, 24 October 1945 (UN Secretariat)"; a number already written "No. 1" stays so."""
    number = (number or "").strip()
    text = number if number.lower().startswith(("no.", "no ", "n°")) else f"No. {number}"
    if date:
        text += f", {human_date(date)}"
    return text + (f" ({body})" if body else "")


def depositary_label(depositary: str, party_name: str = "") -> str:
    """The depositary in words: its name, or a party's name with its code ("United Nations (UN)")."""
    if party_name and party_name != depositary:
        return f"{party_name} ({depositary})"
    return depositary
