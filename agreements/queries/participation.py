"""Participation: each participant's actions, statements, status and entry into force as of a moment; list
filters "in force for PARTY on DATE" and "PARTY's status is S on DATE"; a party's agreements in force.

The rule is the domain's (agreements/domain/participation.py and entry_into_force.py), applied here in Python
to one agreement's rows as known at `known_at` (a detail: the parties `agreement_at` has read, one query
each for the actions, the rule and the statements, however many participants), and applied once per
write by the projection for lists (`ParticipationPeriod` rows, read with one index range and the record-time
condition), so a detail and a filter cannot disagree.

Every participant's actions count in the derivation (a 35-instrument rule reads them all), but the edges show
a bounded number of participants at once: `PACTA_PARTICIPANTS_INLINE` (`participants_inline()`, read here
once for the API detail and the agreement page alike). `participation_at` with a `limit` builds the entries of
that slice only; the others are counted (`ParticipationView.count`) and left to their paged list (the API's
`/participants/?page=N`, the participation page). Their rows are still read (the rules need them) but nothing
else is built of them: no lifecycle entry, and their statements are `StatementRef`s without texts.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.functions import Cast

from agreements.domain import participation
from agreements.domain import statements as statement_rules
from agreements.domain.entry_into_force import EntryIntoForceRule
from agreements.projections.models import EntryIntoForceRuleRow, ParticipationPeriod, StatementVersion

from .lifecycle import (ACTION, DATE, EFFECTIVE, EVENT_ID, ID, LOWER, NOTIFICATION, PARTY, PREDECESSOR, TERRITORY,
                        lifecycle_entries, lifecycle_rows_at)
from .time import TimePoint
from .wording import rule_text


PARTICIPANTS_INLINE = 25  # participants the API detail and the agreement page show before their paged list


def participants_inline() -> int:
    """The bound, from the setting PACTA_PARTICIPANTS_INLINE (default PARTICIPANTS_INLINE)."""
    return max(1, int(getattr(settings, "PACTA_PARTICIPANTS_INLINE", PARTICIPANTS_INLINE)))


@dataclass
class ActionEntry:
    action: str
    date: str
    party: str | None
    effective: str
    predecessor: str
    territory: str
    notification: str
    event_id: str

    @property
    def kind(self) -> str:
        return participation.kind_of(self.action)

    @property
    def marker(self) -> str:
        """The depositary's marker of a consent (A, AA, a, d, c, s; a ratification has none)."""
        return participation.CONSENT_MARKERS.get(self.action, "")


@dataclass
class StatementEntry:
    statement_id: str
    party: str
    kind: str
    text: str
    language: str
    texts: dict  # language -> text, every language it is recorded in
    eids: list
    made_at: str
    date: str
    withdrawn: str  # the withdrawal that ended this version (empty while it stands)
    narrowed: bool  # this version is the narrower text a partial withdrawal left
    objects_to: str | None
    opposes_entry_into_force: bool
    objections: list = field(default_factory=list)  # StatementEntry: the objections to it, as of the same moment


# The columns of a status list, as the UN Treaty Collection groups a participant's actions (the rest are notes).
SIGNATURE_COLUMN = ("signature", "adoption")
END_COLUMN = ("suspension", "withdrawal", "denunciation", "termination", "expiry")


@dataclass
class ParticipantEntry:
    party: str
    name: str
    status: str
    actions: list[ActionEntry]
    statements: list[StatementEntry]
    in_force: dt.date | None = None  # the day the agreement entered into force for it (as currently derived)
    in_force_how: str = ""  # recorded, rule, consent, succession
    # The actions by the status list's column, grouped once when the entry is built (see `_columns`).
    signatures: list[ActionEntry] = field(default_factory=list)
    consents: list[ActionEntry] = field(default_factory=list)
    entries_into_force: list[ActionEntry] = field(default_factory=list)  # recorded ones
    ends: list[ActionEntry] = field(default_factory=list)
    others: list[ActionEntry] = field(default_factory=list)  # territorial, provisional application, renewal...
    reservations: list[StatementEntry] = field(default_factory=list)  # its statements other than objections
    objections: list[StatementEntry] = field(default_factory=list)  # its objections to others' statements
    # Parties (in force for it and for them) with which the agreement is not in force on the date: an objection
    # opposing entry into force between them stands (VCLT art. 20(4)(b); domain/statements.py).
    not_in_force_with: list[str] = field(default_factory=list)

    @property
    def signature(self) -> ActionEntry | None:
        return next((a for a in self.signatures if a.action == "signature"), None)

    @property
    def consent(self) -> ActionEntry | None:
        return self.consents[-1] if self.consents else None

    @property
    def notes(self) -> list[ActionEntry]:
        """Actions a status table prints as notes: territorial, provisional application, withdrawal..."""
        return [a for a in self.actions if a.kind not in ("signature", "consent", "entry_into_force")]


