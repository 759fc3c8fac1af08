"""The entry-into-force rule in words: the domain gives each sentence as a catalogue message with its values
(numbers and action codes), and says it in English; the edge says the same sentences in the reader's language."""

import pytest

from agreements.domain.entry_into_force import RULE_MESSAGES, EntryIntoForceRule


def rule(**fields):
    return EntryIntoForceRule.from_fields(fields)


def test_a_rule_counting_instruments_says_the_delay_for_the_first_and_for_later_participants():
    assert rule(instruments=35, days_after=30).describe() == (
        "30 days after the deposit of instrument number 35 (counted: ratification, acceptance, approval, accession, "
        "definitive signature, formal confirmation); for a later participant, 30 days after its own instrument")


def test_a_rule_with_no_delay_says_on_the_day_rather_than_zero_days():
    assert rule(on="last_notification").describe() == "on the day of the last notification of consent"
    assert rule(instruments=2, counts=["ratification"]).describe() == (
        "on the day instrument number 2 is deposited (counted: ratification); "
        "for a later participant, on the day of its own instrument")


def test_a_term_says_its_years_renewals_and_notice():
    assert rule(on="signature", years=1, renewal_years=5, notice_months=6).describe() == (
        "on signature by every participant; for 1 year, renewed for 5 years at a time unless denounced 6 months "
        "before a period ends")


@pytest.mark.parametrize("fields", [
    {"instruments": 2, "days_after": 30, "later_days_after": 0}, {"on": "signature"},
    {"on": "last_notification", "days_after": 60, "years": 10, "renewal_years": 5}, {"years": 3},
])
def test_every_sentence_is_a_catalogue_message_with_its_values_as_numbers_or_codes(fields):
    for message, values in rule(**fields).parts():
        assert message in RULE_MESSAGES
        assert all(isinstance(value, (int, tuple)) for value in values.values())
