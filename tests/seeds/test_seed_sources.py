"""The seed facts completed from public sources: each source keeps the passage it is quoted from, so every quote
of it is checked on any installation; facts the sources disagree on are recorded in each version, each cited."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from agreements.projections.models import Citation
from agreements.queries.agreements import agreement_at
from agreements.seeding import SeedError, load_seeds, load_sources
from agreements.validation.citations import CHECKED, check_state
from sources.models import Source

pytestmark = pytest.mark.django_db
SEEDS = Path(settings.BASE_DIR) / "seeds"
SOURCES = yaml.safe_load((SEEDS / "reference" / "sources.yaml").read_text())
EXCERPTED = [s for s in SOURCES if s.get("excerpt")]


def facts(slug, party):
    return sorted((f.action, f.date) for f in agreement_at(slug).lifecycle if f.party == party)


def test_the_sources_read_for_the_seeds_keep_a_short_excerpt_with_address_and_reading_date():
    assert len(EXCERPTED) >= 15
    for item in EXCERPTED:
        source = Source.objects.get(key=item["key"])
        assert source.url.startswith(("http://", "https://")), item["key"]
        assert source.accessed == "2026-12-06", item["key"]
        assert source.publisher and source.title and source.perspective, item["key"]
        assert 0 < len(source.snapshot_text) <= 5000, item["key"]  # the passage quoted, never the page


def test_every_quote_of_an_excerpted_source_is_checked_against_its_excerpt():
    citations = Citation.objects.filter(source__key__in=[s["key"] for s in EXCERPTED]).select_related("source")
    assert citations.count() >= 60
    assert {c.citation_id: check_state(c) for c in citations} == {c.citation_id: CHECKED for c in citations}


def test_the_2010_agreement_is_signed_on_16_august_2010_and_its_places_disagree_in_the_sources():
    view = agreement_at("tr-az-strategic-partnership-2010")
    assert facts(view.slug, None) == [("signature", "2010-08-16")]
    assert view.work_date == "2010-08-16"
    assert view.place.startswith("Baku") and "Istanbul" in view.place
    place_sources = {c.source.key for c in view.citations if c.supports == "place"}
    assert place_sources == {"wikipedia-strategic-partnership-2010", "e-qanun-law-24-ivq-2010",
                             "trend-2010-12-17-ratification-bill", "today-az-2010-12-28", "1news-az-2010-12-28"}


def test_each_2010_ratification_is_one_fact_dated_by_every_day_its_sources_give_each_cited():
    slug = "tr-az-strategic-partnership-2010"
    # A party consents once (the domain refuses a second consent): where the sources disagree on the day, the
    # one fact is dated as EDTF's "one of a set" of the days they give, and every source is cited on it.
    assert facts(slug, "AZE") == [("ratification", "[2010-12-21,2010-12-22]")]
    assert facts(slug, "TUR") == [("ratification", "[2011-02-02,2011-02-17..2011-03-11]")]
    cited = {c.supports: set() for c in agreement_at(slug).citations}
    for c in agreement_at(slug).citations:
        cited[c.supports].add(c.source.key)
    assert {"wikipedia-strategic-partnership-2010", "today-az-2010-12-28", "sputnik-georgia-2011-03-11"} <= \
        cited["lifecycle:ratification:AZE"]
    assert {"wikipedia-strategic-partnership-2010", "sputnik-georgia-2011-03-11"} <= cited["lifecycle:ratification:TUR"]


def test_the_2010_agreement_reads_in_force_from_its_later_ratification_by_its_cited_rule():
    import datetime as dt

    from agreements.queries.time import TimePoint

    slug = "tr-az-strategic-partnership-2010"
    assert agreement_at(slug).status == "in_force"
    assert agreement_at(slug, TimePoint.of(dt.date(2011, 1, 15), None)).status != "in_force"
    assert "entry_into_force_rule" in {c.supports for c in agreement_at(slug).citations}


def test_the_2010_agreement_has_its_titles_languages_term_and_five_chapters_from_its_sources():
    view = agreement_at("tr-az-strategic-partnership-2010")
    assert view.titles == {"tr": "Stratejik Ortaklık ve Karşılıklı Yardım Anlaşması",
                           "az": "Azərbaycan Respublikası və Türkiyə Respublikası arasında strateji tərəfdaşlıq və "
                                 "qarşılıqlı yardım haqqında Müqavilə"}
    for words in ("five chapters", "humanitarian issues", "Azerbaijani and Turkish", "16 August 2030",
                  "ten years at a time"):
        assert words in " ".join(view.summary.split()), words
    assert [c.eid for c in view.clauses][:1] == ["preamble"]
    assert not [f for f in view.lifecycle if f.action == "entry_into_force"]  # no source read gives its date


def test_the_shusha_declaration_has_its_full_name_place_and_both_ratifications():
    view = agreement_at("tr-az-shusha-declaration-2021")
    assert view.title == ("Shusha Declaration on Allied Relations between the Republic of Azerbaijan and the "
                          "Republic of Turkey")
    assert view.place == "Shusha" and set(view.titles) == {"tr", "az"}
    assert facts(view.slug, "AZE") == [("ratification", "2022-02-01")]
    assert facts(view.slug, "TUR") == [("ratification", "2022-02-03")]
    assert facts(view.slug, None) == [("signature", "2021-06-15")]


def test_the_1918_treaty_is_listed_under_its_own_title_signed_at_batum():
    view = agreement_at("ottoman-az-1918")
    assert view.title == "Treaty of Friendship between the Imperial Ottoman Government and the Republic of Azerbaijan"
    assert view.kind == "treaty" and view.place == "Batum"
    assert facts(view.slug, None) == [("signature", "1918-06-04")]


def test_the_charter_enters_into_force_on_24_october_1945_under_article_110_cited_by_its_depositary():
    view = agreement_at("un-charter-1945")
    assert ("entry_into_force", "1945-10-24") in facts(view.slug, None)
    sources = {c.source.key for c in view.citations if c.supports == "lifecycle:entry_into_force"}
    assert {"state-gov-charter-status", "frus-1945-charter-in-force"} <= sources
    assert [d.depositary for d in view.depositaries] == ["Government of the United States of America"]


# Hostile sources: refused with the file, the key and the field named, nothing half-written.

def sources_file(tmp_path, **fields):
    item = {"key": "hostile", "title": "A title", "publisher": "P", "kind": "news", "url": "https://example.org/a",
            "excerpt": "A short passage.", **fields}
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump([item], allow_unicode=True))
    return path


def test_a_source_file_holding_a_nul_byte_is_refused_naming_its_line(tmp_path):
    # A NUL is refused as the file is read (every YAML file of the registry), before any field is looked at.
    for fields in ({"title": "a\x00b"}, {"excerpt": "before\x00after"}):
        with pytest.raises(SeedError) as refused:
            load_sources(sources_file(tmp_path, **fields), tmp_path)
        assert refused.value.field.startswith("line ")
        assert not Source.objects.filter(key="hostile").exists()


@pytest.mark.parametrize("fields, field_name", [
    ({"title": "T" * 10_000}, "title"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"url": "ftp://example.org/file"}, "url"),
    ({"excerpt": "word " * 2000}, "excerpt"),
    ({"kind": "rumour"}, "kind"),
    ({"title": ["not", "text"]}, "title"),
])
def test_a_hostile_source_is_refused_naming_its_field(tmp_path, fields, field_name):
    with pytest.raises(SeedError) as refused:
        load_sources(sources_file(tmp_path, **fields), tmp_path)
    assert refused.value.field == field_name and refused.value.slug == "hostile"
    assert len(str(refused.value)) < 1500
    assert not Source.objects.filter(key="hostile").exists()


def copy_of_seeds(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path / "seeds"


def test_a_seed_quote_not_in_its_sources_excerpt_stops_the_load_and_names_the_citation(tmp_path):
    seeds = copy_of_seeds(tmp_path)
    path = seeds / "agreements" / "ottoman-az-1918.yaml"
    path.write_text(path.read_text().replace('quote: "4 июня 1918 г., Батум", supports: place',
                                             'quote: "5 июня 1918 г., Батум", supports: place'))
    with pytest.raises(SeedError) as refused:
        load_seeds(seeds)
    assert refused.value.slug == "ottoman-az-1918"
    assert refused.value.field.endswith(".quote") and "aniarc-1918-treaty-text" in refused.value.message


def test_a_second_ratification_by_the_same_party_added_to_a_seed_file_is_refused_naming_the_rule(tmp_path):
    seeds = copy_of_seeds(tmp_path)
    path = seeds / "agreements" / "tr-az-shusha-declaration-2021.yaml"
    path.write_text(path.read_text().replace("clauses:\n", """  - action: ratification
    date: "2022-02-02"
    party: TUR
    citations:
      - {source: report-az-2022-06-15, locator: "para. 2", quote: "by the Grand National Assembly of Turkey"}
