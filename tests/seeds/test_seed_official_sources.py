"""Seed facts read in the parties' own publications (Azerbaijan's legal database, its President's site, a state
treaty series) beside the news reports: each kept as the excerpt it is quoted from, so every quote is checked,
and where they disagree with the reports both stay cited."""

import pytest

from agreements.projections.models import Citation
from agreements.queries.agreements import agreement_at
from agreements.queries.clauses import clause_at
from agreements.validation.citations import CHECKED, check_state
from sources.models import Source

pytestmark = pytest.mark.django_db
STRATEGIC = "tr-az-strategic-partnership-2010"
SHUSHA = "tr-az-shusha-declaration-2021"
CHARTER = "un-charter-1945"
OFFICIAL = ["e-qanun-law-24-ivq-2010", "president-az-shusha-declaration-ru", "ats-1968-11-charter-amendments-1963"]


def cited(slug, supports, source):
    return list(Citation.objects.filter(agreement__slug=slug, supports=supports, source__key=source))


def test_the_parties_own_publications_are_kept_as_official_texts_with_their_address_and_reading_date():
    for key in OFFICIAL:
        source = Source.objects.get(key=key)
        assert source.kind == "official_text", key
        assert source.url.startswith("http") and source.accessed == "2026-12-06", key
        assert 0 < len(source.snapshot_text) <= 5000, key  # the passage quoted, never the page


def test_every_quote_of_the_official_publications_is_checked_against_its_excerpt():
    citations = Citation.objects.filter(source__key__in=OFFICIAL).select_related("source")
    assert citations.count() >= 10
    assert {c.citation_id: check_state(c) for c in citations} == {c.citation_id: CHECKED for c in citations}


def test_azerbaijans_approving_law_places_the_2010_signature_at_baku_beside_the_reports_saying_istanbul():
    [law] = cited(STRATEGIC, "place", "e-qanun-law-24-ivq-2010")
    assert "Bakı şəhərində imzalanmış" in law.quote
    assert cited(STRATEGIC, "place", "1news-az-2010-12-28")  # the other version stays cited
    assert agreement_at(STRATEGIC).place.startswith("Baku") and "Istanbul" in agreement_at(STRATEGIC).place


def test_azerbaijans_ratification_keeps_both_days_the_law_giving_21_december_and_the_reports_22():
    [fact] = [f for f in agreement_at(STRATEGIC).lifecycle if f.party == "AZE"]
    assert fact.date == "[2010-12-21,2010-12-22]"
    law = " ".join(c.quote for c in cited(STRATEGIC, "lifecycle:ratification:AZE", "e-qanun-law-24-ivq-2010"))
    assert "21.12.2010" in law and "21 dekabr 2010" in law
    assert "22 декабря 2010" in cited(STRATEGIC, "lifecycle:ratification:AZE", "1news-az-2010-12-28")[0].quote


def test_the_2010_agreements_azerbaijani_title_is_the_one_its_approving_law_gives():
    title = agreement_at(STRATEGIC).titles["az"]
    assert title.endswith("qarşılıqlı yardım haqqında Müqavilə")
    assert title in " ".join(Source.objects.get(key="e-qanun-law-24-ivq-2010").snapshot_text.split())
    assert cited(STRATEGIC, "titles", "wikipedia-strategic-partnership-2010")  # its other name stays cited


def test_the_approving_laws_official_publication_is_cited_and_no_entry_into_force_is_invented():
    quotes = [c.quote for c in cited(STRATEGIC, "", "e-qanun-law-24-ivq-2010")]
    assert any("20-01-2011" in q for q in quotes) and any("31-01-2011" in q for q in quotes)
    assert not [f for f in agreement_at(STRATEGIC).lifecycle if f.action == "entry_into_force"]


def test_the_shusha_declaration_is_based_on_the_2010_treaty_as_its_published_preamble_says():
    relations = {(r.relation, r.target_slug) for r in agreement_at(SHUSHA).relations_out}
    assert ("based_on", STRATEGIC) in relations
    assert ("refers_to", STRATEGIC) in relations  # the analysis's parallel, cited apart
    [official] = cited(SHUSHA, f"relation:based_on>{STRATEGIC}", "president-az-shusha-declaration-ru")
    assert "16 августа 2010 года" in official.quote


def test_the_shusha_declarations_preamble_comes_first_as_a_cited_summary_of_the_treaties_it_names():
    clauses = agreement_at(SHUSHA).clauses
    assert [c.eid for c in clauses][:1] == ["preamble"]
    preamble = clauses[0]
    assert preamble.text_kind == "summary"
    for words in ("Treaty of Kars", "9 February 1994", "16 August 2010"):
        assert words in " ".join(preamble.text.split()), words
    assert {c.source.key for c in Citation.objects.filter(agreement__slug=SHUSHA, supports="preamble")} == {
        "president-az-shusha-declaration-ru", "trend-2021-06-16-shusha-full-text"}


def test_the_shusha_declarations_turkish_title_is_the_one_the_turkish_presidency_sent_to_parliament():
    title = agreement_at(SHUSHA).titles["tr"]
    assert title == "Türkiye Cumhuriyeti ile Azerbaycan Cumhuriyeti Arasında Müttefiklik İlişkileri Hakkında Şuşa Beyannamesi"
    assert cited(SHUSHA, "titles", "lidergazete-2022-shusha-tbmm")
    assert cited(SHUSHA, "titles", "trt-avaz-2022-02-01")  # the Azerbaijani law's title in Turkish, still cited


def test_both_presidents_approvals_are_cited_on_each_day_a_source_gives_and_not_recorded_as_consents():
    quotes = " ".join(c.quote for c in Citation.objects.filter(agreement__slug=SHUSHA, supports=""))
    assert "Fevralın 11-də" in quotes and "В субботу" in quotes  # Erdoğan: 11 February, or Saturday 12 February
    assert "12 fevral 2022" in quotes  # Aliyev's signature of the approving law
    assert sorted((f.action, f.party) for f in agreement_at(SHUSHA).lifecycle) == [
        ("ratification", "AZE"), ("ratification", "TUR"), ("signature", None)]


def test_the_1965_articles_23_and_27_are_cited_in_the_words_of_resolution_1991_a_and_checked():
    for eid, words in (("art_23", "two of the four additional members"), ("art_27", '"seven"')):
        quotes = cited(CHARTER, eid, "ats-1968-11-charter-amendments-1963")
        assert quotes and all(check_state(c) == CHECKED for c in quotes), eid
        assert any(words in c.quote for c in quotes), eid
    assert cited("un-charter-amendments-1963", "lifecycle:adoption", "ats-1968-11-charter-amendments-1963")


def test_article_61_as_amended_in_1965_stays_a_summary_while_no_source_gives_its_words():
    [version] = [v for v in clause_at(CHARTER, "art_61").versions if v.effective == "1965-08-31"]
    assert version.text_kind == "summary"
    assert "not found" in version.text


def test_the_charter_is_recorded_in_english_only_rather_than_in_part_of_another_language():
    for eid in ("preamble", "art_1", "art_23", "art_51"):
        assert clause_at(CHARTER, eid).languages == ["en"], eid
