"""The rules are picked from tables (agreements/domain/rules): every command and event has exactly one handler,
and each correctable event declares its correctable fields once, fields its event really has."""

import dataclasses

import pytest

from agreements.domain import commands, events, rules

from .test_aggregate import agreement, run  # noqa: F401  (the fixture and helpers)


def test_no_command_or_event_is_claimed_by_two_subjects():
    for table in ("DECIDE", "APPLY", "CORRECT"):
        claimed = [kind for subject in rules.SUBJECTS for kind in getattr(subject, table)]
        assert len(claimed) == len(set(claimed)), table


def test_every_subject_decides_only_commands_and_applies_only_events():
    for subject in rules.SUBJECTS:
        assert all(issubclass(kind, commands.Command) for kind in subject.DECIDE), subject.__name__
        assert all(issubclass(kind, events.DomainEvent) for kind in subject.APPLY), subject.__name__


@pytest.mark.parametrize("kind", list(rules.CORRECT), ids=lambda kind: kind.__name__)
def test_a_correctable_field_is_a_field_of_its_event(kind):
    names = {field.name for field in dataclasses.fields(kind)}
    assert set(rules.CORRECT[kind].fields) <= names


def test_the_correction_form_offers_what_the_rules_declare():
    assert rules.CORRECTABLE_FIELDS["LifecycleRecorded"] == rules.CORRECT[events.LifecycleRecorded].fields
    assert "EventCorrected" not in rules.CORRECTABLE_FIELDS and "PartyAdded" not in rules.CORRECTABLE_FIELDS


def _event_id(agreement, event):
    return next(event_id for event_id, known in agreement.state.events.items() if known is event)


def test_a_reference_whose_target_clause_is_corrected_is_removed_by_its_corrected_target(agreement):
    [added] = run(agreement, "AddReference", eid="art_1", target="un-charter-1945", target_eid="art_5")
    run(agreement, "CorrectEvent", event_id=_event_id(agreement, added), reason="Article 51, not 5",
        corrections={"target_eid": "art_51"})
    [removed] = run(agreement, "RemoveReference", eid="art_1", target="un-charter-1945", target_eid="art_51")
    assert removed.target_eid == "art_51" and not agreement.state.references
