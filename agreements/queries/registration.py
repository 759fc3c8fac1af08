"""An agreement's registration (number, date, registering body) and its depositaries, as of a moment.

A registration is a dated fact: as of a date before it, the agreement was not registered yet, so it is left
out (valid time); both are read as the registry knew them at `known_at` (record time), corrections included.
A depositary carries no date of its own: it is shown whenever the registry knew it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from agreements.projections.models import Depositary, Registration

from .time import TimePoint


@dataclass
class RegistrationEntry:
    registration_number: str
    date: str  # EDTF
    registering_body: str
    event_id: str


@dataclass
class DepositaryEntry:
    depositary: str  # the name, or the party's code
    party: str | None  # the party's code when the depositary is a party of the registry
    event_id: str
    name: str = ""  # the party's name, when it is one


def registrations_at(record, at: TimePoint) -> list[RegistrationEntry]:
    """The registrations made by `at.as_of` (an open start counts as made), as known at `at.known_at`."""
    rows = (
        Registration.objects.filter(agreement=record).filter(at.known())
        .filter(Q(date_lower__isnull=True) | Q(date_lower__lte=at.as_of))
        .order_by("date_lower", "id")
    )
    return [RegistrationEntry(r.registration_number, r.date, r.registering_body, str(r.event_id)) for r in rows]


def depositaries_at(record, at: TimePoint) -> list[DepositaryEntry]:
    """The depositaries as known at `at.known_at`, in the order they were named (names of parties: see
    `with_party_names`)."""
    rows = Depositary.objects.filter(agreement=record).filter(at.known()).order_by("known_from", "id")
    return [DepositaryEntry(r.depositary, r.party_code, str(r.event_id)) for r in rows]


def with_party_names(depositaries: list[DepositaryEntry], names: dict) -> list[DepositaryEntry]:
    for entry in depositaries:
        if entry.party:
            entry.name = names.get(entry.party, "")
    return depositaries
