"""Treaty law participant by participant, in the domain alone: each action's rules, statements, the
entry-into-force rule's derivations and each participant's status on a date (agreements/domain/participation.py,
statements.py, entry_into_force.py)."""

import datetime as dt
import uuid

import pytest

from agreements.domain import events
from agreements.domain import participation
from agreements.domain.aggregate import Agreement
from agreements.domain.commands import parse_command
from agreements.domain.entry_into_force import EntryIntoForceRule, add_years, derive
from agreements.domain.errors import InvalidCommand
from agreements.domain.events import event_from_payload
from agreements.domain.wording import status_label

from .test_aggregate import refused, run

D = dt.date


@pytest.fixture
def treaty():
    a = Agreement()
    run(a, "DraftAgreement", slug="multilateral", title="A multilateral convention", kind="treaty")
    for code in ("TUR", "AZE", "ISR"):
        run(a, "AddParty", party=code)
    run(a, "AddClause", eid="art_1", number="1", text="Scope.", text_kind="official")
    return a


# ---------------------------------------------------------------------------------------------- actions


def test_an_action_records_when_it_takes_effect_apart_from_when_it_was_done(treaty):
    [ev] = run(treaty, "RecordLifecycle", action="ratification", date="2011-02-02", party="TUR",
               effective="2011-03-04", notification="C.N.123.2011.TREATIES-4")
    assert (ev.date, ev.effective, ev.notification) == ("2011-02-02", "2011-03-04", "C.N.123.2011.TREATIES-4")


def test_every_depositary_action_is_accepted_with_its_kind(treaty):
    for action in participation.ACTIONS:
        parse_command("RecordLifecycle", {"action": action, "date": "2010", "party": "TUR"})
    assert participation.CONSENT_MARKERS == {"ratification": "", "acceptance": "A", "approval": "AA", "accession": "a",
                                  "succession": "d", "formal_confirmation": "c", "definitive_signature": "s"}


def test_two_consents_without_a_withdrawal_between_are_refused(treaty):
    run(treaty, "RecordLifecycle", action="ratification", date="2011-02-02", party="TUR")
    assert refused(treaty, "RecordLifecycle", action="accession", date="2012", party="TUR").rule == "consent_twice"


def test_a_consent_after_a_withdrawal_is_accepted(treaty):
    run(treaty, "RecordLifecycle", action="ratification", date="2011-02-02", party="TUR")
    run(treaty, "RecordLifecycle", action="withdrawal", date="2015-01-01", party="TUR")
    assert run(treaty, "RecordLifecycle", action="accession", date="2018-01-01", party="TUR")


def test_a_withdrawal_by_a_participant_never_bound_is_refused(treaty):
    run(treaty, "RecordLifecycle", action="signature", date="2010", party="AZE")
    assert refused(treaty, "RecordLifecycle", action="denunciation", date="2012", party="AZE").rule == \
        "withdrawal_without_consent"


def test_a_withdrawal_dated_before_the_consent_is_refused(treaty):
    run(treaty, "RecordLifecycle", action="ratification", date="2011-02-02", party="TUR")
    assert refused(treaty, "RecordLifecycle", action="withdrawal", date="2010", party="TUR").rule == \
        "withdrawal_without_consent"


def test_a_succession_naming_a_predecessor_never_bound_is_refused(treaty):
    err = refused(treaty, "RecordLifecycle", action="succession", date="1992", party="AZE", predecessor="ISR")
    assert (err.rule, err.field) == ("predecessor_not_bound", "predecessor")


def test_a_succession_needs_its_predecessor(treaty):
    assert refused(treaty, "RecordLifecycle", action="succession", date="1992", party="AZE").rule == \
        "predecessor_required"


def test_a_succession_that_goes_round_is_refused(treaty):
    run(treaty, "RecordLifecycle", action="ratification", date="1990", party="ISR")
    run(treaty, "RecordLifecycle", action="succession", date="1992", party="AZE", predecessor="ISR")
    run(treaty, "RecordLifecycle", action="withdrawal", date="1993", party="ISR")
    assert refused(treaty, "RecordLifecycle", action="succession", date="1994", party="ISR",
                   predecessor="AZE").rule == "succession_loop"
    assert refused(treaty, "RecordLifecycle", action="succession", date="1994", party="TUR",
                   predecessor="TUR").rule == "succession_loop"


