"""Plain-text import: a text copied from an official publication is split by its headings into clauses."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from agreements.queries.clauses import clauses_on
from agreements.importers import text
from agreements.importers.documents import ImportRefused
from registry.eventstore.models import StoredEvent


from .conftest import FIXTURES


def rows(name):
    return text.split((FIXTURES / "text" / name).read_text())


def test_english_headings_become_clauses_with_eids_numbers_and_headings():
    found = {c.eid: c for c in rows("treaty-en.txt")}
    assert list(found) == ["preamble", "chp_1", "art_1", "art_2", "chp_2", "art_3"]
    assert (found["art_1"].number, found["art_1"].heading, found["art_1"].text) == (
        "1", "Purpose", "The Parties shall cooperate in good faith.")
    assert (found["art_2"].heading, found["art_2"].text) == (
        "Consultations", "1. The Parties shall consult each other.\n2. Consultations shall be held yearly.")
    assert (found["art_3"].number, found["art_3"].parent) == ("III", "chp_2")
    assert found["chp_1"].heading == "GENERAL PROVISIONS" and found["art_1"].parent == "chp_1"


def test_the_text_before_the_first_heading_is_the_preamble():
    assert rows("treaty-en.txt")[0].text.startswith("TREATY OF FRIENDSHIP (TEST TEXT)\nThe High Contracting Parties,")


def test_french_headings_including_article_premier():
    found = {c.eid: c for c in rows("accord-fr.txt")}
    assert list(found) == ["preamble", "art_1", "art_2"]
    assert (found["art_1"].number, found["art_1"].heading) == ("premier", "Objet")


@pytest.mark.parametrize("line, eid", [("Section 4", "sec_4"), ("Part 1", "part_1"), ("Partie II", "part_2"),
                                       ("Titre III", "title_3"), ("Chapitre 2", "chp_2"), ("Art. 12 bis", "art_12bis")])
def test_other_heading_forms(line, eid):
    assert text.split(f"{line}\nSome text.")[0].eid == eid


def test_a_sentence_that_begins_with_article_is_not_a_heading():
    assert [c.eid for c in text.split("Article 1\nAs provided in article 5 of the treaty.")] == ["art_1"]


def test_the_preview_shows_eid_number_heading_and_first_words():
    row = text.preview(rows("treaty-en.txt"), words=3)[2]
    assert (row.eid, row.number, row.heading, row.first_words) == ("art_1", "1", "Purpose", "The Parties shall …")


@pytest.mark.django_db
def test_import_text_writes_official_clauses_in_one_transaction(tmp_path):
    from .conftest import FIXTURES

    out = io.StringIO()
    call_command("import_text", str(FIXTURES / "text" / "treaty-en.txt"), slug="test-friendship-1950",
                 title="Treaty of Friendship", date="1950-05-01", stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("imported test-friendship-1950 (6 clauses,")
    found = clauses_on("test-friendship-1950", dt.date(1950, 5, 1))
    assert {c.text_kind for c in found.values()} == {"official"}
    assert found["art_2"].parent == "chp_1" and found["art_3"].parent == "chp_2"


@pytest.mark.django_db
def test_a_refused_text_writes_nothing(tmp_path):
    path = tmp_path / "dup.txt"
    path.write_text("Article 1\nOne.\n")
    count = StoredEvent.objects.count()
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_text", str(path), slug="un-charter-1945", title="Again", accept_warnings=True,
                     stdout=io.StringIO())
    assert StoredEvent.objects.count() == count


@pytest.mark.django_db
def test_dry_run_prints_the_preview_and_writes_nothing(tmp_path):
    from .conftest import FIXTURES

    count, out = StoredEvent.objects.count(), io.StringIO()
    call_command("import_text", str(FIXTURES / "text" / "accord-fr.txt"), slug="accord-test", title="Accord",
                 language="fr", dry_run=True, stdout=out)
    assert "art_1" in out.getvalue() and "would import accord-test" in out.getvalue()
    assert StoredEvent.objects.count() == count


# ---- real texts that were split wrong in silence

def test_spanish_headings_are_headings():
    found = {c.eid: c for c in rows("tratado-es.txt")}
    assert list(found) == ["preamble", "title_1", "title_1__chp_1", "art_1", "art_2", "sec_2", "art_3",
                           "title_1__chp_2", "art_4"]
    assert (found["art_2"].number, found["art_2"].heading, found["art_2"].text) == (
        "2", "Consultas", "Las Partes se consultarán anualmente.")
    assert (found["title_1__chp_1"].number, found["title_1__chp_1"].heading) == ("PRIMERO", "Objeto")
    assert found["art_1"].parent == "title_1__chp_1" and found["sec_2"].heading == "De la cooperación técnica"


def test_a_section_lettered_c_is_section_c_not_a_roman_hundred():
    found = {c.eid: c for c in rows("trade-wrapped.txt")}
    assert "sec_100" not in found and (found["sec_c"].number, found["sec_c"].heading) == ("C", "DISPUTE SETTLEMENT")


def test_a_wrapped_line_that_starts_with_an_article_reference_is_not_a_heading():
    found = {c.eid: c for c in rows("trade-wrapped.txt")}
    assert [e for e in found if e.startswith("art_")] == ["art_21-7", "art_21-8", "art_21-9"]
    assert found["art_21-7"].text.split("\n")[1:] == [
        "Article 21.8 (Consultations), and shall inform each other of any measure",
        "adopted under this Chapter and of the measures referred to in the", "Article 21.8 (a) of the Annex."]


def test_chapter_one_in_words_is_a_heading():
    found = {c.eid: c for c in rows("trade-wrapped.txt")}
    assert (found["chp_1"].number, found["chp_1"].heading) == ("ONE", "INITIAL PROVISIONS")


def test_a_heading_after_a_short_heading_line_is_still_a_heading():
    found = [c.eid for c in text.split("Article 1\nPurpose\nArticle 2 Consultations\nThey consult.")]
    assert found == ["art_1", "art_2"]


def test_a_text_that_yields_one_clause_is_warned_about():
    content = "Acuerdo\nArtikel 1\nDie Parteien arbeiten zusammen.\nArtikel 2\nDieses Abkommen tritt in Kraft."
    found = text.warnings(content, text.split(content))
    assert found[0].startswith("Only 0 clauses besides the preamble")
    assert "2 lines look like headings in a language the splitter does not read (line 2: “Artikel 1”)" in found[1]


def test_far_fewer_articles_than_their_numbers_announce_is_warned_about():
    content = "Article 1\nOne.\nArticle 2\nTwo.\nArtikel 3\nDrei.\nArtikel 4\nVier.\nArticle 12\nTwelve."
    assert any("number up to 12, but only 3 articles" in w for w in text.warnings(content, text.split(content)))


def test_a_well_split_text_has_no_warning():
    content = (FIXTURES / "text" / "treaty-en.txt").read_text()
    assert text.warnings(content, text.split(content)) == []


def test_a_nul_byte_is_refused_naming_the_line():
    with pytest.raises(ImportRefused) as err:
        text.split("Article 1\nOne.\nArticle 2\nT\x00wo.", file="t.txt")
    assert str(err.value).startswith("t.txt, line 4: a NUL character")


@pytest.mark.django_db
def test_import_text_refuses_a_nul_byte_naming_file_and_line_and_writes_nothing(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_text("Article 1\nOne.\nArticle 2\nT\x00wo.\n")
    count = StoredEvent.objects.count()
    with pytest.raises(CommandError, match=r"nul.txt, line 4: a NUL character"):
        call_command("import_text", str(path), slug="nul-test", title="Nul", stdout=io.StringIO())
    assert StoredEvent.objects.count() == count


@pytest.mark.django_db
def test_import_text_shows_the_warnings_and_writes_nothing_unless_accepted(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("Convenio entre las Partes.\nLas Partes cooperarán.\n")
    count, out = StoredEvent.objects.count(), io.StringIO()
    with pytest.raises(CommandError, match="--accept-warnings"):
        call_command("import_text", str(path), slug="one-clause", title="Uno", stdout=out)
    assert "WARNING: Only 0 clauses" in out.getvalue() and StoredEvent.objects.count() == count
    call_command("import_text", str(path), slug="one-clause", title="Uno", accept_warnings=True, stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("imported one-clause (1 clauses,")
