"""The Agreement aggregate decides every command of the write vocabulary, refusing broken rules by name.

No database: the aggregate is plain Python, and the world outside its stream is an in-memory directory.
"""

import uuid

import pytest

from agreements.domain import events
from agreements.domain.aggregate import Agreement
from agreements.domain.identities import clause_identity
from agreements.domain.commands import parse_command
from agreements.domain.errors import InvalidCommand, RuleViolated


class Directory:
    def __init__(self, agreements=("un-charter-1945", "tr-az-defence-industry-2017"), parties=("TUR", "AZE", "ISR"),
                 sources=("usc-dornsife-2023",)):
        self.agreements, self.parties, self.sources = set(agreements), set(parties), set(sources)

    def agreement_exists(self, slug):
        return slug in self.agreements

    def party_exists(self, code):
        return code in self.parties

    def source_exists(self, source):
        return source in self.sources


def run(agreement, type_, **fields):
    """Decide a command and apply its events, as the service does; return the events."""
    decided = agreement.decide(parse_command(type_, fields), Directory())
    for event in decided:
        agreement.apply(event, str(uuid.uuid4()))
    return decided


def refused(agreement, type_, **fields) -> RuleViolated:
    before = agreement.version
    with pytest.raises(RuleViolated) as err:
        run(agreement, type_, **fields)
    assert agreement.version == before, "a refused command must change nothing"
    return err.value


@pytest.fixture
def agreement():
    a = Agreement()
    run(a, "DraftAgreement", slug="tr-az-strategic-partnership-2010", title="Strategic Partnership", kind="agreement",
        work_date="2010-08-16")
    run(a, "AddParty", party="TUR")
    run(a, "AddParty", party="AZE")
    run(a, "AddClause", eid="art_1", number="1", text="Joint action.", text_kind="summary", effective="2010-08-16")
    run(a, "AddClause", eid="art_2", number="2", text="Mutual assistance.", text_kind="summary", effective="2010-08-16")
    return a


def test_draft_gives_the_work_uri_in_akoma_ntoso_style(agreement):
    drafted = agreement.state.events[next(iter(agreement.state.events))]
    assert drafted.work_uri == "/akn/int/treaty/2010/tr-az-strategic-partnership-2010"


def test_draft_without_date_gets_an_undated_uri():
    [drafted] = run(Agreement(), "DraftAgreement", slug="medicine", title="Medicine", kind="agreement")
    assert drafted.work_uri == "/akn/int/treaty/undated/medicine"


def test_drafting_an_existing_slug_is_refused():
    a = Agreement()
    with pytest.raises(RuleViolated, match="agreement_exists"):
        a.decide(parse_command("DraftAgreement", {"slug": "un-charter-1945", "title": "T", "kind": "charter"}), Directory())


def test_drafting_twice_on_one_stream_is_refused(agreement):
    assert refused(agreement, "DraftAgreement", slug="other", title="T", kind="pact").rule == "agreement_exists"


def test_commands_on_a_missing_agreement_are_refused():
    assert refused(Agreement(), "AddParty", party="TUR").rule == "agreement_not_found"


def test_edit_details_records_only_the_changed_fields(agreement):
    [edited] = run(agreement, "EditDetails", title="Agreement on Strategic Partnership and Mutual Assistance")
    assert edited == events.DetailsEdited(changes={"title": "Agreement on Strategic Partnership and Mutual Assistance"})


def test_unknown_party_is_refused(agreement):
    err = refused(agreement, "AddParty", party="XYZ")
    assert (err.rule, err.field) == ("unknown_party", "party")


def test_a_party_is_added_once(agreement):
    assert refused(agreement, "AddParty", party="TUR").rule == "duplicate_party"


def test_remove_party(agreement):
    assert run(agreement, "RemoveParty", party="AZE") == [events.PartyRemoved(party="AZE")]
    assert "AZE" not in agreement.state.parties


def test_removing_a_non_party_is_refused(agreement):
    assert refused(agreement, "RemoveParty", party="ISR").rule == "not_a_party"


def test_a_party_with_lifecycle_facts_cannot_be_removed(agreement):
    run(agreement, "RecordLifecycle", action="signature", date="2010-08-16", party="AZE")
    assert refused(agreement, "RemoveParty", party="AZE").rule == "party_has_lifecycle"


def test_lifecycle_fact_for_a_non_party_is_refused(agreement):
    err = refused(agreement, "RecordLifecycle", action="signature", date="2010", party="ISR")
    assert (err.rule, err.field) == ("lifecycle_for_non_party", "party")


