"""Plain-text import: a text copied from an official publication is split by its headings into clauses."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from agreements.queries.clauses import clauses_on
from agreements.importers import text
from registry.eventstore.models import StoredEvent


def rows(name):
    from .conftest import FIXTURES

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
        call_command("import_text", str(path), slug="un-charter-1945", title="Again", stdout=io.StringIO())
    assert StoredEvent.objects.count() == count


@pytest.mark.django_db
def test_dry_run_prints_the_preview_and_writes_nothing(tmp_path):
    from .conftest import FIXTURES

    count, out = StoredEvent.objects.count(), io.StringIO()
    call_command("import_text", str(FIXTURES / "text" / "accord-fr.txt"), slug="accord-test", title="Accord",
                 language="fr", dry_run=True, stdout=out)
    assert "art_1" in out.getvalue() and "would import accord-test" in out.getvalue()
    assert StoredEvent.objects.count() == count
