"""Publication: who moves an agreement between draft, in review and published, written once as a table.

| command | records | from | to | who may | refused with |
|---|---|---|---|---|---|
| `SubmitForReview` | `SubmittedForReview` | draft | in review | an archivist (anyone who edits) | `not_a_draft` |
| `Publish` | `Published` | draft, in review | published | a reviewer | `already_published` |
| `ReturnToDraft` | `ReturnedToDraft` | in review | draft | a reviewer, with a comment | `not_in_review` |
| `Unpublish` | `Unpublished` | in review, published | draft | a reviewer | `not_published` |

A reviewer may publish a draft directly (the review is theirs to skip); an archivist never publishes.
Publishing facts that cite no source needs a reason (`rules.publishing`), and a published agreement stays
editable, every edit public at once. `TRANSITIONS` is the table as data; `transition_for` and
`state_after` apply exactly that, and commands ask `needs_reviewer` of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import RuleViolated
from .vocabulary import DRAFT, IN_REVIEW, PUBLISHED

ARCHIVIST, REVIEWER = "archivist", "reviewer"


@dataclass(frozen=True)
class Transition:
    command: str
    event: str
    sources: tuple[str, ...]
    target: str
    who: str
    refusal: str
    message: str  # {state}: the agreement's publication state, in words


TRANSITIONS: tuple[Transition, ...] = (
    Transition("SubmitForReview", "SubmittedForReview", (DRAFT,), IN_REVIEW, ARCHIVIST,
               "not_a_draft", "Only a draft can be submitted; this one is {state}."),
    Transition("Publish", "Published", (DRAFT, IN_REVIEW), PUBLISHED, REVIEWER,
               "already_published", "This agreement is already published."),
    Transition("ReturnToDraft", "ReturnedToDraft", (IN_REVIEW,), DRAFT, REVIEWER,
               "not_in_review", "Only an agreement in review can be returned; this one is {state}."),
    Transition("Unpublish", "Unpublished", (IN_REVIEW, PUBLISHED), DRAFT, REVIEWER,
               "not_published", "This agreement is not published."),
)
BY_COMMAND = {transition.command: transition for transition in TRANSITIONS}
BY_EVENT = {transition.event: transition for transition in TRANSITIONS}


def needs_reviewer(command_type: str) -> bool:
    transition = BY_COMMAND.get(command_type)
    return transition is not None and transition.who == REVIEWER


def transition_for(command_type: str, state: str) -> Transition:
    """The transition the command asks for, if the agreement's publication state allows it."""
    transition = BY_COMMAND[command_type]
    if state not in transition.sources:
        raise RuleViolated(transition.refusal, transition.message.format(state=state.replace("_", " ")))
    return transition


def state_after(event_type: str) -> str:
    return BY_EVENT[event_type].target