def test_lifecycle_fact_for_the_agreement_as_a_whole_needs_no_party(agreement):
    [fact] = run(agreement, "RecordLifecycle", action="signature", date="2010-08-16")
    assert fact.party is None


def test_entry_into_force_before_signature_is_refused_per_party(agreement):
    run(agreement, "RecordLifecycle", action="signature", date="2010-08-16", party="TUR")
    err = refused(agreement, "RecordLifecycle", action="entry_into_force", date="2010-01-01", party="TUR")
    assert err.rule == "entry_into_force_before_signature"
    assert "TUR" in err.message


def test_entry_into_force_before_another_partys_signature_is_allowed(agreement):
    run(agreement, "RecordLifecycle", action="signature", date="2010-08-16", party="TUR")
    run(agreement, "RecordLifecycle", action="entry_into_force", date="2010-01-01", party="AZE")


def test_ratification_before_signature_is_refused(agreement):
    run(agreement, "RecordLifecycle", action="signature", date="2010-08-16", party="AZE")
    assert refused(agreement, "RecordLifecycle", action="ratification", date="2009", party="AZE").rule == (
        "ratification_before_signature"
    )


def test_signature_after_a_recorded_entry_into_force_is_refused(agreement):
    run(agreement, "RecordLifecycle", action="entry_into_force", date="2011-01-01", party="TUR")
    assert refused(agreement, "RecordLifecycle", action="signature", date="2012", party="TUR").rule == (
        "entry_into_force_before_signature"
    )


def test_overlapping_partial_dates_are_not_called_out_of_order(agreement):
    """'2010' may be after '2010-08-16': only a certain contradiction is refused."""
    run(agreement, "RecordLifecycle", action="signature", date="2010-08-16", party="TUR")
    run(agreement, "RecordLifecycle", action="entry_into_force", date="2010", party="TUR")


def test_add_clause_gets_a_stable_identity(agreement):
    [added] = run(agreement, "AddClause", eid="art_9", text="Defence cooperation.", text_kind="summary")
    assert added.clause_id == clause_identity("tr-az-strategic-partnership-2010", "art_9")


def test_duplicate_eid_is_refused(agreement):
    err = refused(agreement, "AddClause", eid="art_2", text="Again.", text_kind="official")
    assert (err.rule, err.field) == ("duplicate_eid", "eid")


def test_clause_with_unknown_parent_is_refused(agreement):
    err = refused(agreement, "AddClause", eid="art_3__para_1", text="x", text_kind="official", parent="art_3")
    assert (err.rule, err.field) == ("unknown_clause", "parent")


def test_sub_clause_under_its_article(agreement):
    [added] = run(agreement, "AddClause", eid="art_2__para_1", text="x", text_kind="official", parent="art_2")
    assert added.parent == "art_2"


def test_amend_clause(agreement):
    [amended] = run(agreement, "AmendClause", eid="art_2", text="Amended.", effective="2015-01-01",
                    by="tr-az-defence-industry-2017")
    assert (amended.eid, amended.effective, amended.by) == ("art_2", "2015-01-01", "tr-az-defence-industry-2017")


def test_amending_a_missing_clause_is_refused(agreement):
    assert refused(agreement, "AmendClause", eid="art_99", text="x", effective="2015").rule == "unknown_clause"


def test_amending_instrument_must_exist(agreement):
    err = refused(agreement, "AmendClause", eid="art_2", text="x", effective="2015", by="no-such-agreement")
    assert (err.rule, err.field) == ("unknown_agreement", "by")


def test_amendment_effective_before_the_clause_is_refused(agreement):
    err = refused(agreement, "AmendClause", eid="art_2", text="x", effective="2009")
    assert (err.rule, err.field) == ("amend_before_clause", "effective")


def test_repeal_clause(agreement):
    [repealed] = run(agreement, "RepealClause", eid="art_2", effective="2020")
    assert repealed == events.ClauseRepealed(clause_id=repealed.clause_id, eid="art_2", effective="2020")


def test_amending_a_repealed_clause_is_refused(agreement):
    run(agreement, "RepealClause", eid="art_2", effective="2020")
    assert refused(agreement, "AmendClause", eid="art_2", text="x", effective="2021").rule == "clause_repealed"