def _participant(party, name, status, actions, statements, derived) -> ParticipantEntry:
    """A participant with its actions and statements sorted into the status list's columns in one pass."""
    entry = ParticipantEntry(party=party, name=name, status=status, actions=actions, statements=statements,
                             in_force=derived.date if derived else None, in_force_how=derived.how if derived else "")
    for action in actions:
        kind = action.kind
        if action.action in SIGNATURE_COLUMN:
            entry.signatures.append(action)
        elif kind == "consent":
            entry.consents.append(action)
        elif kind == "entry_into_force":
            entry.entries_into_force.append(action)
        elif action.action in END_COLUMN:
            entry.ends.append(action)
        else:
            entry.others.append(action)
    for statement in statements:
        (entry.objections if statement.objects_to else entry.reservations).append(statement)
    return entry


@dataclass
class ParticipationView:
    participants: list[ParticipantEntry]
    rule: dict | None
    rule_text: str
    entry_into_force: dt.date | None
    entry_into_force_how: str
    expiry: dt.date | None
    expiry_how: str
    renewals: list
    count: int = 0  # the participants in all; `participants` holds `limit` of them from `offset` (or all)
    offset: int = 0
    limit: int | None = None
    # Every standing statement, shown participants' or not (StatementEntry; with `limit`, StatementRef: no texts).
    statements: list = field(default_factory=list)
    left_out: list = field(default_factory=list)  # the codes of the participants not in `participants`


def _action_entry(row) -> ActionEntry:
    return ActionEntry(row[ACTION], row[DATE], row[PARTY], row[EFFECTIVE], row[PREDECESSOR], row[TERRITORY],
                       row[NOTIFICATION], str(row[EVENT_ID]))


class StatementRef(NamedTuple):
    """A standing statement without its text: what the rules (`statement_rules.opposed_pairs`) and the edges
    (which participant's it is, what it answers) read of the statements of participants not shown."""

    statement_id: str
    party: str
    kind: str
    objects_to: str | None
    opposes_entry_into_force: bool


# The columns of a statement version, in this order; `eids` as its JSON text, parsed only for statements shown.
STATEMENT_FIELDS = ("statement_id", "party_code", "kind", "objects_to", "opposes_entry_into_force", "text",
                    "language", "eids_json", "made_at", "date", "withdrawn", "narrowed")


def statements_at(record, at: TimePoint, language: str = "", parties=None) -> tuple[list, list[StatementEntry]]:
    """The statements standing on `at.as_of` as known at `at.known_at` (one query), each once: (every one of
    them, the same as StatementEntry in the reader's language where it has it, every language's text kept,
    objections listed under the statement they answer). With `parties` (codes), the first are StatementRefs
    and the second the statements of those participants and the objections of others to them only: a page
    of a convention's participants builds no entry for the others' statements."""
    rows = (StatementVersion.objects.filter(agreement=record).filter(at.known())
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=at.as_of))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=at.as_of))
            .annotate(eids_json=Cast("eids", TextField()))
            .order_by("valid_from", "position", "id").values_list(*STATEMENT_FIELDS))
    by_id: dict[str, list] = {}
    for row in rows:
        by_id.setdefault(str(row[0]), []).append(row)
    if parties is None:
        wanted = by_id
    else:
        refs = [StatementRef(key, v[0][1], v[0][2], str(v[0][3]) if v[0][3] else None, v[0][4])
                for key, v in by_id.items()]
        own = {ref.statement_id for ref in refs if ref.party in parties}
        wanted = own | {ref.statement_id for ref in refs if ref.objects_to in own}
    entries = {}
    for statement_id, versions in by_id.items():
        if statement_id not in wanted:
            continue
        texts = {v[6]: v[5] for v in versions}
        (_id, party, kind, objects_to, opposes, text, lang, eids, made_at, date, withdrawn, narrowed) = next(
            (v for v in versions if v[6] == language), versions[0])
        entries[statement_id] = StatementEntry(
            statement_id, party, kind, text, lang, texts, _eids(eids), made_at, date, withdrawn, narrowed,
            str(objects_to) if objects_to else None, opposes)
    for entry in entries.values():
        if entry.objects_to in entries:
            entries[entry.objects_to].objections.append(entry)
    shown = list(entries.values())
    return (shown if parties is None else refs), shown


def _eids(stored: str | None) -> list:
    return json.loads(stored) if stored else []


