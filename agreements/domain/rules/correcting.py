"""Corrections: how a recorded fact is put right without rewriting the log.

A `CorrectEvent` command names an event of the agreement and the fields to put right; the `EventCorrected`
event it records keeps the original untouched and says what it should have said. Which events may be
corrected, which fields, which rules the corrected fact must pass again and how the agreement's state
follows, is declared once per event, next to that event's handler in its subject's module, as a
`Correction`; this module holds only the mechanics every correction shares. Making one more field
correctable is one word in one declaration.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable

from .. import events
from ..errors import InvalidCommand, RuleViolated
from ..fields import FIELD_CHECKS


@dataclass(frozen=True)
class Correction:
    """What a correction of one event type may change, and what follows from it.

    `check(state, fixed, original, event_id, directory)` re-runs the rules the event's command passed, on the
    corrected event, and may return fields the correction derives (a depositary's party); `apply(state,
    fixed, original, event_id, corrections)` brings the agreement's state in line; `parse` overrides a field's check.
    """

    fields: tuple[str, ...]
    check: Callable | None = None
    apply: Callable | None = None
    parse: dict = field(default_factory=dict)


def decider(corrections: dict):
    """The `CorrectEvent` rule over the table of every subject's `Correction`s (by event class)."""

    def correct_event(state, cmd, directory):
        original = state.events.get(cmd.event_id)
        if original is None:
            raise RuleViolated("unknown_event", "This agreement has no event with that id.", "event_id")
        correction = corrections.get(type(original))
        allowed = correction.fields if correction else ()
        bad = [name for name in cmd.corrections if name not in allowed]
        if bad:
            raise RuleViolated(
                "field_not_correctable",
                f"{original.type} cannot have {', '.join(sorted(bad))} corrected"
                + (f"; correctable: {', '.join(allowed)}." if allowed else "; issue a new command instead."),
                "corrections",
            )
        checked = {}
        for name, value in cmd.corrections.items():
            try:
                checked[name] = (correction.parse.get(name) or _checked_field(original, name))(value)
            except ValueError as exc:
                raise InvalidCommand({f"corrections.{name}": [str(exc)]}) from None
        if correction.check is not None:
            derived = correction.check(state, events.corrected(original, checked), original, cmd.event_id, directory)
            checked.update(derived or {})
        return [events.EventCorrected(event_id=cmd.event_id, corrected_type=original.type, reason=cmd.reason,
                                      corrections=checked)]

    return correct_event


def applier(corrections: dict):
    """The `EventCorrected` effect: the corrected event replaces the original in the state, then its own effect."""

    def event_corrected(state, event, event_id):
        original = state.events.get(event.event_id)
        if original is None:
            return
        fixed = events.corrected(original, event.corrections)
        state.events[event.event_id] = fixed
        correction = corrections.get(type(original))
        if correction is not None and correction.apply is not None:
            correction.apply(state, fixed, original, event.event_id, event.corrections)

    return event_corrected


def _checked_field(original: events.DomainEvent, name: str):
    """A corrected field passes the check its command field passes; blank only where the event allows it.

    A field without a default (a title, a clause's text) can never be blanked; one whose default is None
    or "" may be cleared to that default; one with another default (a clause's language) must be given.
    """

    def check(value):
        if value not in (None, ""):
            return FIELD_CHECKS[name](value)
        spec = next(f for f in dataclasses.fields(original) if f.name == name)
        if spec.default_factory is not dataclasses.MISSING:
            return spec.default_factory()
        default = spec.default
        if default is dataclasses.MISSING or default not in (None, ""):
            raise ValueError("This field may not be blank.")
        return default

    return check