def test_repealing_twice_is_refused(agreement):
    run(agreement, "RepealClause", eid="art_2", effective="2020")
    assert refused(agreement, "RepealClause", eid="art_2", effective="2021").rule == "clause_repealed"


def test_renumber_moves_the_eid(agreement):
    run(agreement, "RenumberClause", eid="art_2", new_eid="art_3", number="3", effective="2015")
    run(agreement, "AmendClause", eid="art_3", text="Under its new number.", effective="2016")
    assert refused(agreement, "AmendClause", eid="art_2", text="x", effective="2016").rule == "unknown_clause"


def test_renumbering_onto_a_used_eid_is_refused(agreement):
    err = refused(agreement, "RenumberClause", eid="art_1", new_eid="art_2")
    assert (err.rule, err.field) == ("duplicate_eid", "new_eid")


def test_an_old_eid_is_never_reused(agreement):
    run(agreement, "RenumberClause", eid="art_2", new_eid="art_3")
    assert refused(agreement, "AddClause", eid="art_2", text="x", text_kind="summary").rule == "duplicate_eid"


def test_add_and_remove_relation(agreement):
    run(agreement, "AddRelation", relation="supplements", target="tr-az-defence-industry-2017")
    assert refused(agreement, "AddRelation", relation="supplements", target="tr-az-defence-industry-2017").rule == (
        "duplicate_relation"
    )
    assert run(agreement, "RemoveRelation", relation="supplements", target="tr-az-defence-industry-2017")
    assert refused(agreement, "RemoveRelation", relation="supplements", target="tr-az-defence-industry-2017").rule == (
        "unknown_relation"
    )


def test_relation_to_an_unknown_target_is_refused(agreement):
    err = refused(agreement, "AddRelation", relation="amends", target="nowhere")
    assert (err.rule, err.field) == ("unknown_target", "target")


def test_relation_to_itself_is_refused(agreement):
    assert refused(agreement, "AddRelation", relation="amends", target="tr-az-strategic-partnership-2010").rule == (
        "relation_to_itself"
    )


def test_add_and_remove_reference(agreement):
    run(agreement, "AddReference", eid="art_2", target="un-charter-1945", target_eid="art_51")
    assert refused(agreement, "AddReference", eid="art_2", target="un-charter-1945", target_eid="art_51").rule == (
        "duplicate_reference"
    )
    run(agreement, "RemoveReference", eid="art_2", target="un-charter-1945", target_eid="art_51")
    assert refused(agreement, "RemoveReference", eid="art_2", target="un-charter-1945", target_eid="art_51").rule == (
        "unknown_reference"
    )


def test_reference_from_a_missing_clause_is_refused(agreement):
    assert refused(agreement, "AddReference", eid="art_7", target="un-charter-1945").rule == "unknown_clause"


def test_reference_to_an_unknown_agreement_is_refused(agreement):
    assert refused(agreement, "AddReference", eid="art_2", target="atlantis-pact").rule == "unknown_target"


def test_reference_to_a_missing_article_is_accepted_and_left_to_validation(agreement):
    """A reference to art_99 of a known agreement is stored; the validation workers flag it."""
    [ref] = run(agreement, "AddReference", eid="art_2", target="un-charter-1945", target_eid="art_99")
    assert ref.target_eid == "art_99"


def test_attach_and_detach_citation(agreement):
    [attached] = run(agreement, "AttachCitation", source="usc-dornsife-2023", locator="para. 18",
                     quote="act together", supports="art_1")
    assert refused(agreement, "AttachCitation", source="usc-dornsife-2023", locator="para. 18",
                   quote="act together", supports="art_1").rule == "duplicate_citation"
    run(agreement, "DetachCitation", citation_id=attached.citation_id)
    assert refused(agreement, "DetachCitation", citation_id=attached.citation_id).rule == "unknown_citation"


def test_citation_of_an_unknown_source_is_refused(agreement):
    err = refused(agreement, "AttachCitation", source="rumour-mill")
    assert (err.rule, err.field) == ("unknown_source", "source")


@pytest.mark.parametrize("supports", ["", "title", "art_2", "party:TUR", "lifecycle:signature",
                                      "relation:amends>x", "ref:art_2>un-charter-1945#art_51"])
def test_citation_supports_a_named_subject(agreement, supports):
    run(agreement, "AttachCitation", source="usc-dornsife-2023", supports=supports)