def test_an_effective_date_certainly_before_the_act_is_refused(treaty):
    err = refused(treaty, "RecordLifecycle", action="ratification", date="2011-02-02", party="TUR",
                  effective="2011-01-01")
    assert (err.rule, err.field) == ("effective_before_date", "effective")


def test_an_uncertain_effective_date_that_may_follow_the_act_passes(treaty):
    assert run(treaty, "RecordLifecycle", action="ratification", date="2011-02-02", party="TUR", effective="2011")


def test_a_territorial_application_names_its_territory(treaty):
    run(treaty, "RecordLifecycle", action="ratification", date="2011", party="TUR")
    assert refused(treaty, "RecordLifecycle", action="territorial_application", date="2012",
                   party="TUR").rule == "territory_required"
    [ev] = run(treaty, "RecordLifecycle", action="territorial_exclusion", date="2012", party="TUR",
               territory="Northern Cyprus")
    assert ev.territory == "Northern Cyprus"


def test_ratification_before_signature_is_still_refused(treaty):
    run(treaty, "RecordLifecycle", action="signature", date="2010-08-16", party="TUR")
    assert refused(treaty, "RecordLifecycle", action="ratification", date="2010-01-01", party="TUR").rule == \
        "ratification_before_signature"


def test_a_correction_passes_the_same_rules(treaty):
    [ev] = run(treaty, "RecordLifecycle", action="ratification", date="2011-02-02", party="TUR")
    event_id = next(k for k, v in treaty.state.events.items() if v is ev)
    err = refused(treaty, "CorrectEvent", event_id=event_id, reason="typo", corrections={"effective": "2010"})
    assert err.rule == "effective_before_date"
    run(treaty, "CorrectEvent", event_id=event_id, reason="depositary", corrections={"effective": "2011-03-04"})
    assert treaty.state.actions[event_id].effective == "2011-03-04"


def test_hostile_values_are_refused_by_field():
    for field_name, value in (("territory", "x" * 10_000), ("notification", "C.N.\x00"), ("date", "2011-02-30"),
                              ("effective", "2011-13"), ("predecessor", "not a code")):
        with pytest.raises(InvalidCommand) as err:
            parse_command("RecordLifecycle", {"action": "ratification", "date": "2011", "party": "TUR",
                                              field_name: value})
        assert field_name in err.value.errors


def test_an_old_lifecycle_payload_still_loads_and_a_new_one_stores_no_empty_fields():
    old = event_from_payload("LifecycleRecorded", {"action": "signature", "date": "2010-08-16", "party": "TUR"})
    assert old.effective is None
    assert events.LifecycleRecorded(action="signature", date="2010-08-16", party="TUR").payload() == {
        "action": "signature", "date": "2010-08-16", "party": "TUR"}


# ---------------------------------------------------------------------------------------------- statements


def make(agreement, **fields):
    [ev] = run(agreement, "MakeStatement", **fields)
    return ev.statement_id


def test_make_statement_returns_a_stable_statement_id(treaty):
    first = make(treaty, party="TUR", kind="reservation", text="Art. 1 does not apply.", date="2011", eids=["art_1"],
                 made_at="consent")
    uuid.UUID(first)
    assert first in treaty.state.statements


def test_an_objection_answers_a_statement_of_this_agreement(treaty):
    reservation = make(treaty, party="TUR", kind="reservation", text="R.", date="2011")
    make(treaty, party="AZE", kind="objection", text="AZE objects.", date="2012", objects_to=reservation,
         opposes_entry_into_force=True)
    assert refused(treaty, "MakeStatement", party="AZE", kind="objection", text="x", date="2012",
                   objects_to=str(uuid.uuid4())).rule == "unknown_statement"


