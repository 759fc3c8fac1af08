"""Search across languages, scripts and diacritics (agreements.domain.folding, agreements.queries.search), on
every database: the spellings readers of Turkish, Azerbaijani, Russian and English type find the same
agreements; clause texts in Turkish and Russian are also found by their stems on PostgreSQL."""

import pytest

from agreements import services
from agreements.domain.commands import parse_command
from agreements.domain.folding import fold, fold_word
from agreements.queries.search import SearchFilters, highlight_terms, search

pytestmark = pytest.mark.django_db

SHUSHA = "tr-az-shusha-declaration-2021"


def agreements_found(q):
    return [hit.slug for hit in search(SearchFilters(q=q), limit=200).hits]


@pytest.mark.parametrize("spelling", ["Şuşa", "Shusha", "Susa", "Шуша", "ŞUŞA", "shusha", "Şusha"])
def test_every_spelling_of_shusha_finds_the_shusha_declaration(spelling):
    assert SHUSHA in agreements_found(spelling)


@pytest.mark.parametrize("a, b", [("İstanbul", "istanbul"), ("ISPARTA", "ısparta"), ("Iğdır", "igdir"),
                                  ("TÜRKİYE", "türkiye"), ("Türkiye", "Turkiye"), ("çğıöşüə", "cgiosue"),
                                  ("Azərbaycan", "Azerbaycan"), ("Azerbaijan", "Азербайджан"),
                                  ("Azərbaycan", "Azerbaijan"), ("Xankəndi", "Ханкенди"), ("Khankendi", "Xankəndi")])
def test_turkish_case_diacritics_and_scripts_fold_to_one_key(a, b):
    assert fold(a) == fold(b)


def test_different_words_keep_different_keys():
    assert len({fold_word(w) for w in ["Şuşa", "Baku", "Ankara", "Gəncə", "shall", "sale"]}) == 6


@pytest.fixture
def in_four_languages():
    """A published agreement with an Azerbaijani title and clauses in Turkish, Russian and Azerbaijani."""
    slug = "four-languages-2021"

    def run(type_name, **fields):
        services.handle(parse_command(type_name, fields), slug=slug)

    run("DraftAgreement", slug=slug, title="Agreement on the Restoration of Ganja", kind="agreement",
        work_date="2021-01-01", titles={"az": "Gəncənin bərpası haqqında Saziş", "ru": "Соглашение о восстановлении"})
    run("AddClause", eid="art_1", number="1", text="Taraflar Türkiye Cumhuriyeti ile işbirliği yapar.",
        text_kind="official", language="tr", effective="2021-01-01")
    run("AddClause", eid="art_2", number="2", text="Стороны сотрудничают в Азербайджане и в городе Шуша.",
        text_kind="official", language="ru", effective="2021-01-01")
    run("AddClause", eid="art_3", number="3", text="Tərəflər Azərbaycan Respublikasında əməkdaşlıq edirlər.",
        text_kind="official", language="az", effective="2021-01-01")
    run("SubmitForReview")
    run("Publish", uncited_reason="test texts cite no source")
    return slug


def clauses_found(q, slug):
    return [hit.eid for hit in search(SearchFilters(q=q), limit=200).clauses if hit.slug == slug]


@pytest.mark.parametrize("q, eid", [("Türkiye", "art_1"), ("turkiye", "art_1"), ("TÜRKİYE", "art_1"),
                                    ("Azerbaijan", "art_2"), ("Azerbaycan", "art_3"), ("Azərbaycan", "art_3"),
                                    ("Shusha", "art_2"), ("Şuşa", "art_2"), ("sotrudnichaiut", "art_2"),
                                    ("işbirliği", "art_1"), ("isbirligi", "art_1"), ("emekdasliq", "art_3")])
def test_a_clause_is_found_in_its_own_language_from_any_spelling(in_four_languages, q, eid):
    assert eid in clauses_found(q, in_four_languages)


def test_a_cyrillic_word_finds_its_latin_transliteration(in_four_languages):
    assert "art_3" in clauses_found("Азербайджан", in_four_languages)  # Azərbaycan, written in Latin


def test_a_title_in_another_language_finds_the_agreement(in_four_languages):
    assert in_four_languages in agreements_found("Gəncənin")
    assert in_four_languages in agreements_found("gencenin")
    assert in_four_languages in agreements_found("восстановлении")


def test_a_word_finds_the_words_it_starts_turkish_suffixes_included(in_four_languages):
    assert "art_3" in clauses_found("Azerbaycan", in_four_languages)  # "Azərbaycan Respublikasında"
    assert "art_1" in clauses_found("Turkiye Cumhuriyet", in_four_languages)


def test_the_hit_is_highlighted_as_written_whatever_spelling_found_it():
    assert highlight_terms("Şuşa and Shusha, not Baku", ["Шуша"]) == [
        ("Şuşa", True), (" and ", False), ("Shusha", True), (", not Baku", False)]


@pytest.mark.parametrize("typed", ["Şuşq", "Shushq", "Шушк"])
def test_a_misspelt_shusha_is_corrected_to_the_registrys_spelling(typed):
    result = search(SearchFilters(q=typed))
    assert result.suggestion == "shusha"
    assert SHUSHA in [hit.slug for hit in result.hits]


def test_a_misspelling_in_another_script_is_corrected_in_the_registrys_script(in_four_languages):
    result = search(SearchFilters(q="Gəncənim"))
    assert result.suggestion == "gəncənin" and in_four_languages in [hit.slug for hit in result.hits]


@pytest.mark.postgres
def test_postgresql_finds_a_russian_clause_by_another_form_of_its_word(in_four_languages):
    assert "art_2" in clauses_found("сотрудничать", in_four_languages)  # the russian stem of "сотрудничают"


@pytest.mark.postgres
def test_postgresql_finds_a_turkish_clause_by_its_stem(in_four_languages):
    assert "art_1" in clauses_found("işbirliğini", in_four_languages)  # the turkish stem of "işbirliği"


@pytest.mark.postgres
def test_postgresql_indexes_azerbaijani_through_its_own_configuration():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('pacta_az', 'Tərəflər Şuşada')::text")
        assert cursor.fetchone()[0] == "'suşada':2 'tərəflər':1".replace("suşada", "susada")