@pytest.mark.parametrize("supports", ["art_42", "party:ISR", "nonsense field"])
def test_citation_of_an_unknown_subject_is_refused(agreement, supports):
    assert refused(agreement, "AttachCitation", source="usc-dornsife-2023", supports=supports).rule == (
        "unknown_citation_subject"
    )


def test_publication_goes_draft_review_published(agreement):
    assert refused(agreement, "Unpublish").rule == "not_published"
    run(agreement, "SubmitForReview")
    assert refused(agreement, "SubmitForReview").rule == "not_a_draft"
    run(agreement, "Publish", uncited_reason="a test agreement without sources")
    assert agreement.state.publication == "published"
    assert refused(agreement, "Publish").rule == "already_published"
    run(agreement, "Unpublish", note="pulled for checking")
    assert agreement.state.publication == "draft"


def test_publish_is_marked_as_needing_a_reviewer():
    assert parse_command("Publish", {}).needs_reviewer
    assert not parse_command("SubmitForReview", {}).needs_reviewer


def _event_id(agreement, type_):
    return next(eid for eid, ev in agreement.state.events.items() if ev.type == type_)


def test_correct_event_supersedes_a_lifecycle_date(agreement):
    run(agreement, "RecordLifecycle", action="signature", date="2010", party="TUR")
    target = _event_id(agreement, "LifecycleRecorded")
    [correction] = run(agreement, "CorrectEvent", event_id=target, reason="Day found in the official gazette",
                       corrections={"date": "2010-08-16"})
    assert correction.corrected_type == "LifecycleRecorded"
    assert agreement.state.lifecycle[0][3] == "2010-08-16"


def test_correction_must_keep_lifecycle_order(agreement):
    run(agreement, "RecordLifecycle", action="signature", date="2010-08-16", party="TUR")
    run(agreement, "RecordLifecycle", action="entry_into_force", date="2011", party="TUR")
    target = [eid for eid, ev in agreement.state.events.items() if ev.type == "LifecycleRecorded"][1]
    assert refused(agreement, "CorrectEvent", event_id=target, reason="typo",
                   corrections={"date": "2009"}).rule == "entry_into_force_before_signature"


def test_correction_of_an_unknown_event_is_refused(agreement):
    assert refused(agreement, "CorrectEvent", event_id=str(uuid.uuid4()), reason="r",
                   corrections={"date": "2010"}).rule == "unknown_event"


def test_correction_only_of_correctable_fields(agreement):
    target = _event_id(agreement, "ClauseAdded")
    err = refused(agreement, "CorrectEvent", event_id=target, reason="r", corrections={"eid": "art_7"})
    assert err.rule == "field_not_correctable"


def test_corrected_values_are_checked_like_command_fields(agreement):
    target = _event_id(agreement, "ClauseAdded")
    with pytest.raises(InvalidCommand) as err:
        run(agreement, "CorrectEvent", event_id=target, reason="r", corrections={"effective": "1996-13"})
    assert "corrections.effective" in err.value.errors


@pytest.mark.parametrize("event_type, corrections", [
    ("AgreementDrafted", {"title": None}),
    ("AgreementDrafted", {"title": "  "}),
    ("AgreementDrafted", {"kind": ""}),
    ("ClauseAdded", {"text_kind": ""}),
    ("ClauseAdded", {"text": None}),
    ("ClauseAdded", {"language": None}),
])
def test_a_correction_cannot_blank_a_field_its_command_requires(agreement, event_type, corrections):
    target = _event_id(agreement, event_type)
    with pytest.raises(InvalidCommand) as err:
        run(agreement, "CorrectEvent", event_id=target, reason="r", corrections=corrections)
    assert f"corrections.{next(iter(corrections))}" in err.value.errors


def test_a_correction_may_clear_an_optional_field_to_its_default(agreement):
    target = _event_id(agreement, "ClauseAdded")
    [correction] = run(agreement, "CorrectEvent", event_id=target, reason="r",
                       corrections={"heading": None, "effective": ""})
    assert correction.corrections == {"heading": "", "effective": None}


def test_every_command_type_is_covered_by_a_decision():
    from agreements.domain import rules
    from agreements.domain.commands import COMMAND_TYPES

    assert set(rules.DECIDE) == set(COMMAND_TYPES.values())


def test_every_event_type_has_an_effect_on_the_state():
    from agreements.domain import rules

    assert set(rules.APPLY) == set(events.EVENT_TYPES.values())


def test_replay_rebuilds_the_same_state(agreement):
    copy = Agreement.replay(agreement.state.events.items())
    assert copy.version == agreement.version
    assert copy.state.eids == agreement.state.eids
    assert copy.state.parties == agreement.state.parties


