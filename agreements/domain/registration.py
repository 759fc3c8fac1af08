"""The rules of an agreement's registration (UNTS-style: number, date, registering body) and its depositaries,
which the Agreement aggregate calls."""

from __future__ import annotations

from .dates import parse_date
from .errors import RuleViolated
from .lookalike import comparison_key
from .vocabulary import PARTY_CODE_RE


def _definitely_before(a, b) -> bool:
    return a.upper is not None and b.lower is not None and a.upper < b.lower


def check_registered_after_signature(registrations, signatures: list[str]):
    """A registration never precedes every signature: an agreement is registered once it exists (with the
    UN Secretariat only after its entry into force, Article 102 of the Charter). Only a registration
    certainly before the earliest signature is refused; an uncertain date that may fall after it passes."""
    if not signatures:
        return
    for registered in registrations:
        date = parse_date(registered.date)
        if all(_definitely_before(date, parse_date(signed)) for signed in signatures):
            earliest = min(signatures, key=lambda signed: parse_date(signed).lower)
            raise RuleViolated(
                "registered_before_signature",
                f"A registration on {registered.date} would precede the agreement's signature on {earliest}: "
                "an agreement is registered after it is signed (with the UN Secretariat, after its entry into "
                "force). Check the date, or correct the signature's.",
                "date",
            )

def check_registration(registrations: dict, registered, exclude: str | None):
    """One registration per registering body (a League of Nations number and a UN one are two facts)."""
    for event_id, other in registrations.items():
        if event_id != exclude and comparison_key(other.registering_body) == comparison_key(registered.registering_body):
            body = other.registering_body or "an unnamed registering body"
            raise RuleViolated(
                "already_registered",
                f"This agreement is already registered with {body} as No. {other.registration_number}; "
                "correct that registration instead.",
                "registration_number",
            )

def depositary_party(depositary: str, directory) -> str | None:
    """A depositary written as a party code (USA, UN) names that party; anything else is a name."""
    if not PARTY_CODE_RE.match(depositary):
        return None
    if not directory.party_exists(depositary):
        raise RuleViolated(
            "unknown_party",
            f"There is no party with code '{depositary}'; write the depositary's name in full "
            "(for example “Government of the United States of America”) if it is not a party of the registry.",
            "depositary",
        )
    return depositary

def check_depositary(depositaries: dict, named, exclude: str | None):
    for event_id, other in depositaries.items():
        if event_id != exclude and comparison_key(other.depositary) == comparison_key(named.depositary):
            raise RuleViolated("duplicate_depositary", f"{named.depositary} is already named as depositary.",
                               "depositary")