@pytest.mark.parametrize("fields, rule", [
    ({"kind": "objection"}, "objection_needs_target"),
    ({"kind": "declaration", "opposes_entry_into_force": True}, "opposes_without_objection"),
    ({"kind": "reservation", "party": "ITA"}, "statement_for_non_party"),
    ({"kind": "reservation", "eids": ["art_9"]}, "unknown_clause"),
])
def test_statement_rules(treaty, fields, rule):
    body = {"party": "TUR", "text": "T.", "date": "2011", **fields}
    assert refused(treaty, "MakeStatement", **body).rule == rule


def test_an_objection_to_a_withdrawn_or_own_statement_or_an_objection_is_refused(treaty):
    reservation = make(treaty, party="TUR", kind="reservation", text="R.", date="2011")
    assert refused(treaty, "MakeStatement", party="TUR", kind="objection", text="x", date="2012",
                   objects_to=reservation).rule == "objection_to_own_statement"
    objection = make(treaty, party="AZE", kind="objection", text="O.", date="2012", objects_to=reservation)
    assert refused(treaty, "MakeStatement", party="TUR", kind="objection", text="x", date="2012",
                   objects_to=objection).rule == "objection_to_objection"
    run(treaty, "WithdrawStatement", statement_id=reservation, date="2013")
    assert refused(treaty, "MakeStatement", party="ISR", kind="objection", text="x", date="2014",
                   objects_to=reservation).rule == "statement_withdrawn"


def test_a_partial_withdrawal_leaves_the_statement_standing(treaty):
    reservation = make(treaty, party="TUR", kind="reservation", text="Articles 1 and 2 do not apply.", date="2011")
    run(treaty, "WithdrawStatement", statement_id=reservation, date="2013", text="Article 2 does not apply.")
    assert not treaty.state.statements[reservation].withdrawn
    run(treaty, "WithdrawStatement", statement_id=reservation, date="2014")
    assert refused(treaty, "WithdrawStatement", statement_id=reservation, date="2015").rule == "statement_withdrawn"


def test_a_withdrawal_before_the_statement_was_made_is_refused(treaty):
    reservation = make(treaty, party="TUR", kind="reservation", text="R.", date="2011")
    assert refused(treaty, "WithdrawStatement", statement_id=reservation, date="2010").rule == "withdrawn_before_made"


def test_a_statement_in_another_language_keeps_its_id(treaty):
    reservation = make(treaty, party="TUR", kind="reservation", text="R.", date="2011")
    again = make(treaty, party="TUR", kind="reservation", text="Çekince.", date="2011", language="tr",
                 statement_id=reservation)
    assert again == reservation
    assert refused(treaty, "MakeStatement", party="TUR", kind="reservation", text="R2", date="2011",
                   statement_id=reservation).rule == "duplicate_language"


def test_a_statement_is_citable_and_counts_as_a_fact_until_cited(treaty):
    reservation = make(treaty, party="TUR", kind="reservation", text="R.", date="2011")
    assert f"statement:{reservation}" in treaty.uncited_facts()
    run(treaty, "AttachCitation", source="usc-dornsife-2023", supports=f"statement:{reservation}")
    assert f"statement:{reservation}" not in treaty.uncited_facts()


def test_a_statement_kind_outside_the_vocabulary_is_a_400_naming_kind():
    with pytest.raises(InvalidCommand) as err:
        parse_command("MakeStatement", {"party": "TUR", "kind": "treaty", "text": "x", "date": "2011"})
    assert "kind" in err.value.errors


# ---------------------------------------------------------------------------------------------- entry into force


def consents(n, start=D(2000, 1, 1)):
    return [participation.Action("ratification" if i % 2 else "accession", (start + dt.timedelta(days=i)).isoformat(), f"P{i:03}")
            for i in range(n)]


def test_vclt_article_84_thirtieth_day_after_the_thirty_fifth_instrument():
    rule = EntryIntoForceRule(instruments=35, days_after=30, later_days_after=30)
    actions = consents(40)
    derived = derive(actions, rule)
    assert derived.agreement.date == D(2000, 2, 4) + dt.timedelta(days=30)  # the 35th on 2000-02-04
    assert derived.parties["P000"].date == derived.agreement.date
    assert derived.parties["P034"].date == derived.agreement.date
    assert derived.parties["P039"].date == D(2000, 2, 9) + dt.timedelta(days=30)
    assert {d.how for d in derived.parties.values()} == {"rule"}


