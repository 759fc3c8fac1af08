"""The closed vocabularies of the domain and its grammars, each defined once: kinds, statuses, lifecycle
actions, relations, text kinds; eIds, slugs, party codes; what a citation supports; permission names."""

import re
from dataclasses import dataclass

KINDS = (
    "treaty",
    "agreement",
    "protocol",
    "memorandum",
    "declaration",
    "pact",
    "charter",
    "exchange_of_notes",
    "organisation_founding",
    "programme",
    "unilateral_measure",
    # Documents imported from Akoma Ntoso publishers: national legislation and other documents.
    "act",
    "bill",
    "statement",
    "document",
)

# `no_dated_fact`: no dated lifecycle fact recorded (once called "draft", a word kept for the publication state).
STATUSES = ("no_dated_fact", "signed", "in_force", "suspended", "terminated", "superseded")
LEGACY_STATUSES = {"draft": "no_dated_fact"}  # filters still accept the old word

DRAFT, IN_REVIEW, PUBLISHED = "draft", "in_review", "published"
PUBLICATION_STATES = (DRAFT, IN_REVIEW, PUBLISHED)

LIFECYCLE_ACTIONS = (
    "signature",
    "adoption",  # a text adopted by an organ (a General Assembly resolution) rather than signed
    "ratification",
    "accession",
    "approval",
    "entry_into_force",
    "suspension",
    "termination",
    "withdrawal",
    "denunciation",
    # A depositary's full list (domain/participation.py gives each its kind and rules).
    "definitive_signature",
    "acceptance",
    "succession",
    "formal_confirmation",
    "provisional_application",
    "provisional_application_end",
    "territorial_application",
    "territorial_exclusion",
    "expiry",
    "renewal",
)
# Facts that consent to be bound: they all come after signature for the same party, if both are known.
CONSENT_ACTIONS = ("ratification", "approval")

RELATIONS = ("amends", "implements", "supplements", "supersedes", "based_on", "refers_to")

TEXT_KINDS = ("official", "translation", "summary")

PARTY_KINDS = ("state", "organisation", "ministry", "company", "other")

# Every grammar ends in \Z, never $: Python's $ also matches before a final newline, so "x\n" would pass as a
# slug (and be stored, then break every URL built from it). Validate with .match or .fullmatch on these.
# JSON Schema (ECMA) patterns have no \Z and their $ is the true end: ecma() gives the schema's form.
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
PARTY_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}\Z")
# Akoma Ntoso eIds: components joined by "__". A component is a name and optional numbering parts, each
# after "_", "-" or ".": preamble, art_2, para_1, sec_3A, chp_II, art_1bis, sec_2.1, section-1 (older files),
# as publishers write them. EID_PATTERN is shared with the URL converters.
EID_COMPONENT = r"[A-Za-z][A-Za-z0-9]*(?:[_.\-][A-Za-z0-9]+)*"
EID_PATTERN = rf"{EID_COMPONENT}(?:__{EID_COMPONENT})*"
EID_RE = re.compile(rf"^{EID_PATTERN}\Z")
# An Akoma Ntoso work URI: /akn/<country>[-<subdivision>]/<doctype>[/<subtype>...]/<date>/<number>.
WORK_URI_RE = re.compile(r"^/akn/[a-z]{2,3}(?:-[a-z0-9]+)?/[a-zA-Z]+(?:/[A-Za-z0-9._~\-]+)+\Z")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")

# Dates and record times as the API's query parameters take them, exactly (the OpenAPI schema declares these
# patterns and the server refuses anything else, so the two never disagree):
# - a day (RFC 3339 full-date, years 0001-9999, no impossible day: 30 February, 29 February of 2023);
# - a date parameter (as_of, in_force_on, signed_from, signed_to): a year, a year-month or a day, optionally
#   qualified as uncertain (?), approximate (~) or both (%), as EDTF writes them;
# - a record time (known_at): a day, optionally with a time to the minute, second or microsecond, and an
#   offset (Z, +hh:mm, -hh:mm; a "+" that a query string turned into a space reads as "+").
_YEAR = r"(?!0000)[0-9]{4}"
_MONTH = r"(?:0[1-9]|1[0-2])"
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_DAY = (rf"(?:{_YEAR}-(?:{_MONTH}-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
        rf"|{_LEAP_YEAR}-02-29)")
DAY_RE = re.compile(rf"^{_DAY}\Z")
DATE_PARAMETER_RE = re.compile(rf"^(?:{_DAY}|{_YEAR}(?:-{_MONTH})?)[?~%]?\Z")
RECORD_TIME_RE = re.compile(rf"^{_DAY}(?:T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{{1,6}})?)?"
                            rf"(?:Z|[+ -](?:[01][0-9]|2[0-3]):[0-5][0-9])?)?\Z")


def ecma(pattern: str) -> str:
    """A grammar's pattern as a JSON Schema (ECMA 262) pattern, whose $ already means the end of the text."""
    return pattern.replace(r"\Z", "$")


# The longest identifiers the read models hold (their column widths).
# A source is named by its key (the reference data's stable SlugField), never by a database id: ids differ
# between instances, so an event naming "10" would cite another source on a copy or a restored backup.
SOURCE_KEY_RE = re.compile(r"[-a-zA-Z0-9_]+")
MAX_SOURCE_KEY = 100


