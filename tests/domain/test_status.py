"""An agreement's status on a date follows the table of agreements/domain/status.py, row by row, in its order
of precedence; the same rule is applied in SQL for lists and filters (tests/queries/test_status_sql.py)."""

import datetime as dt

import pytest

from agreements.domain.status import DATED_ACTIONS, DEFAULT_STATUS, STATUS_RULES, status_on

ON = dt.date(2020, 1, 1)
BEFORE, AFTER = dt.date(2019, 12, 31), dt.date(2020, 1, 2)


@pytest.mark.parametrize("status, action", [(status, action) for status, actions in STATUS_RULES for action in actions])
def test_each_action_of_a_row_gives_its_status_once_it_has_happened(status, action):
    assert status_on([(action, BEFORE)], ON) == status
    assert status_on([(action, ON)], ON) == status


@pytest.mark.parametrize("action", DATED_ACTIONS)
def test_a_fact_that_has_not_happened_yet_gives_no_status(action):
    assert status_on([(action, AFTER)], ON) == DEFAULT_STATUS


def test_a_fact_without_a_date_gives_no_status():
    assert status_on([("signature", None)], ON) == DEFAULT_STATUS


def test_an_earlier_row_wins_over_a_later_one():
    facts = [("signature", BEFORE), ("entry_into_force", BEFORE), ("suspension", BEFORE), ("termination", ON)]
    assert status_on(facts, ON) == "terminated"
    assert status_on(facts[:3], ON) == "suspended"
    assert status_on(facts[:2], ON) == "in_force"


def test_a_superseded_agreement_reads_superseded_unless_terminated():
    assert status_on([("entry_into_force", BEFORE)], ON, superseded=True) == "superseded"
    assert status_on([("termination", BEFORE)], ON, superseded=True) == "terminated"


def test_an_accession_alone_puts_the_agreement_in_force_not_signed():
    assert status_on([("accession", BEFORE)], ON) == "in_force"


def test_withdrawal_and_denunciation_leave_the_agreement_status_alone():
    assert status_on([("entry_into_force", BEFORE), ("withdrawal", BEFORE), ("denunciation", BEFORE)], ON) == "in_force"
