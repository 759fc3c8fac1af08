"""Reads as of a valid date and as known at a record time, on the seeded 2010 agreement."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements import services
from agreements.queries import NotFound
from agreements.queries.agreements import agreement_at
from agreements.queries.clauses import clause_at, clause_version_at
from agreements.domain.commands import parse_command
from agreements.queries.time import TimePoint

pytestmark = pytest.mark.django_db
SLUG = "tr-az-strategic-partnership-2010"


def do(type_, slug=SLUG, **fields):
    return services.handle(parse_command(type_, fields), slug=slug)


def text_of(eid, as_of=None, known_at=None, slug=SLUG):
    view = clause_at(slug, eid, TimePoint.of(as_of, known_at))
    return view.current.text if view.current else None


def test_the_seeded_agreement_reads_as_published():
    view = agreement_at(SLUG)
    assert [c.eid for c in view.clauses] == ["preamble", "art_1", "art_2", "art_9"]
    assert {p.code for p in view.parties} == {"TUR", "AZE"}
    assert view.status == "in_force"  # from its later ratification, by its cited entry-into-force rule
    assert view.work_uri == "/akn/int/treaty/2010/tr-az-strategic-partnership-2010"


def test_an_amendment_applies_from_its_effective_date_only():
    original = text_of("art_2")
    do("AmendClause", eid="art_2", text="Assistance by all means.", effective="2016-01-01")
    assert text_of("art_2", as_of=dt.date(2015, 1, 1)) == original
    assert text_of("art_2", as_of=dt.date(2016, 1, 1)) == "Assistance by all means."


def test_an_amendment_recorded_late_but_effective_earlier_is_inserted_in_valid_time():
    do("AmendClause", eid="art_2", text="From 2018.", effective="2018")
    do("AmendClause", eid="art_2", text="From 2014.", effective="2014")
    assert text_of("art_2", as_of=dt.date(2015, 6, 1)) == "From 2014."
    assert text_of("art_2", as_of=dt.date(2019, 1, 1)) == "From 2018."
    versions = clause_at(SLUG, "art_2").versions
    assert [v.valid_to.year if v.valid_to else None for v in versions] == [2014, 2018, None]


def test_known_at_shows_what_the_registry_said_before_a_later_change():
    before = timezone.now()
    original = text_of("art_2")
    do("AmendClause", eid="art_2", text="Amended.", effective="2012")
    assert text_of("art_2", as_of=dt.date(2020, 1, 1), known_at=before) == original
    assert text_of("art_2", as_of=dt.date(2020, 1, 1)) == "Amended."


def test_a_correction_supersedes_in_record_time_and_keeps_the_old_reading():
    result = do("AmendClause", eid="art_2", text="Mistyped text.", effective="2012")
    after_typo = timezone.now()
    do("CorrectEvent", event_id=str(result.events[0].event_id), reason="Typo in the transcription",
       corrections={"text": "Corrected text."})
    assert text_of("art_2", as_of=dt.date(2020, 1, 1)) == "Corrected text."
    assert text_of("art_2", as_of=dt.date(2020, 1, 1), known_at=after_typo) == "Mistyped text."


def test_a_repealed_clause_disappears_from_its_repeal_date():
    do("RepealClause", eid="art_9", effective="2020-01-01")
    assert "art_9" in [c.eid for c in agreement_at(SLUG, TimePoint.of(dt.date(2019, 12, 31))).clauses]
    assert "art_9" not in [c.eid for c in agreement_at(SLUG, TimePoint.of(dt.date(2020, 1, 1))).clauses]
    assert clause_at(SLUG, "art_9", TimePoint.of(dt.date(2021, 1, 1))).current.repealed


def test_before_its_date_the_agreement_did_not_exist_yet():
    view = agreement_at(SLUG, TimePoint.of(dt.date(2009, 1, 1)))
    assert not view.existed
    assert view.clauses == []
    assert view.status == "no_dated_fact"


def test_status_follows_the_lifecycle_on_the_requested_date():
    do("RecordLifecycle", action="entry_into_force", date="2011-01-25")
    assert agreement_at(SLUG, TimePoint.of(dt.date(2010, 12, 1))).status == "signed"
    assert agreement_at(SLUG, TimePoint.of(dt.date(2011, 2, 1))).status == "in_force"


def test_renumbered_clause_answers_to_its_new_eid_from_the_change():
    do("RenumberClause", eid="art_9", new_eid="art_10", number="10", effective="2015")
    assert clause_at(SLUG, "art_10").current.number == "10"
    assert clause_at(SLUG, "art_9", TimePoint.of(dt.date(2012, 1, 1))).current.eid == "art_9"


def test_incoming_references_are_shown_on_the_target():
    view = clause_at("un-charter-1945", "art_51")
    assert [(r.agreement.slug, r.eid) for r in view.references_in] == [(SLUG, "art_2")]


def test_relations_are_indexed_both_ways():
    view = agreement_at(SLUG)
    assert ("refers_to", "tr-az-shusha-declaration-2021") in [(r.relation, r.agreement.slug) for r in view.relations_in]


def test_drafts_are_invisible_unless_asked_for():
    services.handle(parse_command("DraftAgreement", {"slug": "draft-only", "title": "Draft", "kind": "memorandum"}))
    with pytest.raises(NotFound):
        agreement_at("draft-only")
    assert agreement_at("draft-only", include_unpublished=True).publication == "draft"


def test_known_at_before_the_agreement_was_recorded_is_not_found():
    with pytest.raises(NotFound):
        agreement_at(SLUG, TimePoint.of(known_at=timezone.now() - dt.timedelta(days=3650)))


def test_as_of_read_of_one_clause_is_a_single_query(django_assert_num_queries):
    clause_id = clause_at(SLUG, "art_2").clause_id
    with django_assert_num_queries(1):
        clause_version_at(clause_id, TimePoint.of())


def test_agreement_read_costs_the_same_queries_with_more_clauses(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        agreement_at(SLUG)
    for n in range(20):
        do("AddClause", eid=f"art_{100 + n}", text=f"Article {100 + n}.", text_kind="summary", effective="2010")
    with CaptureQueriesContext(connection) as many:
        agreement_at(SLUG)
    assert len(many) == len(few)
