"""Registration (number with a registering body, date) and depositary: commands, rules, citations, corrections.

No database: the aggregate and an in-memory directory, as in test_aggregate.py.
"""

import pytest

from agreements.domain import events
from agreements.domain.commands import NameDepositary, RecordRegistration, parse_command
from agreements.domain.errors import InvalidCommand
from agreements.domain.vocabulary import parse_citation_subject

from .test_aggregate import agreement, refused, run  # noqa: F401  (the fixture and helpers)


def _event_id(agreement, event_type):
    return next(eid for eid, ev in agreement.state.events.items() if ev.type == event_type)


# ---------------------------------------------------------------------------------------------- commands


def test_record_registration_takes_a_number_an_edtf_date_and_a_registering_body():
    cmd = parse_command("RecordRegistration", {"registration_number": " I-54669 ", "date": "2017-10",
                                               "registering_body": "UN Secretariat"})
    assert cmd == RecordRegistration(registration_number="I-54669", date="2017-10", registering_body="UN Secretariat")


def test_a_registration_without_number_or_date_names_both_fields():
    with pytest.raises(InvalidCommand) as err:
        parse_command("RecordRegistration", {"registration_number": "  "})
    assert set(err.value.errors) == {"registration_number", "date"}


def test_a_registration_date_must_be_edtf():
    with pytest.raises(InvalidCommand) as err:
        parse_command("RecordRegistration", {"registration_number": "1", "date": "24 October 1945"})
    assert "not a valid EDTF date" in err.value.errors["date"][0]


@pytest.mark.parametrize("data, field", [
    ({"registration_number": "1" * 101, "date": "1945"}, "registration_number"),
    ({"registration_number": "1", "date": "1945", "registering_body": "x" * 201}, "registering_body"),
    ({"registration_number": "No. 1\nNo. 2", "date": "1945"}, "registration_number"),
])
def test_registration_fields_are_bounded_single_lines(data, field):
    with pytest.raises(InvalidCommand) as err:
        parse_command("RecordRegistration", data)
    assert field in err.value.errors


def test_name_depositary_takes_a_name_or_a_code():
    assert parse_command("NameDepositary", {"depositary": "Secretary-General of the United Nations"}) == \
        NameDepositary(depositary="Secretary-General of the United Nations")


def test_a_depositary_name_is_bounded_and_not_blank():
    for bad in ("", "   ", "x" * 501):
        with pytest.raises(InvalidCommand) as err:
            parse_command("NameDepositary", {"depositary": bad})
        assert "depositary" in err.value.errors


# ---------------------------------------------------------------------------------------------- deciding


def test_recording_a_registration_states_it_with_its_date_as_valid_time(agreement):
    [ev] = run(agreement, "RecordRegistration", registration_number="I-54669", date="2011-03-01",
               registering_body="UN Secretariat")
    assert ev == events.RegistrationRecorded(registration_number="I-54669", date="2011-03-01",
                                        registering_body="UN Secretariat")
    assert ev.valid_time() == "2011-03-01"


def test_an_agreement_is_registered_once_with_each_registering_body(agreement):
    run(agreement, "RecordRegistration", registration_number="I-1", date="2011", registering_body="UN Secretariat")
    err = refused(agreement, "RecordRegistration", registration_number="I-2", date="2012",
                  registering_body="un secretariat")
    assert err.rule == "already_registered" and "No. I-1" in err.message and err.field == "registration_number"
    run(agreement, "RecordRegistration", registration_number="LoN-1", date="1925",
        registering_body="League of Nations")


def test_a_depositary_written_as_a_code_names_that_party(agreement):
    [ev] = run(agreement, "NameDepositary", depositary="TUR")
    assert ev == events.DepositaryNamed(depositary="TUR", party="TUR")


def test_a_depositary_written_as_a_name_names_no_party(agreement):
    [ev] = run(agreement, "NameDepositary", depositary="Government of the United States of America")
    assert ev.party is None


def test_a_code_that_is_no_party_of_the_registry_is_refused_with_advice(agreement):
    err = refused(agreement, "NameDepositary", depositary="USA")
    assert err.rule == "unknown_party" and "name in full" in err.message


def test_several_depositaries_may_be_named_but_each_once(agreement):
    run(agreement, "NameDepositary", depositary="Government of the United Kingdom")
    run(agreement, "NameDepositary", depositary="Government of the United States of America")
    assert refused(agreement, "NameDepositary", depositary="government of the united kingdom").rule == \
        "duplicate_depositary"


# ---------------------------------------------------------------------------------------------- citations


def test_registration_and_depositary_are_citation_subjects():
    assert parse_citation_subject("registration").kind == "registration"
    assert parse_citation_subject("depositary").kind == "depositary"


def test_citing_the_registration_needs_one_recorded(agreement):
    assert refused(agreement, "AttachCitation", source="usc-dornsife-2023", supports="registration").rule == \
        "unknown_citation_subject"
    run(agreement, "RecordRegistration", registration_number="I-1", date="2011")
    run(agreement, "AttachCitation", source="usc-dornsife-2023", locator="p. 3", supports="registration")


