"""The domain's words for people: labels of kinds, statuses, lifecycle actions, relations and text kinds;
clause addresses (Article 2, paragraph 1) and dates (16 August 2010, June 1996, 2000 (uncertain)).

Plain Python returning plain strings (templates escape them like any other data); the browser, the admin
and the event describer (agreements.queries.history) read them from here.

The words are English; each is marked with `gettext_noop` so that Django's `makemessages` puts it in the
registry's catalogue, and the edges translate them for the reader (agreements.browser.present passes
Django's `gettext` as `translate` to the functions that compose words: dates, clause addresses). The
domain itself never imports Django.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable


def gettext_noop(text: str) -> str:
    """Marks an English word for the translation catalogue (makemessages reads this name); returns it as is."""
    return text


def _same(text: str) -> str:
    return text


TEXT_KIND_LABELS = {
    "official": gettext_noop("Official text"),
    "translation": gettext_noop("Translation"),
    "summary": gettext_noop("Archivist's summary, not the treaty's wording"),
}
STATUS_LABELS = {
    "no_dated_fact": gettext_noop("No dated fact recorded"),
    "signed": gettext_noop("Signed"),
    "in_force": gettext_noop("In force"),
    "suspended": gettext_noop("Suspended"),
    "terminated": gettext_noop("Terminated"),
    "superseded": gettext_noop("Superseded"),
}
ACTION_LABELS = {
    "signature": gettext_noop("Signature"),
    "definitive_signature": gettext_noop("Definitive signature"),
    "adoption": gettext_noop("Adoption"),
    "ratification": gettext_noop("Ratification"),
    "acceptance": gettext_noop("Acceptance"),
    "accession": gettext_noop("Accession"),
    "approval": gettext_noop("Approval"),
    "succession": gettext_noop("Succession"),
    "formal_confirmation": gettext_noop("Formal confirmation"),
    "provisional_application": gettext_noop("Provisional application"),
    "provisional_application_end": gettext_noop("End of provisional application"),
    "entry_into_force": gettext_noop("Entry into force"),
    "suspension": gettext_noop("Suspension"),
    "termination": gettext_noop("Termination"),
    "expiry": gettext_noop("Expiry"),
    "renewal": gettext_noop("Renewal"),
    "withdrawal": gettext_noop("Withdrawal"),
    "denunciation": gettext_noop("Denunciation"),
    "territorial_application": gettext_noop("Territorial application"),
    "territorial_exclusion": gettext_noop("Territorial exclusion"),
}
PARTICIPANT_STATUS_LABELS = {
    "signatory": gettext_noop("Signatory"),
    "consented": gettext_noop("Bound, not yet in force for it"),
    "party": gettext_noop("Party (in force for it)"),
    "provisionally_applying": gettext_noop("Applying it provisionally"),
    "withdrawn": gettext_noop("Withdrawn"),
    "succeeded": gettext_noop("Succeeded by another"),
    "none": gettext_noop("Not a participant"),
}
STATEMENT_KIND_LABELS = {
    "reservation": gettext_noop("Reservation"),
    "declaration": gettext_noop("Declaration"),
    "understanding": gettext_noop("Understanding"),
    "objection": gettext_noop("Objection"),
    "communication": gettext_noop("Communication"),
}
# How a participant's date of entry into force was obtained (domain/entry_into_force.py).
DERIVATION_LABELS = {
    "recorded": gettext_noop("as recorded"),
    "rule": gettext_noop("derived from the entry-into-force rule"),
    "consent": gettext_noop("from its consent (no rule recorded)"),
    "succession": gettext_noop("from its succession"),
}
RELATION_LABELS = {  # (outgoing, incoming)
    "amends": (gettext_noop("Amends"), gettext_noop("Amended by")),
    "implements": (gettext_noop("Implements"), gettext_noop("Implemented by")),
    "supplements": (gettext_noop("Supplements"), gettext_noop("Supplemented by")),
    "supersedes": (gettext_noop("Supersedes"), gettext_noop("Superseded by")),
    "based_on": (gettext_noop("Based on"), gettext_noop("Basis of")),
    "refers_to": (gettext_noop("Refers to"), gettext_noop("Referred to by")),
}
EID_PARTS = {
    "art": gettext_noop("Article"),
    "para": gettext_noop("paragraph"),
    "subpara": gettext_noop("subparagraph"),
    "point": gettext_noop("point"),
    "item": gettext_noop("item"),
    "list": gettext_noop("list"),
    "chp": gettext_noop("Chapter"),
    "sec": gettext_noop("Section"),
    "part": gettext_noop("Part"),
    "title": gettext_noop("Title"),
    "annex": gettext_noop("Annex"),
    "preamble": gettext_noop("Preamble"),
    "preface": gettext_noop("Preface"),
    "conclusions": gettext_noop("Conclusions"),
}
KIND_LABELS = {
    "treaty": gettext_noop("Treaty"),
    "agreement": gettext_noop("Agreement"),
    "protocol": gettext_noop("Protocol"),
    "memorandum": gettext_noop("Memorandum"),
    "declaration": gettext_noop("Declaration"),
    "pact": gettext_noop("Pact"),
    "charter": gettext_noop("Charter"),
    "exchange_of_notes": gettext_noop("Exchange of notes"),
    "organisation_founding": gettext_noop("Organisation founding"),
    "programme": gettext_noop("Programme"),
    "unilateral_measure": gettext_noop("Unilateral measure"),
    "act": gettext_noop("Act"),
    "bill": gettext_noop("Bill"),
    "statement": gettext_noop("Statement"),
    "document": gettext_noop("Document"),
    # party kinds and publication states, which the same labels name
    "state": gettext_noop("State"),
    "organisation": gettext_noop("Organisation"),
    "ministry": gettext_noop("Ministry"),
    "company": gettext_noop("Company"),
    "other": gettext_noop("Other"),
    "draft": gettext_noop("Draft"),
    "in_review": gettext_noop("In review"),
    "published": gettext_noop("Published"),
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
# The phrases of dates; `translate` (the edge's gettext) gives them in the reader's language.
DATE_UNKNOWN = gettext_noop("date unknown")
UNKNOWN_START = gettext_noop("an unknown date")
OPEN_END = gettext_noop("an open end")
INTERVAL = gettext_noop("%(start)s to %(end)s")
BETWEEN = gettext_noop("between %(start)s and %(end)s")  # a range inside an EDTF set
ONE_OF, ALL_OF = gettext_noop(" or "), gettext_noop(" and ")  # between the dates of an EDTF set: [a,b], {a,b}
AT_TIME = gettext_noop("%(date)s, %(time)s UTC")
QUALIFIERS = {"%": gettext_noop(" (uncertain, approximate)"), "?": gettext_noop(" (uncertain)"),
              "~": gettext_noop(" (approximate)")}
_DAY = re.compile(r"^(-?\d{4})-(\d{2})-(\d{2})\Z")
_MONTH = re.compile(r"^(-?\d{4})-(\d{2})\Z")
_YEAR = re.compile(r"^(-?\d{4})\Z")


def human_date(value, translate: Callable[[str], str] = _same, months=MONTHS, months_of_day=None) -> str:
    """A date for people: 16 August 2010, June 1996, 2010, 2000 (uncertain), 1996-06 to open end, and EDTF's
    sets: "21 December 2010 or 22 December 2010" for [2010-12-21,2010-12-22].

    `translate` gives the phrases in the reader's language; `months` are the month names standing alone
    ("June 1996"), `months_of_day` after a day ("16 August", Russian's genitive "16 августа")."""
    months_of_day = months_of_day or months
    if value is None or value == "":
        return translate(DATE_UNKNOWN)
    if isinstance(value, dt.datetime):
        day = f"{value.day} {months_of_day[value.month - 1]} {value.year}"
        return translate(AT_TIME) % {"date": day, "time": f"{value:%H:%M}"}
    if isinstance(value, dt.date):
        return f"{value.day} {months_of_day[value.month - 1]} {value.year}"
    text = str(value).strip()
    if len(text) > 2 and text[0] in "[{" and text[-1] == {"[": "]", "{": "}"}[text[0]]:
        # EDTF sets: [a,b] one of them (sources that disagree), {a,b} all of them; a..b a range inside.
        parts = []
        for item in (part.strip() for part in text[1:-1].split(",")):
            if ".." in item:
                start, _, end = item.partition("..")
                parts.append(translate(BETWEEN) % {
                    "start": human_date(start, translate, months, months_of_day) if start else translate(UNKNOWN_START),
                    "end": human_date(end, translate, months, months_of_day) if end else translate(OPEN_END)})
            elif item:
                parts.append(human_date(item, translate, months, months_of_day))
        return translate(ONE_OF if text[0] == "[" else ALL_OF).join(parts)
    if "/" in text:
        start, _, end = text.partition("/")
        start_text = translate(UNKNOWN_START) if start in ("", "..") else human_date(
            start, translate, months, months_of_day)
        end_text = translate(OPEN_END) if end in ("", "..") else human_date(end, translate, months, months_of_day)
        return translate(INTERVAL) % {"start": start_text, "end": end_text}
    qualifier = ""
    if text[-1:] in QUALIFIERS:
        qualifier, text = translate(QUALIFIERS[text[-1]]), text[:-1]
    if match := _DAY.match(text):
        year, month, day = match.groups()
        if 1 <= int(month) <= 12:
            return f"{int(day)} {months_of_day[int(month) - 1]} {int(year)}{qualifier}"
    if match := _MONTH.match(text):
        year, month = match.groups()
        if 1 <= int(month) <= 12:
            return f"{months[int(month) - 1]} {int(year)}{qualifier}"
    if _YEAR.match(text):
        return f"{int(text)}{qualifier}"
    return str(value)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind) or (kind or "").replace("_", " ").capitalize()


def choices(codes) -> list[tuple[str, str]]:
    """(value, label) pairs of a vocabulary for a form's select: `in_review` -> "In review"."""
    return [(code, kind_label(code)) for code in codes]


def status_label(status: str, consent_recorded: bool = True) -> str:
    """The agreement's status in words. "Signed" where no consent to be bound is recorded says so: a reader
    must not take a missing ratification for a treaty that was never ratified."""
    if status == "signed" and not consent_recorded:
        return gettext_noop("Signed; ratification not recorded")
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


def clause_label(eid: str, heading: str = "", translate: Callable[[str], str] = _same) -> str:
    """Article 2; Article 2, paragraph 1; Preamble. An eId of unknown parts reads as its heading."""
    parts = []
    for component in (eid or "").split("__"):
        name, _, number = component.partition("_")
        word = EID_PARTS.get(name)
        word = translate(word) if word else word
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