def test_an_imported_document_keeps_its_own_work_uri():
    [drafted] = run(Agreement(), "DraftAgreement", slug="za-act-2009-1", title="Act 1", kind="act",
                    work_uri="/akn/za/act/2009/1")
    assert drafted.work_uri == "/akn/za/act/2009/1"


def test_a_work_uri_that_is_not_akoma_ntoso_is_refused():
    with pytest.raises(InvalidCommand) as err:
        parse_command("DraftAgreement", {"slug": "x", "title": "T", "kind": "act", "work_uri": "http://x/1"})
    assert "work_uri" in err.value.errors


@pytest.mark.parametrize("eid", ["sec_1", "section-1", "chp_II__sec_3A", "art_1bis", "sec_2.1", "part_1__chp_2__art_3",
                                 "att_1__hcontainer_1", "hcontainer_schedule-1"])
def test_real_publishers_eids_are_accepted(agreement, eid):
    run(agreement, "AddClause", eid=eid, text="Text.", text_kind="official")
    assert eid in agreement.state.eids


@pytest.mark.parametrize("eid", ["1_art", "art__", "art_1___para", "art 1", "art_1/2", "a" * 201])
def test_malformed_eids_are_refused(eid):
    with pytest.raises(InvalidCommand) as err:
        parse_command("AddClause", {"eid": eid, "text": "T", "text_kind": "official"})
    assert "eid" in err.value.errors


def test_a_container_clause_needs_no_text_of_its_own(agreement):
    run(agreement, "AddClause", eid="part_1", number="I", heading="General", text_kind="official")
    assert "part_1" in agreement.state.eids


def test_a_clause_with_neither_text_number_nor_heading_is_refused(agreement):
    assert refused(agreement, "AddClause", eid="art_9", text_kind="official").rule == "empty_clause"


def test_the_same_clause_can_be_added_in_another_authentic_language(agreement):
    [added] = run(agreement, "AddClause", eid="art_1", text="Ortak hareket.", text_kind="official", language="tr")
    assert added.eid == "art_1" and added.language == "tr" and added.clause_id != clause_identity(agreement.state.slug, "art_1")
    assert list(agreement.state.clauses[added.clause_id].languages) == ["en", "tr"]


def test_a_language_the_clause_already_has_is_a_duplicate(agreement):
    run(agreement, "AddClause", eid="art_1", text="Ortak hareket.", text_kind="official", language="tr")
    assert refused(agreement, "AddClause", eid="art_1", text="Again.", text_kind="official", language="tr").rule == "duplicate_eid"


def test_an_amendment_names_the_language_it_changes(agreement):
    [tr] = run(agreement, "AddClause", eid="art_1", text="Ortak hareket.", text_kind="official", language="tr")
    [amended] = run(agreement, "AmendClause", eid="art_1", text="Yeni metin.", effective="2015-01-01", language="tr")
    assert amended.clause_id == tr.clause_id
    [default] = run(agreement, "AmendClause", eid="art_1", text="New text.", effective="2015-01-01")
    assert default.clause_id == clause_identity(agreement.state.slug, "art_1")


def test_amending_a_language_the_clause_lacks_is_refused(agreement):
    assert refused(agreement, "AmendClause", eid="art_1", text="Metin.", effective="2015-01-01",
                   language="az").rule == "unknown_language"


def test_repealing_and_renumbering_a_clause_covers_every_language(agreement):
    run(agreement, "AddClause", eid="art_1", text="Ortak hareket.", text_kind="official", language="tr")
    assert len(run(agreement, "RenumberClause", eid="art_1", new_eid="art_10")) == 2
    assert len(run(agreement, "RepealClause", eid="art_10", effective="2016-01-01")) == 2


def test_a_work_uri_another_agreement_holds_is_refused():
    from agreements.domain.aggregate import Agreement
    from agreements.domain.commands import DraftAgreement
    from agreements.domain.errors import RuleViolated

    class Taken:
        def agreement_exists(self, slug):
            return False

        def work_uri_taken(self, uri):
            return uri == "/akn/int/treaty/2010/held"

    with pytest.raises(RuleViolated) as refused:
        Agreement().decide(DraftAgreement(slug="other", title="t", kind="treaty",
                                          work_uri="/akn/int/treaty/2010/held"), Taken())
    assert refused.value.rule == "work_uri_taken"