def test_an_uncited_registration_and_depositary_count_as_uncited_facts(agreement):
    run(agreement, "RecordRegistration", registration_number="I-1", date="2011")
    run(agreement, "NameDepositary", depositary="TUR")
    assert {"registration", "depositary"} <= set(agreement.uncited_facts())
    run(agreement, "AttachCitation", source="usc-dornsife-2023", supports="depositary")
    run(agreement, "AttachCitation", source="usc-dornsife-2023",
        supports=f"event:{_event_id(agreement, 'RegistrationRecorded')}")
    assert not {"registration", "depositary"} & set(agreement.uncited_facts())


# ---------------------------------------------------------------------------------------------- corrections


def test_a_registration_is_corrected_by_a_later_event(agreement):
    run(agreement, "RecordRegistration", registration_number="I-1", date="2011")
    target = _event_id(agreement, "RegistrationRecorded")
    [correction] = run(agreement, "CorrectEvent", event_id=target, reason="UNTS volume checked",
                       corrections={"registration_number": "I-48111", "date": "2011-03-01"})
    assert correction.corrections == {"registration_number": "I-48111", "date": "2011-03-01"}
    assert agreement.state.registrations[target].registration_number == "I-48111"


def test_a_corrected_registration_date_is_checked_as_edtf(agreement):
    run(agreement, "RecordRegistration", registration_number="I-1", date="2011")
    with pytest.raises(InvalidCommand) as err:
        run(agreement, "CorrectEvent", event_id=_event_id(agreement, "RegistrationRecorded"), reason="r",
            corrections={"date": "March 2011"})
    assert "corrections.date" in err.value.errors


def test_correcting_a_depositary_to_a_code_links_the_party(agreement):
    run(agreement, "NameDepositary", depositary="Government of Turkey")
    target = _event_id(agreement, "DepositaryNamed")
    [correction] = run(agreement, "CorrectEvent", event_id=target, reason="a party", corrections={"depositary": "TUR"})
    assert correction.corrections == {"depositary": "TUR", "party": "TUR"}
    assert agreement.state.depositaries[target].party == "TUR"


def test_a_correction_cannot_make_two_depositaries_one(agreement):
    run(agreement, "NameDepositary", depositary="TUR")
    run(agreement, "NameDepositary", depositary="AZE")
    target = [i for i, ev in agreement.state.events.items() if ev.type == "DepositaryNamed"][1]
    assert refused(agreement, "CorrectEvent", event_id=target, reason="r",
                   corrections={"depositary": "TUR"}).rule == "duplicate_depositary"


# ---------------------------------------------------------------------------------------------- registration and signature


def test_a_registration_before_the_signature_is_refused_saying_why(agreement):
    run(agreement, "RecordLifecycle", action="signature", date="2010-08-16")
    err = refused(agreement, "RecordRegistration", registration_number="I-1", date="2010-08-15")
    assert err.rule == "registered_before_signature" and err.field == "date"
    assert "2010-08-15" in err.message and "2010-08-16" in err.message and "registered after it is signed" in err.message


def test_a_registration_on_the_day_of_signature_or_later_is_recorded(agreement):
    run(agreement, "RecordLifecycle", action="signature", date="2010-08-16")
    run(agreement, "RecordRegistration", registration_number="I-1", date="2010-08-16", registering_body="UN")
    run(agreement, "RecordRegistration", registration_number="LoN-1", date="2011", registering_body="LoN")


def test_a_registration_whose_uncertain_date_may_follow_the_signature_is_recorded(agreement):
    run(agreement, "RecordLifecycle", action="signature", date="2010-08-16")
    run(agreement, "RecordRegistration", registration_number="I-1", date="2010-08")


def test_a_registration_after_one_partys_signature_is_recorded(agreement):
    run(agreement, "RecordLifecycle", action="signature", date="2010-08-16", party="TUR")
    run(agreement, "RecordLifecycle", action="signature", date="2010-09-30", party="AZE")
    run(agreement, "RecordRegistration", registration_number="I-1", date="2010-09-01")


def test_a_registration_of_an_agreement_without_a_known_signature_is_recorded(agreement):
    run(agreement, "RecordRegistration", registration_number="I-1", date="1990")


def test_correcting_a_registration_to_before_the_signature_is_refused(agreement):
    run(agreement, "RecordLifecycle", action="signature", date="2010-08-16")
    run(agreement, "RecordRegistration", registration_number="I-1", date="2011")
    err = refused(agreement, "CorrectEvent", event_id=_event_id(agreement, "RegistrationRecorded"), reason="r",
                  corrections={"date": "2009"})
    assert err.rule == "registered_before_signature"


def test_correcting_the_signature_to_after_the_registration_is_refused(agreement):
    run(agreement, "RecordLifecycle", action="signature", date="2010-08-16")
    run(agreement, "RecordRegistration", registration_number="I-1", date="2011-01-10")
    err = refused(agreement, "CorrectEvent", event_id=_event_id(agreement, "LifecycleRecorded"), reason="r",
                  corrections={"date": "2012"})
    assert err.rule == "registered_before_signature"
