"""The seed agreements: loaded through the commands, idempotent, every fact cited."""

import io
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from agreements.queries.agreements import agreement_at
from agreements.queries.clauses import clause_at
from agreements.projections.models import AgreementRecord
from agreements.projections.rebuild import projection_hash
from registry.eventstore.models import StoredEvent
from agreements.models import Citation

pytestmark = pytest.mark.django_db
SEEDS = Path(settings.BASE_DIR) / "seeds" / "agreements"


def load():
    out = io.StringIO()
    call_command("load_seeds", stdout=out, stderr=io.StringIO())
    return next(line for line in out.getvalue().splitlines() if line.startswith("appended"))


def test_seeds_load_without_their_source_texts_with_no_warning_and_one_line_saying_so(tmp_path, settings, recwarn):
    settings.PACTA_SOURCE_TEXTS = tmp_path  # a clean clone: no source texts beside it
    out, err = io.StringIO(), io.StringIO()
    call_command("load_seeds", stdout=out, stderr=err)
    assert not [str(w.message) for w in recwarn]
    [line] = [line for line in out.getvalue().splitlines() if "no stored text" in line]
    assert "usc-dornsife-2023" in line and str(tmp_path) in line


def test_the_summary_line_comes_last_after_the_line_about_source_texts(tmp_path, settings):
    settings.PACTA_SOURCE_TEXTS = tmp_path
    out = io.StringIO()
    call_command("load_seeds", stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert any("no stored text" in line for line in lines[:-1])
    assert lines[-1].startswith("appended ")


def test_the_test_session_reads_source_texts_from_the_tests_own_fixtures_never_shared():
    assert Path(settings.PACTA_SOURCE_TEXTS) == Path(__file__).resolve().parents[1] / "fixtures" / "sources"


def test_a_second_load_appends_nothing_and_keeps_the_hash():
    before = projection_hash(), StoredEvent.objects.count()
    assert load() == "appended 0 events"
    assert (projection_hash(), StoredEvent.objects.count()) == before


def test_every_seed_file_is_one_published_agreement():
    slugs = {yaml.safe_load(p.read_text())["slug"] for p in SEEDS.glob("*.yaml")}
    assert slugs == set(AgreementRecord.objects.filter(publication="published").values_list("slug", flat=True))
    assert len(slugs) >= 17


@pytest.mark.parametrize("slug", [
    "ottoman-az-1918", "tr-az-military-education-1992", "tr-az-military-training-1996",
    "tr-az-military-assistance-2001", "tr-az-strategic-partnership-2010", "tr-az-defence-industry-2017",
    "tr-az-shusha-declaration-2021", "un-charter-1945",
])
def test_the_named_agreements_are_seeded(slug):
    assert agreement_at(slug).title


def test_the_1918_pact_has_the_predecessor_states_as_parties():
    view = agreement_at("ottoman-az-1918")
    assert {p.code for p in view.parties} == {"OTTOMAN", "ADR"}
    assert [c.eid for c in view.clauses] == ["art_1", "art_4"]
    assert {c.text_kind for c in view.clauses} == {"summary"}


def test_article_2_of_2010_points_at_article_51_of_the_un_charter():
    refs = clause_at("tr-az-strategic-partnership-2010", "art_2").references_out
    assert [(r.target_slug, r.target_eid) for r in refs] == [("un-charter-1945", "art_51")]


def test_every_clause_party_and_lifecycle_fact_has_a_citation():
    for record in AgreementRecord.objects.all():
        view = agreement_at(record.slug)
        supported = {c.supports for c in view.citations}
        assert "title" in supported or "" in supported, record.slug
        for clause in view.clauses:
            assert clause.eid in supported, (record.slug, clause.eid)
        for party in view.parties:
            assert f"party:{party.code}" in supported, (record.slug, party.code)
        for fact in view.lifecycle:
            subject = f"lifecycle:{fact.action}" + (f":{fact.party}" if fact.party else "")
            assert subject in supported, (record.slug, subject)


def test_citations_carry_a_short_quote_and_a_locator():
    for citation in Citation.objects.all():
        assert citation.locator and citation.quote
        assert len(citation.quote.split()) <= 25


def test_relations_named_by_the_sources_are_seeded():
    assert ("supplements", "tr-az-defence-industry-2017") in [
        (r.relation, r.target_slug) for r in agreement_at("tr-az-military-financial-cooperation-2020").relations_out
    ]
    assert "tr-az-strategic-partnership-2010" in [
        r.target_slug for r in agreement_at("tr-az-shusha-declaration-2021").relations_out
    ]


def test_a_relation_no_source_names_says_in_its_note_that_it_is_inferred():
    [relation] = [r for r in agreement_at("az-mod-tur-tgs-financial-assistance-2001").relations_out
                  if r.target_slug == "tr-az-military-assistance-2001"]
    assert "inferred" in relation.note and "not stated" in relation.note


def test_seeds_are_events_recorded_by_the_system_actor():
    drafted = StoredEvent.objects.filter(type="AgreementDrafted")
    assert drafted.count() == AgreementRecord.objects.count()
    assert set(drafted.values_list("actor", flat=True)) == {"system"}
