"""Review and publication: the transitions of `publication.TRANSITIONS`, and the one rule they add, that
facts citing no source are published only with a reason, which the `Published` event records.

`uncited_facts` lists those facts: the agreement itself, each party, lifecycle fact, live clause (once, in
whatever languages it has), obligation, statement, registration and depositary that no attached citation
supports. A citation of an event supports the fact that event states.
"""

from __future__ import annotations

from .. import commands, events, publication
from ..errors import RuleViolated
from ..vocabulary import DEPOSITARY_SUBJECT, REGISTRATION_SUBJECT, lifecycle_subject, statement_subject

# The fact a citation of an event supports, by the event's type.
EVENT_SUBJECT = {
    events.LifecycleRecorded: lambda event: lifecycle_subject(event.action, event.party),
    events.RegistrationRecorded: lambda event: REGISTRATION_SUBJECT,
    events.StatementMade: lambda event: statement_subject(event.statement_id),
    events.DepositaryNamed: lambda event: DEPOSITARY_SUBJECT,
}


def uncited_facts(state) -> list[str]:
    supported = set(state.citations.values())
    for subject in list(supported):
        event = state.events.get(subject.removeprefix("event:"))
        if type(event) in EVENT_SUBJECT:
            supported.add(EVENT_SUBJECT[type(event)](event))
    facts = []
    if not supported & {"", "title"}:
        facts.append("the agreement")
    facts += [f"party:{code}" for code in state.parties if f"party:{code}" not in supported]
    for _, action, party, _ in state.lifecycle:
        subject = lifecycle_subject(action, party)
        if subject not in supported:
            facts.append(subject)
    # A clause in several authentic languages is one fact (citations name its eId).
    facts += list(dict.fromkeys(
        clause.eid for clause in state.clauses.values() if not clause.repealed and clause.eid not in supported))
    facts += [f"obligation:{oid}" for oid in state.obligations if f"obligation:{oid}" not in supported]
    facts += [subject for subject in map(statement_subject, state.statements) if subject not in supported]
    facts += [subject for subject, known in ((REGISTRATION_SUBJECT, state.registrations),
                                             (DEPOSITARY_SUBJECT, state.depositaries))
              if known and subject not in supported]
    return facts


def submit_for_review(state, cmd: commands.SubmitForReview, directory):
    publication.transition_for(cmd.type, state.publication)
    return [events.SubmittedForReview(note=cmd.note)]


def publish(state, cmd: commands.Publish, directory):
    publication.transition_for(cmd.type, state.publication)
    uncited = uncited_facts(state)
    if uncited and not cmd.uncited_reason.strip():
        shown = ", ".join(uncited[:5]) + (", ..." if len(uncited) > 5 else "")
        many = len(uncited) != 1
        raise RuleViolated(
            "uncited_facts",
            f"{len(uncited)} fact{'s' if many else ''} cite{'' if many else 's'} no source ({shown}); cite them, or "
            "give a reason to publish anyway.",
            "uncited_reason",
        )
    return [events.Published(note=cmd.note, uncited_facts=len(uncited),
                             uncited_reason=cmd.uncited_reason.strip() if uncited else "")]


def return_to_draft(state, cmd: commands.ReturnToDraft, directory):
    publication.transition_for(cmd.type, state.publication)
    if not cmd.note.strip():
        raise RuleViolated("comment_required", "Say what the archivist should change.", "note")
    return [events.ReturnedToDraft(note=cmd.note.strip())]


def unpublish(state, cmd: commands.Unpublish, directory):
    publication.transition_for(cmd.type, state.publication)
    return [events.Unpublished(note=cmd.note)]


def moved(state, event, event_id):
    state.publication = publication.state_after(event.type)


DECIDE = {
    commands.SubmitForReview: submit_for_review,
    commands.Publish: publish,
    commands.ReturnToDraft: return_to_draft,
    commands.Unpublish: unpublish,
}
APPLY = {
    events.SubmittedForReview: moved,
    events.Published: moved,
    events.ReturnedToDraft: moved,
    events.Unpublished: moved,
}
CORRECT: dict = {}
