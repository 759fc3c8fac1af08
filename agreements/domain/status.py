"""An agreement's status on a date, derived from its lifecycle facts: the one rule, written once.

A fact counts from the earliest day it may have happened (the lower bound of its EDTF date), whichever
party it concerns. The first row whose condition holds on the date gives the status:

| status | when, on the date |
|---|---|
| `terminated` | a termination has happened |
| `superseded` | another agreement supersedes it (a current `supersedes` relation; relations carry no date) |
| `suspended` | a suspension has happened |
| `in_force` | an entry into force, or an accession, has happened |
| `signed` | a signature, an adoption (of a text by an organ, e.g. a General Assembly resolution), a ratification or an approval has happened |
| `no_dated_fact` | none of the above (an agreement with no dated lifecycle fact; once called "draft", renamed so it is never mistaken for a draft awaiting publication) |

Accession is not a signature: a state accedes to an instrument that others have concluded and that is
open to it (Vienna Convention on the Law of Treaties, arts. 15 and 24), so an agreement whose only fact is
an accession (NATO's Partnership for Peace, joined by Azerbaijan in 1994) is in force, not signed.
Withdrawal and denunciation concern one party: they show in that party's lifecycle and leave the
agreement's status alone (its end, if it ends, is a termination).

`STATUS_RULES` is the table as data. `status_on` applies it in Python; `agreements.queries.status` turns
the same rows into one SQL expression for lists and filters, so every page, list, CSV and filter agrees.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

SUPERSEDED = "superseded"

# (status, lifecycle actions that give it; SUPERSEDED: the relation instead of an action), by precedence.
STATUS_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("terminated", ("termination",)),
    ("superseded", ()),
    ("suspended", ("suspension",)),
    ("in_force", ("entry_into_force", "accession")),
    ("signed", ("signature", "adoption", "ratification", "approval")),
)
DEFAULT_STATUS = "no_dated_fact"
# Every action that gives a dated status: an agreement none of whose facts of these has happened has none
# (unless superseded). The projection keeps their earliest lower bound on the agreement (`status_from`).
DATED_ACTIONS: tuple[str, ...] = tuple(action for _, actions in STATUS_RULES for action in actions)


def status_on(facts: Iterable[tuple[str, dt.date | None]], on: dt.date, superseded: bool = False) -> str:
    """`facts` are (action, lower bound of its date); `superseded`: another agreement supersedes this one."""
    happened = {action for action, lower in facts if lower is not None and lower <= on}
    for status, actions in STATUS_RULES:
        if (superseded if status == SUPERSEDED else happened.intersection(actions)):
            return status
    return DEFAULT_STATUS
