"""An agreement's status on a date, derived from its lifecycle facts (plain Python)."""

from __future__ import annotations

import datetime as dt
from typing import Iterable


def status_on(facts: Iterable[tuple[str, dt.date | None]], on: dt.date, superseded: bool = False) -> str:
    """`facts` are (action, lower bound of its date). A fact counts from the earliest day it may have happened."""
    happened = {action for action, lower in facts if lower is not None and lower <= on}
    if "termination" in happened:
        return "terminated"
    if superseded:
        return "superseded"
    if "suspension" in happened:
        return "suspended"
    if "entry_into_force" in happened:
        return "in_force"
    if happened & {"signature", "adoption", "accession", "approval", "ratification"}:
        return "signed"
    return "draft"