def is_database_id(value: str) -> bool:
    """A value that reads as a database id (all ASCII digits), which a key may never be."""
    return value.isascii() and value.isdigit()


MAX_SLUG = 190  # the stream id "agreement:<slug>" must fit the store's 200 characters
MAX_EID = 200
MAX_NUMBER = 50  # a clause's number as written: "12 bis", "SEC. 3 .", "XIV"
MAX_WORK_URI = 300  # the read model's column
MAX_PARTY_CODE = 32
MAX_LANGUAGE = 12
MAX_REGISTRATION_NUMBER = 100
MAX_REGISTERING_BODY = 200
MAX_DEPOSITARY = 500
MAX_TERRITORY = 200
MAX_NOTIFICATION = 100

# Agreement fields a citation may support by name.
CITABLE_FIELDS = ("title", "kind", "summary", "place", "titles", "work_date", "status")
# The agreement's registration and its depositary, as citation subjects.
REGISTRATION_SUBJECT = "registration"
DEPOSITARY_SUBJECT = "depositary"
RULE_SUBJECT = "entry_into_force_rule"


# ---------------------------------------------------------------------------------------------- citations
# What a citation supports (`supports`), as docs/seed-format.md describes it:
#   ""                                  the agreement as a whole
#   title, kind, summary... (CITABLE_FIELDS)  one of its fields
#   art_2 (an eId)                      a clause
#   party:<CODE>                        a party's participation
#   lifecycle:<action>[:<CODE>]         a lifecycle fact (of one party)
#   relation:<relation>><slug>          a relation to another agreement
#   ref:<eid>><slug>[#<eid>]            a cross-reference from a clause to another agreement (or its clause)
#   obligation:<obligation id>          a coded obligation (docs/obligations.md)
#   statement:<statement id>            a participant's reservation, declaration, objection...
#   entry_into_force_rule               the agreement's entry-into-force rule (SetEntryIntoForceRule)
#   registration                        the agreement's registration (number, date, registering body)
#   depositary                          the agreement's depositary (or depositaries)
#   event:<event id>, or the event id   one event


@dataclass(frozen=True)
class CitationSubject:
    kind: str  # agreement, field, clause, party, lifecycle, relation, reference, obligation, registration,
    #            depositary, statement, entry_into_force_rule, event, unknown
    name: str = ""  # the field, eId, party code, lifecycle action, relation, obligation id or event id
    party: str = ""  # lifecycle: the party, if any
    target: str = ""  # relation, reference: the slug of the other agreement
    target_eid: str = ""  # reference: the clause of the other agreement, if any


def parse_citation_subject(supports: str | None) -> CitationSubject:
    supports = supports or ""
    if not supports:
        return CitationSubject("agreement")
    if supports in CITABLE_FIELDS:
        return CitationSubject("field", supports)
    if supports in (REGISTRATION_SUBJECT, DEPOSITARY_SUBJECT, RULE_SUBJECT):
        return CitationSubject(supports)
    prefix, colon, rest = supports.partition(":")
    if colon and prefix == "party":
        return CitationSubject("party", rest)
    if colon and prefix == "lifecycle":
        action, _, party = rest.partition(":")
        return CitationSubject("lifecycle", action, party=party)
    if colon and prefix == "relation":
        relation, _, target = rest.partition(">")
        return CitationSubject("relation", relation, target=target)
    if colon and prefix == "ref":
        eid, _, target = rest.partition(">")
        slug, _, target_eid = target.partition("#")
        return CitationSubject("reference", eid, target=slug, target_eid=target_eid)
    if colon and prefix == "obligation":
        return CitationSubject("obligation", rest)
    if colon and prefix == "statement":
        return CitationSubject("statement", rest)
    if colon and prefix == "event":
        return CitationSubject("event", rest)
    if EID_RE.match(supports):
        return CitationSubject("clause", supports)
    if UUID_RE.match(supports):
        return CitationSubject("event", supports)
    return CitationSubject("unknown", supports)


def lifecycle_subject(action: str, party: str | None = None) -> str:
    return f"lifecycle:{action}" + (f":{party}" if party else "")


def statement_subject(statement_id: str) -> str:
    return f"statement:{statement_id}"


def relation_subject(relation: str, target: str) -> str:
    return f"relation:{relation}>{target}"


def reference_subject(eid: str, target: str, target_eid: str | None = None) -> str:
    return f"ref:{eid}>{target}" + (f"#{target_eid}" if target_eid else "")


def reference_subject_prefix(eid: str) -> str:
    """Every reference subject of one clause starts with this."""
    return f"ref:{eid}>"


UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")

# ---------------------------------------------------------------------------------------------- permissions
# The permission names (app_label.codename) the roles carry and the edges check.
PUBLISH_PERMISSION = "agreements.publish_agreement"  # reviewers: publish, unpublish
EDIT_PERMISSION = "agreements.edit_agreement"  # archivists: draft and edit through commands
VIEW_PERMISSION = "agreements.view_agreementrecord"  # staff: see unpublished agreements and findings
ADD_PARTY_PERMISSION = "sources.add_party"
ADD_SOURCE_PERMISSION = "sources.add_source"
