"""The checks of command fields, each written once: a field's name gives its check, whichever command
carries it (`FIELD_CHECKS`), except where one command's field of a shared name means something else
(`COMMAND_FIELD_CHECKS`). A check returns the cleaned value or raises ValueError with the reader's message;
`commands.parse_command` gathers those into one InvalidCommand naming every field. The same checks guard a
correction's fields (`rules.correcting`), so a corrected fact is held to its command's rules.
"""

from __future__ import annotations

import uuid

from . import entry_into_force
from . import obligations
from . import statements
from . import vocabulary
from .dates import InvalidDate, parse_date
from .errors import shown
from .lookalike import visible

MAX_TEXT = 200_000
MAX_LINE = 1_000
MAX_ROLE = 200
MAX_LOCATOR = 500  # where in the source: a page, a paragraph, an address fragment
MAX_QUOTE = 2_000  # a quotation, not a text: sources keep their texts themselves
MAX_SUPPORTS = 500


def _text(limit):
    def check(value):
        if not isinstance(value, str):
            raise ValueError("Must be a string.")
        if len(value) > limit:
            raise ValueError(f"At most {limit} characters.")
        return value

    return check


def _required_text(limit):
    base = _text(limit)

    def check(value):
        value = base(value).strip()
        if not visible(value):  # blank, or only invisible characters (a zero-width space)
            raise ValueError("This field may not be blank.")
        return value

    return check


def _line(limit, required=True):
    """One line of text (a number, a name): no line breaks, at most `limit` characters, stripped."""
    base = _required_text(limit) if required else _text(limit)

    def check(value):
        if isinstance(value, str) and ("\n" in value or "\r" in value):
            raise ValueError("Write it on one line.")
        return base(value).strip()

    return check


def _choice(choices):
    def check(value):
        if value not in choices:
            raise ValueError(f"'{shown(value)}' is not one of: {', '.join(choices)}.")
        return value

    return check


def _regex(pattern, what, max_length):
    def check(value):
        if isinstance(value, str) and len(value) > max_length:
            raise ValueError(f"A {what} has at most {max_length} characters; this one has {len(value)}.")
        if not isinstance(value, str) or not pattern.match(value):
            raise ValueError(f"'{shown(value)}' is not a valid {what}.")
        return value

    return check


def _date(value):
    try:
        return parse_date(value).text
    except InvalidDate as exc:
        raise ValueError(str(exc)) from None


def _titles(value):
    if not isinstance(value, dict):
        raise ValueError("Must be an object mapping language codes to titles.")
    for lang, title in value.items():
        if not isinstance(lang, str) or not vocabulary.LANGUAGE_RE.match(lang):
            raise ValueError(f"'{shown(lang)}' is not a language code (en, tr, az...).")
        if not isinstance(title, str) or not visible(title) or len(title) > MAX_LINE:
            raise ValueError(f"The title in '{shown(lang)}' must be a non-blank string of at most {MAX_LINE} characters.")
    return dict(value)


def _uuid(value):
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"'{shown(value)}' is not a UUID.") from None


def _source(value):
    """A source's key (`usc-dornsife-2023`). A database id is refused: events outlive the instance that wrote
    them, and id 10 here is another source, or none, on a copy or a restored backup."""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise ValueError("Give the source's key.")
    key = str(value).strip()
    if vocabulary.is_database_id(key):
        raise ValueError(f"'{shown(key)}' looks like a database id: name the source by its key "
                         "(for example 'usc-dornsife-2023'), which stays the same on every copy of the registry.")
    if len(key) > vocabulary.MAX_SOURCE_KEY:
        raise ValueError(f"At most {vocabulary.MAX_SOURCE_KEY} characters.")
    if not vocabulary.SOURCE_KEY_RE.fullmatch(key):
        raise ValueError(f"'{shown(key)}' is not a source key (letters, digits, '-' and '_').")
    return key


def _codes(choices, what):
    def check(value):
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"Give a list of {what}.")
        return [choose(item) for item in value]

    choose = _choice(choices)
    return check


def _party_codes(value):
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)):
        raise ValueError("Give a list of party codes (TUR, AZE...).")
    codes = [party_code(item) for item in value]
    if len(set(codes)) != len(codes):
        raise ValueError("A party is named twice.")
    return codes


def _no_nul(check):
    def checked(value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("Must not contain NUL characters.")
        return check(value)

    return checked


def _integer(low, high):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("Must be a whole number.")
        if not low <= value <= high:
            raise ValueError(f"Must be from {low} to {high}.")
        return value

    return check


def _boolean(value):
    if not isinstance(value, bool):
        raise ValueError("Must be true or false.")
    return value


def _eids(value):
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)) or len(value) > 500:
        raise ValueError("Give a list of eIds (art_2, art_2__para_1), at most 500.")
    eids = [eid(item) for item in value]
    if len(set(eids)) != len(eids):
        raise ValueError("An eId is named twice.")
    return eids