def test_below_the_threshold_nothing_is_in_force():
    derived = derive(consents(34), EntryIntoForceRule(instruments=35, days_after=30))
    assert derived.agreement is None and derived.parties == {}


def test_a_recorded_entry_into_force_overrides_the_rule():
    actions = consents(40) + [participation.Action("entry_into_force", "2000-03-01")]
    derived = derive(actions, EntryIntoForceRule(instruments=35, days_after=30))
    assert (derived.agreement.date, derived.agreement.how) == (D(2000, 3, 1), "recorded")


def test_binding_on_signature():
    actions = [participation.Action("signature", "2010-08-16", "TUR"), participation.Action("signature", "2010-08-17", "AZE")]
    derived = derive(actions, EntryIntoForceRule(on="signature"), ["TUR", "AZE"])
    assert derived.agreement.date == D(2010, 8, 17)


def test_last_notification_of_a_bilateral_agreement():
    actions = [participation.Action("ratification", "2010-12-21", "AZE"), participation.Action("ratification", "2011-02-02", "TUR")]
    derived = derive(actions, EntryIntoForceRule(on="last_notification"), ["TUR", "AZE"])
    assert derived.agreement == derived.parties["AZE"] == derived.parties["TUR"]
    assert derived.agreement.date == D(2011, 2, 2)
    assert derive(actions[:1], EntryIntoForceRule(on="last_notification"), ["TUR", "AZE"]).agreement is None


def test_a_term_renews_itself_until_a_denunciation_with_notice():
    actions = [participation.Action("ratification", "2000-01-01", "AZE"), participation.Action("ratification", "2000-01-01", "TUR")]
    rule = EntryIntoForceRule(on="last_notification", years=10, renewal_years=10, notice_months=6)
    renewing = derive(actions, rule, ["TUR", "AZE"])
    assert renewing.expiry is None and renewing.renewals[:2] == [D(2010, 1, 1), D(2020, 1, 1)]
    late = actions + [participation.Action("denunciation", "2009-10-01", "TUR")]  # under six months before the first end
    assert derive(late, rule, ["TUR", "AZE"]).expiry.date == D(2020, 1, 1)


def test_a_term_without_renewal_expires():
    actions = [participation.Action("ratification", "2000-01-01", "AZE"), participation.Action("ratification", "2000-01-01", "TUR")]
    assert derive(actions, EntryIntoForceRule(on="last_notification", years=5), ["TUR", "AZE"]).expiry.date == \
        D(2005, 1, 1)
    assert add_years(D(2000, 2, 29), 1) == D(2001, 2, 28)


def test_a_rule_that_counts_and_names_an_event_is_refused(treaty):
    assert refused(treaty, "SetEntryIntoForceRule", instruments=2, on="signature").rule == "rule_instruments_and_on"
    assert refused(treaty, "SetEntryIntoForceRule", renewal_years=5).rule == "rule_renewal_without_term"
    [ev] = run(treaty, "SetEntryIntoForceRule", instruments=35, days_after=30, later_days_after=30,
               counts=["ratification", "accession"])
    assert ev.rule == {"instruments": 35, "days_after": 30, "later_days_after": 30,
                       "counts": ["ratification", "accession"]}


def test_rule_numbers_are_whole_and_bounded():
    for value in (True, -1, 1.5, "35", 10**9):
        with pytest.raises(InvalidCommand) as err:
            parse_command("SetEntryIntoForceRule", {"instruments": value})
        assert "instruments" in err.value.errors


# ---------------------------------------------------------------------------------------------- status


def status(actions, on, party, rule=None, parties=()):
    return participation.status_on(participation.participation(actions, rule, parties).periods, party, on)


