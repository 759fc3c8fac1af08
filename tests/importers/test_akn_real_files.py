"""Real Akoma Ntoso documents (tests/fixtures/akn/README.md names them and their licences): messy eIds,
units without number, `num` with trailing punctuation, a collection whose documents sit in root `components`."""

import collections
import io

import pytest
from django.core.management import call_command

from agreements.importers import akn

from .test_akn_round_trip import export, reimport, structure, valid

US_ACT = "real/us-public-law-112-61.xml"
EU_PROPOSAL = "real/eu-com-2013-619.xml"


def kinds(doc):
    return collections.Counter(c.eid.split("__")[-1].split("_")[0] for c in doc.clauses)


def test_the_us_public_law_maps_sections_preface_preamble_and_conclusions(akn_file):
    doc = akn.read(akn_file(US_ACT))
    assert (doc.doc_type, doc.work_uri, doc.expression_date, doc.language) == (
        "act", "/akn/us/act/2011-11-29/112-61", "2012-05-09", "en")
    assert doc.title.startswith("To facilitate the hosting in the United States of the 34th America's Cup")
    assert [c.eid for c in doc.clauses] == ["preface", "preamble", "sec_1", "sec_2", "page", "sec_3", "sec_4", "sec_5",
                                            "sec_6", "conclusions"]
    assert doc.lifecycle == [("entry_into_force", "2011-11-29")]


def test_the_us_public_law_keeps_numbers_as_written_and_nested_points_as_lines(akn_file):
    sec = {c.eid: c for c in akn.read(akn_file(US_ACT)).clauses}["sec_2"]
    assert (sec.number, sec.heading) == ("SEC. 2.", "DEFINITIONS.")
    lines = sec.text.split("\n")
    assert lines[0] == "In this Act:" and lines[2].startswith("(A) means the sailing competitions")
    assert len(lines) == 12  # intro, 4 points, 2 + 5 sub-points


def test_the_eu_proposal_is_one_agreement_with_its_three_component_documents(akn_file):
    doc = akn.read(akn_file(EU_PROPOSAL))
    assert (doc.doc_type, doc.work_uri) == ("documentCollection", "/akn/eu/documentCollection/COMproposal/ec/2013/619")
    components = [(c.eid, c.heading) for c in doc.clauses if c.parent is None and c.eid.startswith("cmp_")]
    assert components == [("cmp_1", "Explanatory memorandum"), ("cmp_2", "Proposal"), ("cmp_3", "Financial statement")]
    assert kinds(doc) == {"art": 24, "chp": 9, "tblock": 7, "preface": 4, "cmp": 3, "preamble": 1, "conclusions": 1,
                          "rec": 36, "cit": 5}  # recitals and citations are units of their own
    found = {c.eid: c for c in doc.clauses}
    assert found["cmp_2__art_24"].parent == "cmp_2__chp_IX" and found["cmp_2__chp_IX"].parent == "cmp_2"


@pytest.mark.django_db
@pytest.mark.parametrize("name, slug, clauses", [
    (US_ACT, "us-act-2011-11-29-112-61", 10), (EU_PROPOSAL, "eu-documentcollection-comproposal-ec-2013-619", 90)])
def test_real_files_import_export_valid_and_round_trip(akn_file, tmp_path, name, slug, clauses):
    out = io.StringIO()
    call_command("import_akn", str(akn_file(name)), "--publish", stdout=out)
    assert out.getvalue().splitlines()[-1].startswith(f"imported {slug} (new; {clauses} clauses,")
    first = export(slug)
    valid(first)
    uri = akn.read(akn_file(name)).work_uri
    second = reimport(first, uri, uri + "-copy", f"{slug}-copy", tmp_path)
    assert structure(second) == structure(first)
    assert len(structure(first)) == clauses
