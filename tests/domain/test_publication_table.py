"""Publication follows its table (domain/publication.py): each command moves the agreement from the states its
row names to the state it names, is refused with its row's code from any other, and only reviewers give the
commands whose row says so."""

import pytest

from agreements.domain import publication
from agreements.domain.commands import parse_command
from agreements.domain.vocabulary import DRAFT, IN_REVIEW, PUBLICATION_STATES, PUBLISHED

from .test_aggregate import agreement, refused, run  # noqa: F401  (the fixture and helpers)

# How to bring the fixture's draft into each publication state.
REACH = {DRAFT: [], IN_REVIEW: ["SubmitForReview"], PUBLISHED: ["SubmitForReview", "Publish"]}
FIELDS = {"Publish": {"uncited_reason": "sources to follow"}, "ReturnToDraft": {"note": "cite art_2"}}


def _in_state(agreement, state):
    for command in REACH[state]:
        run(agreement, command, **FIELDS.get(command, {}))
    assert agreement.state.publication == state
    return agreement


@pytest.mark.parametrize("transition", publication.TRANSITIONS, ids=lambda t: t.command)
@pytest.mark.parametrize("state", PUBLICATION_STATES)
def test_each_transition_moves_from_its_sources_to_its_target_and_is_refused_elsewhere(agreement, transition, state):
    _in_state(agreement, state)
    if state in transition.sources:
        [event] = run(agreement, transition.command, **FIELDS.get(transition.command, {}))
        assert event.type == transition.event and agreement.state.publication == transition.target
    else:
        assert refused(agreement, transition.command, **FIELDS.get(transition.command, {})).rule == transition.refusal


def test_a_refusal_names_the_state_in_words(agreement):
    _in_state(agreement, IN_REVIEW)
    assert refused(agreement, "SubmitForReview").message == "Only a draft can be submitted; this one is in review."


@pytest.mark.parametrize("transition", publication.TRANSITIONS, ids=lambda t: t.command)
def test_only_the_commands_the_table_gives_to_reviewers_need_a_reviewer(transition):
    command = parse_command(transition.command, FIELDS.get(transition.command, {}))
    assert command.needs_reviewer == (transition.who == publication.REVIEWER)


def test_no_other_command_needs_a_reviewer():
    assert not parse_command("AddParty", {"party": "TUR"}).needs_reviewer