def test_a_participant_goes_from_signatory_to_consented_to_party_to_withdrawn():
    actions = [participation.Action("signature", "2010-08-16", "TUR"), participation.Action("ratification", "2011-02-02", "TUR"),
               participation.Action("ratification", "2010-12-21", "AZE"),
               participation.Action("withdrawal", "2015-01-01", "TUR", effective="2016-01-01")]
    rule = EntryIntoForceRule(on="last_notification", days_after=30)
    assert status(actions, D(2010, 9, 1), "TUR", rule, ["TUR", "AZE"]) == "signatory"
    assert status(actions, D(2011, 2, 10), "TUR", rule, ["TUR", "AZE"]) == "consented"
    assert status(actions, D(2011, 3, 4), "TUR", rule, ["TUR", "AZE"]) == "party"
    assert status(actions, D(2015, 6, 1), "TUR", rule, ["TUR", "AZE"]) == "party"  # notified, not yet effective
    assert status(actions, D(2016, 1, 1), "TUR", rule, ["TUR", "AZE"]) == "withdrawn"
    assert status(actions, D(2009, 1, 1), "TUR", rule, ["TUR", "AZE"]) == "none"


def test_without_a_rule_or_a_recorded_entry_into_force_a_consent_binds_but_is_not_in_force():
    assert status([participation.Action("ratification", "2011", "TUR")], D(2012, 1, 1), "TUR") == "consented"


def test_provisional_application_until_its_end():
    actions = [participation.Action("signature", "2010", "TUR"), participation.Action("provisional_application", "2010-06-01", "TUR"),
               participation.Action("provisional_application_end", "2012-01-01", "TUR")]
    assert status(actions, D(2011, 1, 1), "TUR") == "provisionally_applying"
    assert status(actions, D(2012, 1, 2), "TUR") == "signatory"


def test_a_predecessor_is_succeeded_and_its_successor_becomes_party():
    actions = [participation.Action("ratification", "1980", "SUN"), participation.Action("entry_into_force", "1981"),
               participation.Action("succession", "1992-05-01", "AZE", effective="1991-10-18", predecessor="SUN")]
    assert status(actions, D(1992, 6, 1), "SUN") == "succeeded"
    assert status(actions, D(1992, 6, 1), "AZE") == "party"
    assert participation.participation(actions, None).derivation.parties["AZE"].how == "recorded"


def test_the_status_table_gives_every_participant_status_once():
    statuses = [row[0] for row in participation.PARTICIPANT_STATUS_RULES if row[0] != participation.NONE]
    assert sorted(statuses) == sorted(participation.PARTICIPANT_STATUSES)


def test_the_agreement_status_words_do_not_mislead():
    assert status_label("signed", consent_recorded=False) == "Signed; ratification not recorded"
    assert status_label("signed") == "Signed"
    assert status_label("no_dated_fact") == "No dated fact recorded"


# ---------------------------------------------------------------------------------------------- between two parties
# VCLT art. 20(4)(b): an objection opposing entry into force keeps the agreement out of force between the objector
# and the reserving state; art. 22: withdrawing either restores it.

def standing(*made):
    from types import SimpleNamespace

    return [SimpleNamespace(statement_id=i, party=party, kind=kind, objects_to=target, opposes_entry_into_force=opp)
            for i, party, kind, target, opp in made]


def test_an_objection_opposing_entry_into_force_keeps_it_out_of_force_between_the_two_only():
    from agreements.domain import statements

    opposed = statements.opposed_pairs(standing(("r", "TUR", "reservation", None, False), ("o", "AZE", "objection", "r", True),
                                        ("p", "ISR", "objection", "r", False)))
    statuses = {"TUR": "party", "AZE": "party", "ISR": "party"}
    assert not statements.in_force_between("TUR", "AZE", statuses, opposed)
    assert not statements.in_force_between("AZE", "TUR", statuses, opposed)
    assert statements.in_force_between("TUR", "ISR", statuses, opposed)  # a simple objection does not preclude it
    assert statements.in_force_between("AZE", "ISR", statuses, opposed)
    assert statements.not_in_force_with("TUR", statuses, opposed) == ["AZE"]


def test_without_the_reservation_standing_the_objection_opposes_nothing():
    from agreements.domain import statements

    assert statements.opposed_pairs(standing(("o", "AZE", "objection", "r", True))) == {}


def test_between_two_participants_it_is_in_force_only_when_it_is_in_force_for_each():
    from agreements.domain import statements

    statuses = {"TUR": "party", "AZE": "consented"}
    assert not statements.in_force_between("TUR", "AZE", statuses, {})
    assert statements.not_in_force_with("AZE", statuses, {"AZE": {"TUR"}}) == []