def rule_at(record, at: TimePoint) -> dict | None:
    row = (EntryIntoForceRuleRow.objects.filter(agreement=record).filter(at.known())
           .order_by("-known_from", "-id").values_list("rule", flat=True).first())
    return row


@dataclass
class ActionsAt:
    """An agreement's actions as `agreement_at` reads them for a participation view: every action as the rules
    read it, and the entries of the facts an edge shows."""

    actions: list  # participation.Action: every action (each participant's counts in the derivation)
    facts: list  # (action, lower bound of its date) of every action: the agreement's status (domain/status.py)
    order: list[str]  # every participant: as the agreement names them, then those with actions only
    lifecycle: list  # LifecycleEntry: the facts of the agreement as a whole and of the shown participants
    rows: list  # every fact's row (lifecycle.FACT_FIELDS)
    rule: dict | None = None  # the entry-into-force rule's fields as known then


def _order(party_codes, action_parties) -> list[str]:
    return list(dict.fromkeys([*party_codes, *(party for party in action_parties if party)]))


def actions_at(record, at: TimePoint, party_codes, limit: int | None = None, offset: int = 0) -> ActionsAt:
    """The actions known at `at.known_at` (one query) and the entry-into-force rule (one): every action as the
    rules read it, and with `limit` the entries of the agreement as a whole's facts and of the participants
    `offset` to `offset + limit` only. (Leaving unread the rows no rule reads of the participants not shown,
    their territorial and provisional applications, cost more in building the condition than it saved.)"""
    rows = lifecycle_rows_at(record, at)
    order = _order(party_codes, (r[PARTY] for r in rows))
    shown = None if limit is None else set(order[offset:offset + limit])
    lifecycle = lifecycle_entries(rows if shown is None else [r for r in rows if not r[PARTY] or r[PARTY] in shown])
    # FACT_FIELDS from `action` on are `action_from`'s arguments, in its order.
    return ActionsAt([participation.action_from(*row[ACTION:]) for row in rows], [(r[ACTION], r[LOWER]) for r in rows],
                     order, lifecycle, rows, rule_at(record, at))


def participation_at(record, at: TimePoint, read: ActionsAt, party_codes, names: dict,
                     language: str = "", limit: int | None = None, offset: int = 0) -> ParticipationView:
    """Every participant as of `at`: from the actions and party codes known at `at.known_at` (as `actions_at`
    read them), the statements and the rule. With `limit`, the entries of the participants `offset` to
    `offset + limit` only (in the order the agreement names them, then those with actions only), and only their
    statements and the objections of others to them read with texts (`statements` then holds StatementRefs);
    the derivation reads every action all the same."""
    rule_fields = read.rule
    rule = EntryIntoForceRule.from_fields(rule_fields)
    order = read.order
    shown = order[offset:] if limit is None else order[offset:offset + limit]
    wanted = set(shown)
    everything, statements = statements_at(record, at, language, None if limit is None else wanted)
    opposed = statement_rules.opposed_pairs(everything)
    # The statuses asked: of the participants shown, and of those an objection may keep out of force with them.
    asked = None if limit is None else wanted.union(*(opposed.get(party, ()) for party in shown))
    derivation, statuses = participation.statuses_on(read.actions, rule, list(party_codes), at.as_of, only=asked)
    by_party: dict[str, list] = {}
    for statement in statements:
        if statement.party in wanted:
            by_party.setdefault(statement.party, []).append(statement)
    rows_by_party: dict[str, list] = {}
    for row in sorted((r for r in read.rows if r[PARTY] in wanted), key=lambda r: (r[LOWER] or dt.date.max, r[ID])):
        rows_by_party.setdefault(row[PARTY], []).append(_action_entry(row))
    participants = [
        _participant(party, names.get(party, party), statuses.get(party, participation.NONE),
                     rows_by_party.get(party, []), by_party.get(party, []), derivation.parties.get(party))
        for party in shown]
    if opposed:
        for entry in participants:
            entry.not_in_force_with = statement_rules.not_in_force_with(entry.party, statuses, opposed)
    d = derivation
    return ParticipationView(
        participants=participants, rule=rule_fields, rule_text=rule_text(rule),
        entry_into_force=d.agreement.date if d.agreement else None, entry_into_force_how=d.agreement.how if d.agreement else "",
        expiry=d.expiry.date if d.expiry else None, expiry_how=d.expiry.how if d.expiry else "",
        renewals=list(d.renewals), count=len(order), offset=offset, limit=limit, statements=everything,
        left_out=[party for party in order if party not in wanted])


# ---------------------------------------------------------------------------------------------- rows
# One builder of a participant's fields, read by the API detail, the downloads (JSON, CSV, Parquet) and the
# admin; the public page presents the same entries (browser/views/participation.py) in the reader's language.


