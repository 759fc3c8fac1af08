"""Obligation coding: CodeObligation / UncodeObligation on ATOP's scheme, decided by the Agreement aggregate."""

import pytest

from agreements.domain import obligations
from agreements.domain.commands import parse_command
from agreements.domain.errors import InvalidCommand

from .test_aggregate import _event_id, agreement, refused, run  # noqa: F401  (fixture)


def code(agreement, **fields):
    fields = {"eid": "art_2", "obligation": "defence", "modality": "permits", **fields}
    [event] = run(agreement, "CodeObligation", **fields)
    return event


def test_coding_binds_every_party_when_none_is_named(agreement):
    event = code(agreement, conditions=["attack_by_third_state"])
    assert event.type == "ObligationCoded"
    assert event.parties == ["AZE", "TUR"]
    assert event.conditions == ["attack_by_third_state"]
    assert event.clause_id == agreement.state.eids["art_2"]


def test_coding_carries_its_valid_time(agreement):
    event = code(agreement, effective="2010-08-16", until="2030")
    assert event.valid_time() == "2010-08-16"


def test_obligation_ids_are_derived_so_the_same_history_gives_the_same_ids(agreement):
    from agreements.domain.identities import obligation_identity

    event = code(agreement)
    assert event.obligation_id == obligation_identity("tr-az-strategic-partnership-2010", "art_2", 1)


@pytest.mark.parametrize("field,value", [("obligation", "alliance"), ("modality", "must"),
                                         ("conditions", ["when_it_rains"]), ("parties", ["tur"])])
def test_codes_outside_the_scheme_are_invalid(field, value):
    data = {"eid": "art_2", "obligation": "defence", "modality": "obliges", field: value}
    with pytest.raises(InvalidCommand) as err:
        parse_command("CodeObligation", data)
    assert field in err.value.errors


def test_every_code_of_the_scheme_has_a_label_and_a_definition():
    for item in (*obligations.OBLIGATION_TYPES, *obligations.MODALITIES, *obligations.CONDITIONS):
        assert item.label and item.definition
    assert obligations.label("non_aggression") == "Non-aggression"


def test_a_clause_that_does_not_exist_cannot_be_coded(agreement):
    assert refused(agreement, "CodeObligation", eid="art_9", obligation="defence", modality="obliges").rule == (
        "unknown_clause"
    )


def test_a_repealed_clause_creates_no_obligation(agreement):
    run(agreement, "RepealClause", eid="art_2", effective="2015")
    assert refused(agreement, "CodeObligation", eid="art_2", obligation="defence", modality="obliges").rule == (
        "clause_repealed"
    )


def test_only_parties_can_be_bound_or_benefit(agreement):
    assert refused(agreement, "CodeObligation", eid="art_2", obligation="defence", modality="obliges",
                   parties=["ISR"]).rule == "obligation_for_non_party"
    assert refused(agreement, "CodeObligation", eid="art_2", obligation="defence", modality="obliges",
                   towards=["ISR"]).rule == "obligation_for_non_party"


def test_a_specific_adversary_must_be_named_and_only_with_that_condition(agreement):
    base = {"eid": "art_2", "obligation": "defence", "modality": "obliges"}
    assert refused(agreement, "CodeObligation", **base, conditions=["specific_adversary"]).rule == "adversary_missing"
    assert refused(agreement, "CodeObligation", **base, adversary="Armenia").rule == "adversary_without_condition"
    assert code(agreement, conditions=["specific_adversary"], adversary="Armenia").adversary == "Armenia"


def test_a_condition_is_given_once(agreement):
    assert refused(agreement, "CodeObligation", eid="art_2", obligation="defence", modality="obliges",
                   conditions=["on_request", "on_request"]).rule == "duplicate_condition"


def test_an_obligation_cannot_end_before_it_starts(agreement):
    assert refused(agreement, "CodeObligation", eid="art_2", obligation="defence", modality="obliges",
                   effective="2010", until="2009").rule == "obligation_ends_before_it_starts"


def test_the_same_obligation_is_not_coded_twice_for_a_party(agreement):
    code(agreement, parties=["TUR"])
    assert refused(agreement, "CodeObligation", eid="art_2", obligation="defence", modality="obliges",
                   parties=["TUR", "AZE"]).rule == "duplicate_obligation"
    assert code(agreement, parties=["AZE"]).parties == ["AZE"]  # the other party: a separate coding
    assert code(agreement, obligation="consultation").obligation == "consultation"


def test_uncoding_withdraws_the_coding_and_frees_it_for_a_new_one(agreement):
    first = code(agreement)
    run(agreement, "UncodeObligation", obligation_id=first.obligation_id, reason="misread the article")
    assert first.obligation_id not in agreement.state.obligations
    assert refused(agreement, "UncodeObligation", obligation_id=first.obligation_id, reason="again").rule == (
        "unknown_obligation"
    )
    assert code(agreement).obligation_id != first.obligation_id


def test_uncoding_needs_a_reason():
    with pytest.raises(InvalidCommand) as err:
        parse_command("UncodeObligation", {"obligation_id": "6f1d2a52-3c4e-4f7a-9a63-1c0f5e0b7d21"})
    assert "reason" in err.value.errors


def test_a_coding_is_corrected_like_any_event_and_the_rules_still_hold(agreement):
    code(agreement, parties=["TUR"])
    target = _event_id(agreement, "ObligationCoded")
    [fixed] = run(agreement, "CorrectEvent", event_id=target, reason="the text obliges",
                  corrections={"modality": "obliges"})
    assert fixed.corrections == {"modality": "obliges"}
    assert next(iter(agreement.state.obligations.values())).modality == "obliges"
    assert refused(agreement, "CorrectEvent", event_id=target, reason="x",
                   corrections={"parties": ["ISR"]}).rule == "obligation_for_non_party"


def test_a_coding_is_citable(agreement):
    event = code(agreement)
    [cited] = run(agreement, "AttachCitation", source="usc-dornsife-2023", quote="will be able to provide",
                  supports=f"obligation:{event.obligation_id}")
    assert cited.supports == f"obligation:{event.obligation_id}"


def test_a_party_bound_by_a_coded_obligation_cannot_be_removed(agreement):
    code(agreement, parties=["TUR"])
    assert refused(agreement, "RemoveParty", party="TUR").rule == "party_has_obligations"
