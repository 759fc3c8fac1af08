"""Entry into force as data: the rule a treaty's final clauses state, and the dates Pacta derives from it.

An agreement says when it enters into force, and an archivist records that rule once
(`SetEntryIntoForceRule`) instead of computing dates by hand. Three shapes cover the final clauses met in
practice:

| rule | the agreement enters into force | for a later participant |
|---|---|---|
| `instruments=N, days_after=D` | D days after the N-th counted instrument (`counts`: ratification, accession...) is deposited (Vienna Convention on the Law of Treaties, art. 84: N=35, D=30) | `later_days_after` days after its own instrument (default D) |
| `on=signature` | on the day the last participant signs (a treaty binding on signature) | on its signature |
| `on=last_notification, days_after=D` | D days after the last participant's consent (the notification that internal procedures are complete: the common bilateral clause) | D days after its own consent |

A term (`years`, optionally `renewal_years` and `notice_months`) derives the expiry: the agreement lasts
`years` from its entry into force and then renews itself for `renewal_years` at a time unless a participant
denounces it at least `notice_months` before the end of the running period; with no renewal it expires after
`years`.

A recorded fact always overrides a derivation, and every derived date says how it was obtained (`how`):
`recorded` (an `entry_into_force` fact, or the `effective` recorded on a consent), `rule` (computed by the
rule above), `consent` (no rule recorded: in force for a later participant from its own consent's date,
the agreement being in force), `succession` (a successor bound from its succession's effective date).
No rule and no recorded entry into force: no date is derived, and a participant that consented stays
`consented` (bound, not known to be in force for it).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from .errors import RuleViolated
from .wording import gettext_noop

ON_CHOICES = ("signature", "last_notification")
# The instruments counted by default: every consent to be bound except a succession (a successor takes its
# predecessor's place, it does not add an instrument).
DEFAULT_COUNTS = ("ratification", "acceptance", "approval", "accession", "definitive_signature",
                  "formal_confirmation")
MAX_INSTRUMENTS = 1000
MAX_DAYS = 3660
MAX_YEARS = 200
MAX_RENEWALS_SHOWN = 10

# The rule's sentences (EntryIntoForceRule.parts), marked for the translation catalogue.
RULE_INSTRUMENTS = gettext_noop("%(days)s after the deposit of instrument number %(instruments)s (counted: %(counts)s)")
RULE_INSTRUMENTS_SAME_DAY = gettext_noop(
    "on the day instrument number %(instruments)s is deposited (counted: %(counts)s)")
RULE_LATER = gettext_noop("for a later participant, %(later)s after its own instrument")
RULE_LATER_SAME_DAY = gettext_noop("for a later participant, on the day of its own instrument")
RULE_ON_SIGNATURE = gettext_noop("on signature by every participant")
RULE_LAST_NOTIFICATION = gettext_noop("%(days)s after the last notification of consent")
RULE_LAST_NOTIFICATION_SAME_DAY = gettext_noop("on the day of the last notification of consent")
RULE_TERM = gettext_noop("for %(years)s")
RULE_TERM_RENEWED = gettext_noop("for %(years)s, renewed for %(renewal)s at a time")
RULE_TERM_RENEWED_NOTICE = gettext_noop(
    "for %(years)s, renewed for %(renewal)s at a time unless denounced %(notice)s before a period ends")
RULE_NONE = gettext_noop("no rule")
RULE_MESSAGES = (RULE_INSTRUMENTS, RULE_INSTRUMENTS_SAME_DAY, RULE_LATER, RULE_LATER_SAME_DAY, RULE_ON_SIGNATURE,
                 RULE_LAST_NOTIFICATION, RULE_LAST_NOTIFICATION_SAME_DAY, RULE_TERM, RULE_TERM_RENEWED,
                 RULE_TERM_RENEWED_NOTICE, RULE_NONE)

RULE_FIELDS = ("instruments", "days_after", "later_days_after", "counts", "on", "years", "renewal_years",
               "notice_months")


@dataclass(frozen=True)
class EntryIntoForceRule:
    instruments: int | None = None
    days_after: int = 0
    later_days_after: int | None = None
    counts: tuple = DEFAULT_COUNTS
    on: str | None = None
    years: int | None = None
    renewal_years: int | None = None
    notice_months: int | None = None

    @classmethod
    def from_fields(cls, fields: dict | None) -> "EntryIntoForceRule | None":
        if not fields:
            return None
        given = {k: v for k, v in fields.items() if k in RULE_FIELDS and v is not None}
        if "counts" in given:
            given["counts"] = tuple(given["counts"]) or DEFAULT_COUNTS
        return cls(**given)

    def fields(self) -> dict:
        """The rule as the event stores it: only what was given."""
        out = {}
        for name in RULE_FIELDS:
            value = getattr(self, name)
            if name == "counts":
                if self.instruments is not None and tuple(value) != DEFAULT_COUNTS:
                    out[name] = list(value)
            elif name == "days_after":
                if value:
                    out[name] = value
            elif value is not None:
                out[name] = value
        return out

    def parts(self) -> list[tuple[str, dict]]:
        """The rule in words, as (message, values) pairs: each message an English sentence of the catalogue
        (RULE_MESSAGES) whose placeholders the values fill. Periods are given as numbers (`days`, `later`:
        days; `years`, `renewal`: years; `notice`: months) and `counts` as action codes, so that an edge can
        say them in the reader's language (agreements.queries.wording.rule_text); `describe` says them in
        English."""
        parts = []
        if self.instruments is not None:
            counts = {"instruments": self.instruments, "counts": tuple(self.counts)}
            if self.days_after:
                parts.append((RULE_INSTRUMENTS, {**counts, "days": self.days_after}))
            else:
                parts.append((RULE_INSTRUMENTS_SAME_DAY, counts))
            later = self.later_days_after if self.later_days_after is not None else self.days_after
            parts.append((RULE_LATER, {"later": later}) if later else (RULE_LATER_SAME_DAY, {}))
        elif self.on == "signature":
            parts.append((RULE_ON_SIGNATURE, {}))
        elif self.on == "last_notification":
            parts.append((RULE_LAST_NOTIFICATION, {"days": self.days_after}) if self.days_after
                         else (RULE_LAST_NOTIFICATION_SAME_DAY, {}))
        if self.years is not None:
            if self.renewal_years and self.notice_months:
                parts.append((RULE_TERM_RENEWED_NOTICE, {"years": self.years, "renewal": self.renewal_years,
                                                         "notice": self.notice_months}))
            elif self.renewal_years:
                parts.append((RULE_TERM_RENEWED, {"years": self.years, "renewal": self.renewal_years}))
            else:
                parts.append((RULE_TERM, {"years": self.years}))
        return parts

    def describe(self) -> str:
        """The rule in English ("30 days after the deposit of instrument number 2 (ratification); ...")."""
        english = {"days": _days, "later": _days, "years": _years, "renewal": _years, "notice": _months,
                   "counts": lambda codes: ", ".join(code.replace("_", " ") for code in codes)}
        return "; ".join(message % {name: english.get(name, str)(value) for name, value in values.items()}
                         for message, values in self.parts()) or RULE_NONE


def check_rule(rule: EntryIntoForceRule) -> None:
    """The rule's own consistency (its fields' shapes are checked by the command)."""
    if rule.instruments is not None and rule.on is not None:
        raise RuleViolated("rule_instruments_and_on",
                           "A rule counts instruments or names an event (`on`), not both.", "on")
    if rule.on == "signature" and rule.days_after:
        raise RuleViolated("rule_days_after_signature",
                           "A treaty binding on signature enters into force on the day it is signed; "
                           "give `on: last_notification` with `days_after` for a delay.", "days_after")
    if rule.later_days_after is not None and rule.instruments is None:
        raise RuleViolated("rule_later_days_without_instruments",
                           "`later_days_after` applies to a rule counting instruments.", "later_days_after")
    if (rule.renewal_years is not None or rule.notice_months is not None) and rule.years is None:
        raise RuleViolated("rule_renewal_without_term", "Give the term (`years`) that is renewed.", "years")
    if rule.instruments is None and rule.on is None and rule.years is None:
        raise RuleViolated("rule_empty", "Give `instruments`, `on`, or a term (`years`).", "instruments")


# ---------------------------------------------------------------------------------------------- derivation


@dataclass(frozen=True)
class Derived:
    """A derived date and how it was obtained (recorded, rule, consent, succession)."""

    date: dt.date
    how: str


@dataclass
class Derivation:
    agreement: Derived | None = None  # the agreement's entry into force
    parties: dict = field(default_factory=dict)  # party -> Derived: in force for it from
    expiry: Derived | None = None  # the agreement's end (termination, expiry recorded, or the term's end)
    renewals: list = field(default_factory=list)  # the dates the term renews itself (derived), the first few
    ends: dict = field(default_factory=dict)  # party -> Derived: its withdrawal takes effect (term rule applied)


def derive(actions, rule: EntryIntoForceRule | None, parties=()) -> Derivation:
    """Dates of entry into force (agreement and each participant) and of the end, from the actions
    (participation.Action, current) and the rule; `parties`: the agreement's current participants."""
    out = Derivation()
    parties = list(parties)
    own = [a for a in actions if a.done is not None]
    recorded = [a.takes_effect for a in own if a.action == "entry_into_force" and a.party is None
                and a.takes_effect is not None]
    consents = _first_consents(own)
    if recorded:
        out.agreement = Derived(min(recorded), "recorded")
        condition_met = out.agreement.date
    else:
        out.agreement, condition_met = _by_rule(own, consents, rule, parties)
    for party, consent in consents.items():
        out.parties[party] = _for_party(party, consent, own, rule, out.agreement, condition_met)
    for party in list(out.parties):
        if out.parties[party] is None:
            del out.parties[party]
    # A participant whose own entry into force is recorded is in force from then, whatever else is known.
    for a in own:
        if a.action == "entry_into_force" and a.party is not None and a.takes_effect is not None:
            current = out.parties.get(a.party)
            if current is None or current.how != "recorded" or a.takes_effect < current.date:
                out.parties[a.party] = Derived(a.takes_effect, "recorded")
    _term(out, own, rule, parties)
    return out