def _corrections(value):
    if not isinstance(value, dict) or not value:
        raise ValueError("Give the corrected fields as an object, for example {\"date\": \"2010-08-16\"}.")
    return dict(value)


slug = _regex(vocabulary.SLUG_RE, "slug (lowercase letters, digits and hyphens)", vocabulary.MAX_SLUG)
eid = _regex(vocabulary.EID_RE, "Akoma Ntoso eId (preamble, art_2, art_2__para_1, sec_3A)", vocabulary.MAX_EID)
work_uri = _regex(vocabulary.WORK_URI_RE, "Akoma Ntoso work URI (/akn/int/treaty/2010/name, /akn/za/act/2009/1)",
                  vocabulary.MAX_WORK_URI)
party_code = _regex(vocabulary.PARTY_CODE_RE, "party code (TUR, AZE, AZE-MOD...)", vocabulary.MAX_PARTY_CODE)

FIELD_CHECKS = {
    "slug": slug,
    "title": _required_text(MAX_LINE),
    "kind": _choice(vocabulary.KINDS),
    "summary": _text(MAX_TEXT),
    "place": _text(MAX_LINE),
    "titles": _titles,
    "work_date": _date,
    "work_uri": work_uri,
    "party": party_code,
    "role": _text(MAX_ROLE),
    "action": _choice(vocabulary.LIFECYCLE_ACTIONS),
    "date": _date,
    "eid": eid,
    "new_eid": eid,
    "parent": eid,
    "target_eid": eid,
    "text": _required_text(MAX_TEXT),
    "text_kind": _choice(vocabulary.TEXT_KINDS),
    "number": _text(vocabulary.MAX_NUMBER),
    "heading": _text(MAX_LINE),
    "language": _regex(vocabulary.LANGUAGE_RE, "language code (en, tr, az...)", vocabulary.MAX_LANGUAGE),
    "effective": _date,
    "by": slug,
    "relation": _choice(vocabulary.RELATIONS),
    "target": slug,
    "note": _text(MAX_TEXT),
    "source": _source,
    "locator": _text(MAX_LOCATOR),
    "quote": _text(MAX_QUOTE),
    "supports": _text(MAX_SUPPORTS),
    "citation_id": _uuid,
    "event_id": _uuid,
    "reason": _required_text(MAX_TEXT),
    "corrections": _corrections,
    "command_id": _text(200),
    "obligation": _choice(obligations.OBLIGATION_CODES),
    "modality": _choice(obligations.MODALITY_CODES),
    "conditions": _codes(obligations.CONDITION_CODES, "condition codes"),
    "parties": _party_codes,
    "towards": _party_codes,
    "adversary": _text(MAX_LINE),
    "until": _date,
    "obligation_id": _uuid,
    "uncited_reason": _text(MAX_TEXT),
    "registration_number": _line(vocabulary.MAX_REGISTRATION_NUMBER),
    "registering_body": _line(vocabulary.MAX_REGISTERING_BODY, required=False),
    "depositary": _line(vocabulary.MAX_DEPOSITARY),
    "predecessor": _regex(vocabulary.PARTY_CODE_RE, "party code (TUR, AZE, AZE-MOD...)", vocabulary.MAX_PARTY_CODE),
    "territory": _no_nul(_line(vocabulary.MAX_TERRITORY)),
    "notification": _no_nul(_line(vocabulary.MAX_NOTIFICATION)),
    "eids": _eids,
    "made_at": _choice(statements.MADE_AT),
    "objects_to": _uuid,
    "opposes_entry_into_force": _boolean,
    "statement_id": _uuid,
    "instruments": _integer(1, entry_into_force.MAX_INSTRUMENTS),
    "days_after": _integer(0, entry_into_force.MAX_DAYS),
    "later_days_after": _integer(0, entry_into_force.MAX_DAYS),
    "counts": _codes(entry_into_force.DEFAULT_COUNTS + ("succession",), "consent actions"),
    "on": _choice(entry_into_force.ON_CHOICES),
    "years": _integer(1, entry_into_force.MAX_YEARS),
    "renewal_years": _integer(1, entry_into_force.MAX_YEARS),
    "notice_months": _integer(0, 120),
}
# Where one command's field of a shared name means something else: (command, field) -> check.
COMMAND_FIELD_CHECKS = {
    ("MakeStatement", "kind"): _choice(statements.STATEMENT_KINDS),
    ("MakeStatement", "text"): _no_nul(_required_text(MAX_TEXT)),
    ("WithdrawStatement", "text"): _no_nul(_required_text(MAX_TEXT)),
}