def action_fields(action: ActionEntry) -> dict:
    return {"action": action.action, "kind": action.kind, "marker": action.marker, "date": action.date,
            "effective": action.effective, "predecessor": action.predecessor, "territory": action.territory,
            "notification": action.notification, "event_id": action.event_id}


def statement_fields(statement: StatementEntry) -> dict:
    return {"statement_id": statement.statement_id, "party": statement.party, "kind": statement.kind,
            "text": statement.text, "language": statement.language, "texts": dict(statement.texts),
            "eids": list(statement.eids), "made_at": statement.made_at, "date": statement.date,
            "narrowed": statement.narrowed, "objects_to": statement.objects_to,
            "opposes_entry_into_force": statement.opposes_entry_into_force,
            "objected_by": [o.statement_id for o in statement.objections]}


def participant_fields(entry: ParticipantEntry) -> dict:
    return {"party": entry.party, "name": entry.name, "status": entry.status,
            "in_force": entry.in_force.isoformat() if entry.in_force else None, "in_force_how": entry.in_force_how,
            "not_in_force_with": list(entry.not_in_force_with),
            "actions": [action_fields(a) for a in entry.actions],
            "statements": [statement_fields(s) for s in entry.statements]}


def action_rows(slug: str, view: ParticipationView) -> list[dict]:
    """One row per participant's action, with the participant's status and entry into force (downloads)."""
    return [{"agreement": slug, "party": p.party, "party_name": p.name, **action_fields(a), "status": p.status,
             "in_force": p.in_force, "in_force_how": p.in_force_how}
            for p in view.participants for a in p.actions]


def statement_rows(slug: str, view: ParticipationView) -> list[dict]:
    """One row per statement and language it is recorded in (the shown language first): every translation."""
    rows = []
    for p in view.participants:
        for s in p.statements:
            base = {"agreement": slug, "statement_id": s.statement_id, "party": s.party, "kind": s.kind,
                    "eids": list(s.eids), "made_at": s.made_at, "date": s.date, "narrowed": s.narrowed,
                    "objects_to": s.objects_to or "", "opposes_entry_into_force": s.opposes_entry_into_force}
            for language in sorted(s.texts, key=lambda code: (code != s.language, code)):
                rows.append({**base, "language": language, "text": s.texts[language]})
    return rows


# ---------------------------------------------------------------------------------------------- lists


def _periods(party: str | None, status: str, on: dt.date, known_at: dt.datetime | None):
    periods = ParticipationPeriod.objects.filter(agreement=OuterRef("pk"), status=status, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on))
    if party:
        periods = periods.filter(party_code=party)
    if known_at is None:
        return periods.filter(known_to__isnull=True)
    return periods.filter(TimePoint(on, known_at).known())


def with_party_status(qs, status: str, on: dt.date, party: str | None = None, known_at: dt.datetime | None = None):
    """The agreements of `qs` in which `party` (any participant when None) has `status` on `on`, as known at
    `known_at` (default: now)."""
    return qs.filter(Exists(_periods(party, status, on, known_at)))


def in_force_for(qs, party: str, on: dt.date, known_at: dt.datetime | None = None):
    """The agreements of `qs` in force for `party` on `on`: it is a party (bound, and in force for it)."""
    return with_party_status(qs, "party", on, party, known_at)


def agreements_in_force_for(party: str, at: TimePoint, include_unpublished: bool = False):
    """The agreements in force for `party` on `at.as_of`, as known at `at.known_at`, by earliest date (one query)."""
    from .visibility import visible_agreements

    return list(in_force_for(visible_agreements(include_unpublished), party, at.as_of, at.known_at)
                .order_by("earliest_date", "slug"))


# ---------------------------------------------------------------------------------------------- names


def codes_for_names(names) -> dict[str, list[str]]:
    """Each name as a status table prints it -> the registry's party codes it names: a code written as is,
    else the parties one of whose names (any language, any time) folds to exactly the same words, else those
    whose names hold every word of it; several codes: the name is ambiguous. One read of the reference data."""
    from agreements.domain.folding import fold
    from sources.models import Party

    written: dict[str, set[str]] = {}
    for code, name, other in Party.objects.values_list("code", "name", "names__name"):
        written.setdefault(code, {code}).update(n for n in (name, other) if n)
    folded = {code: {fold(n) for n in names_} for code, names_ in written.items()}
    out = {}
    for name in names:
        key = fold(name)
        if name in written:
            out[name] = [name]
        elif not key:
            out[name] = []
        else:
            exact = sorted(code for code, keys in folded.items() if key in keys)
            out[name] = exact or sorted(code for code, keys in folded.items()
                                        if all(f" {word}" in " ".join(keys) for word in key.split()))
    return out
