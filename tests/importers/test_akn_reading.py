"""Reading Akoma Ntoso files: each structure maps to clauses with the file's own eIds (no database)."""

import pytest

from agreements.importers import akn
from agreements.importers.documents import ImportRefused


def clauses(doc):
    return {c.eid: c for c in doc.clauses}


def test_an_act_keeps_its_work_uri_and_derives_a_stable_slug(akn_file):
    doc = akn.read(akn_file("act-2009.xml"))
    assert (doc.doc_type, doc.kind, doc.source_uri, doc.work_uri) == ("act", "act", "/akn/za/act/2009/10", "/akn/za/act/2009/10")
    assert doc.slug == "za-act-2009-10" == akn.read(akn_file("act-2012.xml")).slug


def test_title_dates_and_language_come_from_the_frbr_metadata(akn_file):
    doc = akn.read(akn_file("act-2009.xml"))
    assert (doc.title, doc.work_date, doc.expression_date, doc.language) == ("Test Waters Act", "2009-03-01", "2009-06-01", "en")


def test_lifecycle_event_refs_become_lifecycle_facts_where_they_map(akn_file):
    assert akn.read(akn_file("act-2009.xml")).lifecycle == [("signature", "2009-03-01"), ("entry_into_force", "2009-06-01")]


def test_sections_keep_their_original_eids_numbers_and_headings(akn_file):
    sec = clauses(akn.read(akn_file("act-2009.xml")))["sec_1"]
    assert (sec.number, sec.heading) == ("1.", "Definitions")


def test_containers_become_parent_clauses(akn_file):
    found = clauses(akn.read(akn_file("act-2009.xml")))
    assert found["part_1"].heading == "General" and found["part_1"].parent is None
    assert found["part_1__chp_1"].parent == "part_1"
    assert found["sec_1"].parent == "part_1__chp_1"
    assert found["sec_3"].parent == "part_2"


def test_content_below_a_unit_stays_in_its_text_with_numbering_and_lines(akn_file):
    found = clauses(akn.read(akn_file("act-2009.xml")))
    assert found["sec_2"].text.split("\n") == [
        "(1) The purpose of this Act is to protect test waters.",
        "(2) The Minister must—",
        "(a) keep a register; and",
        "(b) publish it yearly.",
    ]
    assert found["sec_1"].text.split("\n")[1] == '(a) "water" means any water, fresh or salt;'  # the footnote left out


def test_a_table_keeps_one_line_per_row(akn_file):
    assert clauses(akn.read(akn_file("act-2009.xml")))["sec_3"].text.split("\n")[1:] == ["Use | Fee", "Domestic | R10"]


def test_a_unit_without_content_is_kept_with_its_number_and_heading(akn_file):
    sec = clauses(akn.read(akn_file("act-2009.xml")))["sec_3A"]
    assert (sec.number, sec.heading, sec.text) == ("3A", "[Repealed]", "")


def test_preface_beyond_the_title_preamble_and_conclusions_are_kept(akn_file):
    found = clauses(akn.read(akn_file("act-2009.xml")))
    assert found["preface"].text == "To provide for the protection of test waters."
    assert found["preamble"].text.startswith("WHEREAS test waters")
    assert found["conclusions"].text == "Given under my hand at Cape Town."


def test_an_attachment_is_a_container_whose_eids_are_qualified(akn_file):
    found = clauses(akn.read(akn_file("act-2009.xml")))
    assert found["att_1"].heading == "Schedule of protected waters"
    assert found["att_1__hcontainer_1"].parent == "att_1"
    assert found["att_1__hcontainer_1"].text == "Lake One.\nRiver Two."


def test_a_treaty_doc_with_old_style_ids_and_line_breaks(akn_file):
    doc = akn.read(akn_file("treaty-doc.xml"))
    assert (doc.doc_type, doc.kind, doc.language) == ("doc", "treaty", "fr")
    found = clauses(doc)
    assert list(found) == ["art-1", "art-2"]  # the empty article 3 has nothing to keep
    assert found["art-1"].number == "Article 1."
    assert found["art-1"].text == "1. Les Parties coopèrent.\n2. Elles se consultent\nchaque année."


def test_a_bill_whose_top_unit_is_the_paragraph(akn_file):
    doc = akn.read(akn_file("bill.xml"))
    assert (doc.doc_type, doc.kind) == ("bill", "bill")
    assert [c.eid for c in doc.clauses] == ["para_1", "para_2"]
    assert clauses(doc)["para_2"].text == "A road authority shall—\n(a) maintain roads;\n(b) report defects."


def test_a_statement_with_loose_blocks_gets_unique_eids(akn_file):
    doc = akn.read(akn_file("statement.xml"))
    assert (doc.doc_type, doc.kind) == ("statement", "declaration")
    assert [c.eid for c in doc.clauses] == ["p_1", "hcontainer_1", "p_2"]


def test_a_document_collection_is_one_agreement_with_components_as_parts(akn_file):
    doc = akn.read(akn_file("collection.xml"))
    assert doc.title == "Test Treaty Package"
    assert [(c.eid, c.parent) for c in doc.clauses] == [
        ("cmp_1", None), ("cmp_1__art_1", "cmp_1"), ("cmp_2", None), ("cmp_2__art_1", "cmp_2")]
    assert clauses(doc)["cmp_2"].heading == "Additional Protocol"


def test_a_malformed_file_is_refused_naming_the_file_and_the_line(akn_file):
    with pytest.raises(ImportRefused) as err:
        akn.read(akn_file("malformed.xml"))
    assert err.value.line == 5 and "malformed.xml, line 5" in str(err.value)


def test_a_file_that_is_not_akoma_ntoso_is_refused(akn_file):
    with pytest.raises(ImportRefused) as err:
        akn.read(akn_file("not-akn.xml"))
    assert err.value.line == 2 and "not an Akoma Ntoso 3.0 file" in str(err.value)


def test_a_file_without_a_work_uri_is_refused(tmp_path):
    path = tmp_path / "nouri.xml"
    path.write_text('<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act><meta>\n'
                    '<identification source="#x"><FRBRWork/></identification></meta><body/></act></akomaNtoso>')
    with pytest.raises(ImportRefused, match="FRBRWork/FRBRuri"):
        akn.read(path)


@pytest.mark.parametrize("uri, slug", [
    ("/akn/int/treaty/2010/tr-az-strategic-partnership-2010", "tr-az-strategic-partnership-2010"),
    ("/akn/za-cpt/act/by-law/2001/outdoor-advertising", "za-cpt-act-by-law-2001-outdoor-advertising"),
    ("http://www.legislation.gov.uk/id/ukpga/2018/12", "ukpga-2018-12"),
    ("http://data.europa.eu/eli/reg/2023/2854/oj", "reg-2023-2854-oj"),
])
def test_slugs_are_derived_from_work_uris(uri, slug):
    assert akn.slug_for(uri) == slug


def test_a_work_uri_that_is_not_akoma_ntoso_gets_a_registry_uri_in_the_same_style():
    assert akn.registry_work_uri("http://www.legislation.gov.uk/id/ukpga/2018/12", "gb", "act",
                                 "ukpga-2018-12") == "/akn/gb/act/2018/ukpga-2018-12"
