"""The closed vocabularies of the domain: kinds, statuses, lifecycle actions, relations, text kinds."""

import re

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

STATUSES = ("draft", "signed", "in_force", "suspended", "terminated", "superseded")

PUBLICATION_STATES = ("draft", "in_review", "published")

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
)
# Facts that consent to be bound: they all come after signature for the same party, if both are known.
CONSENT_ACTIONS = ("ratification", "approval")

RELATIONS = ("amends", "implements", "supplements", "supersedes", "based_on", "refers_to")

TEXT_KINDS = ("official", "translation", "summary")

PARTY_KINDS = ("state", "organisation", "ministry", "company", "other")

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PARTY_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
# Akoma Ntoso eIds: components joined by "__". A component is a name and optional numbering parts, each
# after "_", "-" or ".": preamble, art_2, para_1, sec_3A, chp_II, art_1bis, sec_2.1, section-1 (older files),
# as publishers write them. EID_PATTERN is shared with the URL converters.
EID_COMPONENT = r"[A-Za-z][A-Za-z0-9]*(?:[_.\-][A-Za-z0-9]+)*"
EID_PATTERN = rf"{EID_COMPONENT}(?:__{EID_COMPONENT})*"
EID_RE = re.compile(rf"^{EID_PATTERN}$")
# An Akoma Ntoso work URI: /akn/<country>[-<subdivision>]/<doctype>[/<subtype>...]/<date>/<number>.
WORK_URI_RE = re.compile(r"^/akn/[a-z]{2,3}(?:-[a-z0-9]+)?/[a-zA-Z]+(?:/[A-Za-z0-9._~\-]+)+$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
# The longest identifiers the read models hold (their column widths).
MAX_SLUG = 200
MAX_EID = 200
MAX_PARTY_CODE = 32
MAX_LANGUAGE = 12

# Agreement fields a citation may support by name.
CITABLE_FIELDS = ("title", "kind", "summary", "place", "titles", "work_date", "status")