def _first_consents(actions) -> dict:
    """Each participant's consent that counts for its entry into force: its latest consent (a participant that
    withdrew and consented again is bound anew from the new one). The actions know their kind
    (participation.Action.kind), so this module needs no table of its own."""
    consents = {}
    for a in sorted(actions, key=lambda a: a.done):
        if a.party is not None and a.kind == "consent":
            consents[a.party] = a
    return consents


def _by_rule(actions, consents, rule, parties):
    """(the agreement's derived entry into force, the day its condition was met) or (None, None)."""
    if rule is None:
        return None, None
    if rule.instruments is not None:
        counted = sorted((a for a in actions if a.party is not None and a.action in rule.counts),
                         key=lambda a: a.done)
        if len(counted) < rule.instruments:
            return None, None
        met = counted[rule.instruments - 1].done
        return Derived(met + dt.timedelta(days=rule.days_after), "rule"), met
    if rule.on == "signature":
        signed = {}
        for a in actions:
            if a.party is not None and a.action in ("signature", "definitive_signature"):
                signed.setdefault(a.party, a.done)
                signed[a.party] = min(signed[a.party], a.done)
        needed = parties or list(signed)
        if not needed or any(p not in signed for p in needed):
            return None, None
        met = max(signed[p] for p in needed)
        return Derived(met, "rule"), met
    if rule.on == "last_notification":
        needed = parties or list(consents)
        if not needed or any(p not in consents for p in needed):
            return None, None
        met = max(consents[p].done for p in needed)
        return Derived(met + dt.timedelta(days=rule.days_after), "rule"), met
    return None, None


