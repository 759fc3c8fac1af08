"""A clause's number and heading and the document's title are kept whole or refused: one longer than the
registry keeps (the domain's MAX_NUMBER, MAX_LINE) is refused naming the element and its line, never cut."""

import pytest

from agreements.domain.fields import MAX_LINE
from agreements.domain.vocabulary import MAX_NUMBER
from agreements.importers import akn
from agreements.importers.documents import ImportRefused


def variant(tmp_path, akn_file, old, new):
    text = akn_file("act-2009.xml").read_text()
    assert text.count(old) == 1
    path = tmp_path / "act.xml"
    path.write_text(text.replace(old, new))
    return path


def refusal(path):
    with pytest.raises(ImportRefused) as err:
        akn.read(path)
    return err.value


def test_a_unit_number_at_the_limit_is_kept_whole(tmp_path, akn_file):
    number = "1" * MAX_NUMBER
    doc = akn.read(variant(tmp_path, akn_file, "<num>1.</num>", f"<num>{number}</num>"))
    assert {c.eid: c for c in doc.clauses}["sec_1"].number == number


def test_a_unit_number_past_the_limit_is_refused_naming_its_line(tmp_path, akn_file):
    err = refusal(variant(tmp_path, akn_file, "<num>1.</num>", f"<num>{'1' * (MAX_NUMBER + 1)}</num>"))
    assert err.line == 54 and f"the number of <section> has {MAX_NUMBER + 1} characters" in err.message


def test_a_unit_heading_past_the_limit_is_refused(tmp_path, akn_file):
    err = refusal(variant(tmp_path, akn_file, "<heading>Definitions</heading>",
                          f"<heading>{'D' * (MAX_LINE + 1)}</heading>"))
    assert err.line == 54 and f"keeps at most {MAX_LINE}" in err.message


def test_a_container_heading_past_the_limit_is_refused_naming_the_heading(tmp_path, akn_file):
    err = refusal(variant(tmp_path, akn_file, "<heading>General</heading>", f"<heading>{'G' * (MAX_LINE + 1)}</heading>"))
    assert err.line == 50 and "the heading of <heading>" in err.message


def test_a_title_past_the_limit_is_refused_naming_its_line(tmp_path, akn_file):
    err = refusal(variant(tmp_path, akn_file, "<docTitle>Test Waters Act</docTitle>",
                          f"<docTitle>{'T' * (MAX_LINE + 1)}</docTitle>"))
    assert err.line == 40 and f"the title has {MAX_LINE + 1} characters" in err.message


def test_a_title_at_the_limit_is_kept_whole(tmp_path, akn_file):
    title = "T" * MAX_LINE
    assert akn.read(variant(tmp_path, akn_file, "<docTitle>Test Waters Act</docTitle>",
                            f"<docTitle>{title}</docTitle>")).title == title
