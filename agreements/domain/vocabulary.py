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
)

STATUSES = ("draft", "signed", "in_force", "suspended", "terminated", "superseded")

PUBLICATION_STATES = ("draft", "in_review", "published")

LIFECYCLE_ACTIONS = (
    "signature",
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
# Akoma Ntoso eIds: components like art_2, para_1, preamble, joined by "__".
EID_RE = re.compile(r"^[a-z]+(?:_[a-z0-9]+)?(?:__[a-z]+(?:_[a-z0-9]+)?)*$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

# Agreement fields a citation may support by name.
CITABLE_FIELDS = ("title", "kind", "summary", "place", "titles", "work_date", "status")


def label(code: str) -> str:
    """A vocabulary value as people read it: `in_review` -> "In review", `organisation_founding` ->
    "Organisation founding"."""
    return (code or "").replace("_", " ").capitalize()


def choices(codes) -> list[tuple[str, str]]:
    """(value, label) pairs for a form's select."""
    return [(code, label(code)) for code in codes]