def _for_party(party, consent, actions, rule, agreement: Derived | None, condition_met) -> Derived | None:
    if consent.effective_date is not None:  # the depositary's date, as recorded
        return Derived(consent.effective_date, "recorded")
    if consent.action == "succession":
        return Derived(consent.takes_effect, "succession") if agreement is not None else None
    if agreement is None:
        return None
    if condition_met is not None and consent.done <= condition_met:
        return Derived(max(agreement.date, consent.done), agreement.how)
    if rule is None:  # the agreement is in force (recorded); no rule says when it binds a later participant
        return Derived(max(agreement.date, consent.done), "consent")
    if rule.instruments is not None:
        later = rule.later_days_after if rule.later_days_after is not None else rule.days_after
        return Derived(consent.done + dt.timedelta(days=later), "rule")
    if rule.on == "last_notification":
        return Derived(consent.done + dt.timedelta(days=rule.days_after), "rule")
    return Derived(max(agreement.date, consent.done), "rule")


def _term(out: Derivation, actions, rule, parties) -> None:
    """The agreement's end: a recorded termination or expiry, else the term's end (renewals unless denounced)."""
    ended = [a.takes_effect for a in actions if a.party is None and a.action in ("termination", "expiry")
             and a.takes_effect is not None]
    if ended:
        out.expiry = Derived(min(ended), "recorded")
    if rule is None or rule.years is None or out.agreement is None:
        return
    start = out.agreement.date
    first_end = add_years(start, rule.years)
    denunciations = sorted((a for a in actions if a.action in ("denunciation", "withdrawal") and a.done is not None),
                           key=lambda a: a.done)
    period_ends = [first_end]
    if rule.renewal_years:
        while len(period_ends) < 200:
            period_ends.append(add_years(first_end, rule.renewal_years * len(period_ends)))
    for a in denunciations:
        notice = add_months(a.done, rule.notice_months or 0)
        end = next((e for e in period_ends if notice <= e), None)
        if end is None:
            continue
        if a.effective_date is None:
            out.ends[a.party] = Derived(end, "rule")
        if len(parties) <= 2 and out.expiry is None:  # a bilateral agreement ends with one party's denunciation
            out.expiry = Derived(a.effective_date or end, "rule")
    if out.expiry is None and not rule.renewal_years:
        out.expiry = Derived(first_end, "rule")
    if rule.renewal_years:
        limit = out.expiry.date if out.expiry else None
        out.renewals = [e for e in period_ends if limit is None or e < limit][:MAX_RENEWALS_SHOWN]


# ---------------------------------------------------------------------------------------------- dates


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February becomes 28 February in a common year); capped at 9999."""
    year = min(day.year + years, dt.MAXYEAR)
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = min(divmod(index, 12)[0], dt.MAXYEAR), divmod(index, 12)[1] + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _years(n: int) -> str:
    return f"{n} year{'s' if n != 1 else ''}"


def _months(n: int) -> str:
    return f"{n} month{'s' if n != 1 else ''}"
