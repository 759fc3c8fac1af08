"""What real documents do that the first importer got wrong in silence (tests/fixtures/akn/cases/ reproduces
each case in a small hand-written file): every one is imported faithfully or refused saying why, naming the
element and its line."""

import pytest

from agreements.importers import akn
from agreements.importers.documents import ImportRefused

from .conftest import FIXTURES


def case(name):
    return FIXTURES / "akn" / "cases" / name


def clauses(doc):
    return {c.eid: c for c in doc.clauses}


def refusal(path):
    with pytest.raises(ImportRefused) as err:
        akn.read(path)
    return err.value


def variant(tmp_path, name, *replacements):
    text = case(name).read_text()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text)
    return path


# ---- unfilled template metadata (the UK and Scottish Parliaments' drafting system)

def test_a_placeholder_work_uri_is_refused_naming_the_element_and_its_line():
    err = refusal(case("placeholder-bill.xml"))
    assert err.line == 9 and "FRBRWork/FRBRuri is '#varWorkUri'" in err.message


def test_a_placeholder_title_is_refused_naming_the_element(tmp_path):
    path = variant(tmp_path, "placeholder-bill.xml", ('"#varWorkUri"', '"/akn/gb-sct/bill/2024/7"'),
                   ('"9999-01-01"', '"2024-01-01"'))
    err = refusal(path)
    assert err.line == 30 and "docTitle" in err.message and "#varBillTitle" in err.message


def test_an_impossible_date_is_refused_naming_the_element(tmp_path):
    path = variant(tmp_path, "placeholder-bill.xml", ('"#varWorkUri"', '"/akn/gb-sct/bill/2024/7"'),
                   ("#varBillTitle", "Reporting Bill"))
    err = refusal(path)
    assert err.line == 10 and "FRBRWork/FRBRdate is '9999-01-01'" in err.message


def test_a_date_that_is_no_date_is_refused_not_dropped(tmp_path):
    path = variant(tmp_path, "eu-act-recitals.xml", ('<FRBRdate date="2024-06-13" name="adoption"/>\n          <FRBRauthor href="#ec"/>\n          <FRBRcountry',
                                                     '<FRBRdate date="2024-13-45" name="adoption"/>\n          <FRBRauthor href="#ec"/>\n          <FRBRcountry'))
    assert "FRBRWork/FRBRdate is '2024-13-45', not a date" in refusal(path).message


# ---- EU acts: recitals, sections grouping articles, tables

def test_recitals_and_citations_are_clauses_of_their_own_below_the_preamble():
    found = clauses(akn.read(case("eu-act-recitals.xml")))
    assert found["preamble"].text == ("THE EUROPEAN PARLIAMENT AND THE COUNCIL OF THE EUROPEAN UNION,\n"
                                      "HAVE ADOPTED THIS REGULATION:\nWhereas:")
    assert [(e, c.parent) for e, c in found.items() if e.startswith(("rct", "cit"))] == [
        ("cit_1", "preamble"), ("cit_2", "preamble"), ("rct_1", "preamble"), ("rct_2", "preamble"),
        ("rct_3", "preamble")]
    assert (found["rct_2"].number, found["rct_2"].text) == (
        "(2)", "This Regulation should be applied in accordance with Union values.")


def test_a_preamble_longer_than_a_clause_imports_recital_by_recital(tmp_path):
    recital = '<recital eId="rec_{n}"><num>({n})</num><p>{words}</p></recital>'
    many = "\n".join(recital.format(n=n, words="Whereas the test is long. " * 50) for n in range(4, 181))
    path = variant(tmp_path, "eu-act-recitals.xml", ("<intro><p>Whereas:</p></intro>", "<intro><p>Whereas:</p></intro>" + many))
    doc = akn.read(path)
    recitals = [c for c in doc.clauses if c.parent == "preamble" and c.eid.startswith(("rct_", "rec_"))]
    assert len(recitals) == 180 and sum(len(c.text) for c in recitals) > 227_000


def test_a_section_grouping_articles_is_a_container_of_article_clauses():
    found = clauses(akn.read(case("eu-act-recitals.xml")))
    assert (found["cpt_III__sec_1"].number, found["cpt_III__sec_1"].heading, found["cpt_III__sec_1"].parent) == (
        "SECTION 1", "Classification", "cpt_III")
    assert [(e, found[e].parent) for e in ("art_6", "art_7", "art_8")] == [
        ("art_6", "cpt_III__sec_1"), ("art_7", "cpt_III__sec_1"), ("art_8", "cpt_III__sec_2")]
    assert found["art_7"].text == "1. The Commission may amend Annex III."