clauses:
""", 1))
    with pytest.raises(Exception) as refused:
        load_seeds(seeds)
    assert "consent_twice" in str(refused.value)
    assert facts("tr-az-shusha-declaration-2021", "TUR") == [("ratification", "2022-02-03")]


def test_a_ratification_dated_by_two_days_shows_both_days_and_each_note_once(client):
    import re

    html = client.get("/akn/int/treaty/2010/tr-az-strategic-partnership-2010/").content.decode()
    ids = re.findall(r'<details class="note" id="note-(\d+)">', html)
    assert ids and len(ids) == len(set(ids))  # no number shown twice
    assert "2010-12-21" in html or "21 December 2010" in html
    assert "2010-12-22" in html or "22 December 2010" in html


def test_the_charters_articles_read_in_document_order_on_page_api_akn_and_csv(client):
    import re

    order = ["preamble"] + [e for n in range(1, 20) for e in [f"chp_{n}"]][:0]  # built below from the text
    view = agreement_at("un-charter-1945")
    eids = [c.eid for c in view.clauses]
    articles = [e for e in eids if e.startswith("art_")]
    assert articles == [f"art_{n}" for n in range(1, 112)]
    assert eids[0] == "preamble" and [e for e in eids if e.startswith("chp_")] == [f"chp_{n}" for n in range(1, 20)]
    api = client.get("/api/v1/agreements/un-charter-1945/").json()
    assert [c["eid"] for c in api["clauses"]] == eids
    page = client.get("/akn/int/treaty/1945/un-charter-1945/").content.decode()
    assert [e for e in re.findall(r'id="(art_\d+)"', page)] == articles
    akn = client.get("/api/v1/agreements/un-charter-1945/?format=akn").content.decode()
    assert [e for e in re.findall(r'eId="(art_\d+)"', akn)] == articles
    csv = client.get("/data/agreements/un-charter-1945/articles.csv").content.decode()
    assert [e for e in re.findall(r"^(art_\d+),", csv, re.M)] == articles
    assert order == ["preamble"]


def test_the_charter_reads_as_its_1945_official_text_with_each_amendment_in_place_from_its_day():
    import datetime as dt

    from agreements.queries.clauses import clause_at
    from agreements.queries.time import TimePoint

    def text(eid, day):
        view = clause_at("un-charter-1945", eid, TimePoint.of(day))
        return view.current.text_kind, view.current.text

    assert text("art_23", dt.date(1950, 1, 1)) == (
        "official", text("art_23", dt.date(1965, 8, 30))[1])
    kind, words = text("art_23", dt.date(1950, 1, 1))
    assert kind == "official" and "consist of eleven Members" in words
    assert "consist of fifteen Members" in text("art_23", dt.date(1965, 8, 31))[1]
    assert "affirmative vote of seven members" in text("art_27", dt.date(1965, 8, 30))[1]
    assert "affirmative vote of nine members" in text("art_27", dt.date(1965, 8, 31))[1]
    assert "any seven members of the Security Council. Each" in text("art_109", dt.date(1968, 6, 11))[1]
    assert "any nine members of the Security Council. Each" in text("art_109", dt.date(1968, 6, 12))[1]
    assert "eighteen Members" in text("art_61", dt.date(1965, 8, 30))[1]
    assert text("art_61", dt.date(1970, 1, 1))[0] == "summary"  # its 1965 wording is in no copy found
    assert text("art_61", dt.date(1973, 9, 24)) [0] == "official"
    assert "fifty-four Members" in text("art_61", dt.date(1973, 9, 24))[1]
    assert text("preamble", dt.date(2000, 1, 1))[1].startswith("WE THE PEOPLES OF THE UNITED NATIONS DETERMINED")
    kind, words = text("art_51", dt.date(2000, 1, 1))
    assert kind == "official" and words.startswith("Nothing in the present Charter shall impair the inherent right")


def test_every_clause_of_the_imported_charter_is_cited_by_its_first_words_and_checked():
    citations = Citation.objects.filter(source__key="too-uncharter-1945").select_related("source")
    assert citations.count() == 131
    assert {check_state(c) for c in citations} == {CHECKED}


def test_a_page_and_an_api_answer_as_of_a_date_name_each_party_as_it_was_named_then(client):
    import datetime as dt

    from agreements.queries.time import TimePoint

    then = agreement_at("tr-az-strategic-partnership-2010", TimePoint.of(dt.date(2015, 1, 1)))
    assert {p.code: p.name for p in then.parties}["TUR"] == "Republic of Turkey"
    now = agreement_at("tr-az-strategic-partnership-2010")
    assert {p.code: p.name for p in now.parties}["TUR"] == "Republic of Türkiye"
    api = client.get("/api/v1/agreements/tr-az-strategic-partnership-2010/?as_of=2015-01-01").json()
    assert "Republic of Turkey" in str(api["parties"]) and "Türkiye" not in str(api["parties"])
    page = client.get("/akn/int/treaty/2010/tr-az-strategic-partnership-2010/@2015-01-01/").content.decode()
    parties = page[page.index('href="/parties/TUR/'):]
    assert parties[:parties.index("</a>")].endswith("Republic of Turkey")
