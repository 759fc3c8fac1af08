"""Statements participants make about an agreement: reservations, declarations, understandings, objections
and communications, with the rules a depositary applies to them.

A statement has valid time (made on `date`, withdrawn on a later date, or narrowed by a partial withdrawal
that leaves a narrower text from then on) and record time (when the registry learned it), like a clause.
`made_at` says at which step it was made: at `signature`, at `consent` (with the instrument) or `later`.

An objection answers another participant's statement (`objects_to`) and may oppose the entry into force of
the agreement between the two (`opposes_entry_into_force`: Vienna Convention on the Law of Treaties,
art. 20(4)(b)). Rules refused with a code, nothing stored:

| code | rule |
|---|---|
| `statement_for_non_party` | only a participant of the agreement makes a statement |
| `objection_needs_target` | an objection names the statement it answers (`objects_to`) |
| `objects_to_not_objection` | only an objection answers another statement |
| `unknown_statement` | `objects_to` (or the withdrawn statement) is a statement of THIS agreement |
| `statement_withdrawn` | an objection cannot answer, nor a withdrawal repeat, a withdrawn statement |
| `objection_to_own_statement` | a participant does not object to its own statement |
| `objection_to_objection` | an objection answers a reservation, declaration, understanding or communication |
| `opposes_without_objection` | only an objection may oppose the entry into force between the two |
| `withdrawn_before_made` | a withdrawal is not certainly before the statement was made |
| `duplicate_language` | a statement's text in a language is given once (other languages: `statement_id` and `language`) |

Between two parties (`in_force_between`): the agreement is in force between two participants when it is in force
for each (participation.py's `party`) unless one has an objection standing to a statement of the other that
opposes the entry into force between them (art. 20(4)(b)); withdrawing the objection, or the statement it
answers, restores the relation (art. 22), so only the statements standing on the date count (`opposed_pairs`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import parse_date
from .errors import RuleViolated

STATEMENT_KINDS = ("reservation", "declaration", "understanding", "objection", "communication")
MADE_AT = ("signature", "consent", "later")


@dataclass
class StatementState:
    statement_id: str
    party: str
    kind: str
    date: str
    languages: set = field(default_factory=set)
    withdrawn: bool = False


def _certainly_before(a: str, b: str) -> bool:
    first, second = parse_date(a), parse_date(b)
    return first.upper is not None and second.lower is not None and first.upper < second.lower


def check_statement(statements: dict, parties, cmd) -> StatementState | None:
    """Refuse a MakeStatement that breaks a rule; the existing statement when it adds a language to it."""
    if cmd.party not in parties:
        raise RuleViolated("statement_for_non_party", f"{cmd.party} is not a party to this agreement; add it first.",
                           "party")
    if cmd.statement_id:
        existing = statements.get(cmd.statement_id)
        if existing is None:
            raise RuleViolated("unknown_statement", "This agreement has no statement with that id.", "statement_id")
        if existing.party != cmd.party or existing.kind != cmd.kind:
            raise RuleViolated("unknown_statement", f"That statement is {existing.party}'s {existing.kind}: another "
                               "language of it keeps its party and kind.", "statement_id")
        if cmd.language in existing.languages:
            raise RuleViolated("duplicate_language", f"The statement already has a text in '{cmd.language}'.",
                               "language")
        return existing
    if cmd.kind == "objection" and not cmd.objects_to:
        raise RuleViolated("objection_needs_target", "Name the statement the objection answers.", "objects_to")
    if cmd.kind != "objection" and cmd.objects_to:
        raise RuleViolated("objects_to_not_objection", "Only an objection answers another statement.", "objects_to")
    if cmd.opposes_entry_into_force and cmd.kind != "objection":
        raise RuleViolated("opposes_without_objection", "Only an objection may oppose the entry into force between "
                           "the two participants.", "opposes_entry_into_force")
    if cmd.objects_to:
        target = statements.get(cmd.objects_to)
        if target is None:
            raise RuleViolated("unknown_statement", "objects_to names no statement of this agreement.", "objects_to")
        if target.withdrawn:
            raise RuleViolated("statement_withdrawn", "That statement is withdrawn: there is nothing to object to.",
                               "objects_to")
        if target.party == cmd.party:
            raise RuleViolated("objection_to_own_statement", "A participant does not object to its own statement.",
                               "objects_to")
        if target.kind == "objection":
            raise RuleViolated("objection_to_objection", "An objection answers a reservation or declaration, not "
                               "another objection.", "objects_to")
    return None


def check_withdrawal(statements: dict, cmd) -> StatementState:
    target = statements.get(cmd.statement_id)
    if target is None:
        raise RuleViolated("unknown_statement", "This agreement has no statement with that id.", "statement_id")
    if target.withdrawn:
        raise RuleViolated("statement_withdrawn", "That statement is already withdrawn.", "statement_id")
    if _certainly_before(cmd.date, target.date):
        raise RuleViolated("withdrawn_before_made", f"It cannot be withdrawn ({cmd.date}) before it was made "
                           f"({target.date}).", "date")
    return target


def apply_made(statements: dict, ev) -> None:
    """A StatementMade event into the aggregate's state: a new statement, or another language of one."""
    existing = statements.get(ev.statement_id)
    if existing is None:
        statements[ev.statement_id] = StatementState(ev.statement_id, ev.party, ev.kind, ev.date, {ev.language})
    else:
        existing.languages.add(ev.language)


def opposed_pairs(standing) -> dict[str, set[str]]:
    """Participant -> the participants with which an objection opposes entry into force (either way), from the
    statements standing on a date (objects with `statement_id`, `party`, `kind`, `objects_to`,
    `opposes_entry_into_force`): an objection counts while it and the statement it answers both stand."""
    by_id = {s.statement_id: s for s in standing}
    opposed: dict[str, set[str]] = {}
    for s in standing:
        target = by_id.get(s.objects_to) if s.objects_to else None
        if s.kind == "objection" and s.opposes_entry_into_force and target is not None and target.party != s.party:
            opposed.setdefault(s.party, set()).add(target.party)
            opposed.setdefault(target.party, set()).add(s.party)
    return opposed


def not_in_force_with(party: str, statuses: dict, opposed: dict) -> list[str]:
    """The participants, each a party, with which the agreement is not in force for `party` (itself a party)
    because an objection opposes it: `statuses` the participant statuses on the date, `opposed` opposed_pairs."""
    if statuses.get(party) != "party":
        return []
    return sorted(other for other in opposed.get(party, ()) if statuses.get(other) == "party")


def in_force_between(first: str, second: str, statuses: dict, opposed: dict) -> bool:
    """Whether the agreement is in force between two participants on a date: `statuses` their participant
    statuses on it (participation.status_on), `opposed` the opposed_pairs of the statements standing then."""
    return (first != second and statuses.get(first) == "party" and statuses.get(second) == "party"
            and second not in opposed.get(first, ()))