def test_the_paragraphs_of_a_table_cell_are_words_apart():
    lines = clauses(akn.read(case("eu-act-recitals.xml")))["art_8"].text.split("\n")
    assert lines[1:] == ["1 Section number | Penalty", "2 Fines | The amount imposed for an infringement"]


# ---- parliament bulk data: cover page, long title, attachments without their wrapper

def test_a_document_in_attachments_without_a_wrapper_is_an_attachment_not_more_clauses():
    doc = akn.read(case("bill-bulk-data.xml"))
    assert [(c.eid, c.parent) for c in doc.clauses if c.eid.startswith("art") or c.eid.startswith("att")] == [
        ("art_1", None), ("art_2", None), ("att_1", None), ("att_1__hcontainer_1", "att_1"),
        ("att_1__art_1", "att_1")]
    assert clauses(doc)["att_1"].heading == "Explanatory report"


def test_the_cover_page_is_kept_without_its_page_furniture():
    assert clauses(akn.read(case("bill-bulk-data.xml")))["coverPage"].text == "Federal Assembly\nSession of spring 2023"


def test_the_long_title_names_the_document_when_there_is_no_doc_title():
    assert akn.read(case("bill-bulk-data.xml")).title == "Federal Act on the Testing of Bridges"


def test_a_collection_component_is_filled_from_the_document_its_ref_points_at():
    doc = akn.read(case("collection-refs.xml"))
    assert [(c.eid, c.parent, c.heading, c.text) for c in doc.clauses] == [  # no empty duplicate containers
        ("cmp_1", None, "Main agreement", ""), ("cmp_2", None, "Protocol", ""),
        ("cmp_1__art_1", "cmp_1", "", "Main first article."), ("cmp_2__art_1", "cmp_2", "", "Protocol first article.")]


# ---- DTDs, entities, duplicated eIds, size

def test_a_doctype_declaring_an_entity_is_refused_naming_the_entity_s_line():
    err = refusal(case("doctype-entity.xml"))
    assert err.line == 4 and "declares the entity 'minister'" in err.message


def test_billion_laughs_is_refused_at_the_first_entity_not_line_one(tmp_path):
    path = tmp_path / "lol.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n<lolz>&lol2;</lolz>\n')
    err = refusal(path)
    assert err.line == 3 and "DTDs and entities are refused" in err.message


def test_duplicated_eids_are_refused_naming_both_lines():
    err = refusal(case("duplicate-eids.xml"))
    assert err.line == 15 and "the eId 'sec_1' is used twice, on line 12 and on line 15" in err.message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.PACTA_AKN_MAX_BYTES = 1_000
    err = refusal(case("eu-act-recitals.xml"))
    assert "Akoma Ntoso files of at most 1000 bytes are imported (PACTA_AKN_MAX_BYTES)" in err.message


# ---- work identity

def test_a_consolidated_expression_names_the_same_work_as_the_original():
    original, consolidated = akn.read(case("es-law-2018.xml")), akn.read(case("es-law-2025-consolidated.xml"))
    assert consolidated.work_uri == original.work_uri == "/akn/es/act/2018/es-lo-2018-12-05-3"
    assert consolidated.slug == original.slug


def test_a_file_without_frbr_dates_is_read_with_none(tmp_path):
    path = tmp_path / "nodates.xml"
    path.write_text('<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act><meta>\n'
                    '<identification source="#x"><FRBRWork><FRBRuri value="/akn/za/act/2003/9"/></FRBRWork>'
                    '</identification></meta><body><section eId="sec_1"><p>One.</p></section></body></act></akomaNtoso>')
    doc = akn.read(path)
    assert (doc.work_date, doc.expression_date, doc.title) == (None, None, "nodates")


def test_an_article_quoted_in_an_amending_section_stays_its_text(tmp_path):
    path = variant(tmp_path, "duplicate-eids.xml", (
        '<!-- the body repeated, as a file made by pasting it twice -->\n      <section eId="sec_1"><num>1</num><content><p>First.</p></content></section>',
        '<section eId="sec_3"><num>3</num><content><p>Insert:</p><p><quotedStructure eId="sec_3__qstr_1">'
        '<article eId="sec_3__qstr_1__art_9"><num>9</num><content><p>Quoted.</p></content></article>'
        '</quotedStructure></p></content></section>'))
    found = clauses(akn.read(path))
    assert list(found) == ["sec_1", "sec_2", "sec_3"] and found["sec_3"].text == "Insert:\n9 Quoted."
