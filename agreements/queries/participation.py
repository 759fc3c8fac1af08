"""Participation: each participant's actions, statements, status and entry into force as of a moment; list
filters "in force for PARTY on DATE" and "PARTY's status is S on DATE"; a party's agreements in force.

The rule is the domain's (agreements/domain/participation.py and entry_into_force.py), applied here in Python
to one agreement's rows as known at `known_at` (a detail: the actions and parties `agreement_at` has read,
plus one query for the statements and one for the rule, however many participants), and applied once per
write by the projection for lists (`ParticipationPeriod` rows, read with one index range and the record-time
condition), so a detail and a filter cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from agreements.domain import participation as pa
from agreements.domain.entry_into_force import EntryIntoForceRule
from agreements.projections.models import EntryIntoForceRuleRow, ParticipationPeriod, StatementVersion

from .time import TimePoint
from .wording import rule_text


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
        return pa.kind_of(self.action)

    @property
    def marker(self) -> str:
        """The depositary's marker of a consent (A, AA, a, d, c, s; a ratification has none)."""
        return pa.CONSENT_MARKERS.get(self.action, "")


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


@dataclass
class ParticipantEntry:
    party: str
    name: str
    status: str
    actions: list[ActionEntry]
    statements: list[StatementEntry]
    in_force: dt.date | None = None  # the day the agreement entered into force for it (as currently derived)
    in_force_how: str = ""  # recorded, rule, consent, succession

    @property
    def signature(self) -> ActionEntry | None:
        return next((a for a in self.actions if a.action == "signature"), None)

    @property
    def consent(self) -> ActionEntry | None:
        return next((a for a in reversed(self.actions) if a.kind == "consent"), None)

    @property
    def notes(self) -> list[ActionEntry]:
        """Actions a status table prints as notes: territorial, provisional application, withdrawal..."""
        return [a for a in self.actions if a.kind not in ("signature", "consent", "entry_into_force")]


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


def _action_entry(row) -> ActionEntry:
    return ActionEntry(row.action, row.date, row.party_code, row.effective, row.predecessor, row.territory,
                       row.notification, str(row.event_id))


def statements_at(record, at: TimePoint, language: str = "") -> list[StatementEntry]:
    """The statements standing on `at.as_of` as known at `at.known_at` (one query), each once, in the reader's
    language where it has it; objections listed under the statement they answer."""
    rows = (StatementVersion.objects.filter(agreement=record).filter(at.known())
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=at.as_of))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=at.as_of))
            .order_by("valid_from", "position", "id"))
    by_id: dict[str, list] = {}
    for row in rows:
        by_id.setdefault(str(row.statement_id), []).append(row)
    entries = {}
    for statement_id, versions in by_id.items():
        texts = {v.language: v.text for v in versions}
        shown = next((v for v in versions if v.language == language), versions[0])
        entries[statement_id] = StatementEntry(
            statement_id, shown.party_code, shown.kind, shown.text, shown.language, texts, list(shown.eids),
            shown.made_at, shown.date, shown.withdrawn, shown.narrowed,
            str(shown.objects_to) if shown.objects_to else None, shown.opposes_entry_into_force)
    for entry in entries.values():
        if entry.objects_to in entries:
            entries[entry.objects_to].objections.append(entry)
    return list(entries.values())


def rule_at(record, at: TimePoint) -> dict | None:
    row = (EntryIntoForceRuleRow.objects.filter(agreement=record).filter(at.known())
           .order_by("-known_from", "-id").values_list("rule", flat=True).first())
    return row


def participation_at(record, at: TimePoint, lifecycle_rows, party_codes, names: dict,
                     language: str = "") -> ParticipationView:
    """Every participant as of `at`: from the lifecycle rows and party codes known at `at.known_at` (as
    `agreement_at` read them), the statements and the rule (two queries)."""
    rule_fields = rule_at(record, at)
    rule = EntryIntoForceRule.from_fields(rule_fields)
    actions = [pa.action_of(row, str(row.event_id)) for row in lifecycle_rows]
    result = pa.participation(actions, rule, list(party_codes))
    statements = statements_at(record, at, language)
    by_party: dict[str, list] = {}
    for statement in statements:
        by_party.setdefault(statement.party, []).append(statement)
    rows_by_party: dict[str, list] = {}
    for row in sorted(lifecycle_rows, key=lambda r: (r.date_lower or dt.date.max, r.id)):
        if row.party_code:
            rows_by_party.setdefault(row.party_code, []).append(_action_entry(row))
    periods: dict[str, list] = {}
    for period in result.periods:
        periods.setdefault(period.party, []).append(period)
    participants = []
    for party in dict.fromkeys([*party_codes, *rows_by_party]):
        derived = result.derivation.parties.get(party)
        participants.append(ParticipantEntry(
            party=party, name=names.get(party, party), status=pa.status_on(periods.get(party, []), party, at.as_of),
            actions=rows_by_party.get(party, []), statements=by_party.get(party, []),
            in_force=derived.date if derived else None, in_force_how=derived.how if derived else ""))
    d = result.derivation
    return ParticipationView(
        participants=participants, rule=rule_fields, rule_text=rule_text(rule),
        entry_into_force=d.agreement.date if d.agreement else None, entry_into_force_how=d.agreement.how if d.agreement else "",
        expiry=d.expiry.date if d.expiry else None, expiry_how=d.expiry.how if d.expiry else "",
        renewals=list(d.renewals))


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