def test_the_status_on_one_day_is_the_status_of_the_period_holding_that_day():
    actions = [
        participation.Action("signature", "2000-01-01", "TUR"), participation.Action("provisional_application", "2000-01-01", "TUR"),
        participation.Action("ratification", "2000-02-01", "TUR"), participation.Action("accession", "2000-03-01", "AZE"),
        participation.Action("withdrawal", "2001-01-01", "AZE", effective="2002-01-01"),
        participation.Action("ratification", "2000-04-01", "YUG"), participation.Action("succession", "2000-06-01", "SRB", predecessor="YUG",
                                                                 effective="2000-07-01"),
    ]
    rule = EntryIntoForceRule(instruments=2, days_after=30)
    parties = ["TUR", "AZE", "YUG", "SRB", "ISR"]
    periods = participation.participation(actions, rule, parties).periods
    day = D(1999, 12, 1)
    while day < D(2002, 3, 1):
        _, statuses = participation.statuses_on(actions, rule, parties, day)
        assert statuses == {p: participation.status_on(periods, p, day) for p in parties}, day
        day += dt.timedelta(days=1)


# ---------------------------------------------------------------------------------------------- the rest of the tables


def test_only_a_succession_names_a_predecessor(treaty):
    assert refused(treaty, "RecordLifecycle", action="ratification", date="2011", party="TUR",
                   predecessor="AZE").rule == "predecessor_not_allowed"


def test_only_an_objection_answers_another_statement(treaty):
    reservation = make(treaty, party="TUR", kind="reservation", text="R.", date="2011")
    assert refused(treaty, "MakeStatement", party="AZE", kind="declaration", text="D.", date="2012",
                   objects_to=reservation).rule == "objects_to_not_objection"


@pytest.mark.parametrize("kind", ["understanding", "communication"])
def test_an_understanding_and_a_communication_are_statements_too(treaty, kind):
    made = make(treaty, party="AZE", kind=kind, text="As we read it.", date="2011", eids=["art_1"], made_at="later")
    assert made in treaty.state.statements


@pytest.mark.parametrize("fields, rule", [
    ({"on": "signature", "days_after": 30}, "rule_days_after_signature"),
    ({"on": "last_notification", "later_days_after": 30}, "rule_later_days_without_instruments"),
    ({"notice_months": 6}, "rule_renewal_without_term"),
    ({"counts": ["ratification"]}, "rule_empty"),
])
def test_an_entry_into_force_rule_that_cannot_be_applied_is_refused(treaty, fields, rule):
    assert refused(treaty, "SetEntryIntoForceRule", **fields).rule == rule


def test_a_recorded_expiry_ends_the_agreement_for_every_participant():
    actions = [participation.Action("ratification", "2000-01-01", "TUR"),
               participation.Action("ratification", "2000-01-01", "AZE"),
               participation.Action("expiry", "2010-01-01")]
    rule = EntryIntoForceRule(on="last_notification")
    derivation, before = participation.statuses_on(actions, rule, ["TUR", "AZE"], D(2009, 12, 31))
    assert derivation.expiry.date == D(2010, 1, 1) and derivation.expiry.how == "recorded"
    assert before == {"TUR": "party", "AZE": "party"}
    assert participation.statuses_on(actions, rule, ["TUR", "AZE"], D(2010, 1, 1))[1] == {"TUR": "none", "AZE": "none"}


def test_a_recorded_renewal_is_a_note_that_changes_no_status(treaty):
    run(treaty, "RecordLifecycle", action="ratification", date="2000", party="TUR")
    [ev] = run(treaty, "RecordLifecycle", action="renewal", date="2010-01-01")
    assert (ev.action, participation.kind_of(ev.action)) == ("renewal", "renewal")
    actions = [participation.Action("ratification", "2000", "TUR"), participation.Action("renewal", "2010-01-01")]
    statuses = participation.statuses_on(actions, None, ["TUR"], D(2011, 1, 1))[1]
    assert statuses == participation.statuses_on(actions[:1], None, ["TUR"], D(2011, 1, 1))[1]
