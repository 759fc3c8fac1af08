"""Importing real-world cases (tests/fixtures/akn/cases/): works are their URIs, expressions are ordered by their
dates whatever the order of import, a slug is never taken twice, and what is imported reads back right."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from agreements import services
from agreements.domain import commands
from agreements.importers import akn
from agreements.importers.documents import ImportRefused
from agreements.importers.loading import load
from agreements.projections.rebuild import projection_hash, rebuild
from agreements.queries.agreements import agreement_for_work
from agreements.queries.clauses import clauses_on
from registry.eventstore.models import StoredEvent

from .conftest import FIXTURES
from .test_akn_round_trip import export, structure, valid

pytestmark = pytest.mark.django_db
ES_WORK = "/akn/es/act/2018/es-lo-2018-12-05-3"


def case(name):
    return FIXTURES / "akn" / "cases" / name


def import_akn(*files):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_akn", *map(str, files), stdout=out, stderr=err)
    except CommandError:
        pass
    return out.getvalue(), err.getvalue()


def es_clauses(day):
    return clauses_on(agreement_for_work(ES_WORK).slug, day, "es")


def test_a_consolidated_expression_imported_after_the_original_is_its_later_expression():
    import_akn(case("es-law-2018.xml"), case("es-law-2025-consolidated.xml"))
    assert agreement_for_work("/akn/es/act/2025/es-lo-2018-12-05-3") is None  # one work, not two
    before, after = es_clauses(dt.date(2019, 1, 1)), es_clauses(dt.date(2025, 6, 1))
    assert sorted(before) == ["art_1", "art_2", "art_3"] and sorted(after) == ["art_1", "art_2", "art_4"]
    assert after["art_1"].change == "amended" and "garantizar" in after["art_1"].text


def test_the_original_imported_after_its_consolidation_becomes_its_earlier_version():
    import_akn(case("es-law-2025-consolidated.xml"))
    out, err = import_akn(case("es-law-2018.xml"))
    assert err == ""
    before, after = es_clauses(dt.date(2019, 1, 1)), es_clauses(dt.date(2025, 6, 1))
    assert sorted(before) == ["art_1", "art_2", "art_3"] and sorted(after) == ["art_1", "art_2", "art_4"]
    assert before["art_1"].text == "Esta ley tiene por objeto proteger los datos de prueba."
    assert after["art_1"].change == "amended" and "garantizar" in after["art_1"].text
    assert before["art_2"].effective == "2018-12-06" and after["art_2"].event_id == before["art_2"].event_id
    assert es_clauses(dt.date(2018, 12, 5)) == {}


def test_the_original_imported_after_its_consolidation_reads_as_if_imported_in_order():
    import_akn(case("es-law-2025-consolidated.xml"), case("es-law-2018.xml"))
    reversed_order = {d: {e: (c.text, c.valid_from) for e, c in es_clauses(d).items()}
                      for d in (dt.date(2019, 1, 1), dt.date(2025, 6, 1))}
    assert set(reversed_order[dt.date(2025, 6, 1)]) == {"art_1", "art_2", "art_4"}  # one work, both expressions
    assert reversed_order == _imported_in_order()


def test_the_earlier_version_projects_as_a_rebuild_of_its_events_would():
    import_akn(case("es-law-2025-consolidated.xml"), case("es-law-2018.xml"))
    before = projection_hash()
    rebuild()
    assert projection_hash() == before


def test_importing_the_original_again_after_it_became_the_earlier_version_appends_nothing():
    import_akn(case("es-law-2025-consolidated.xml"), case("es-law-2018.xml"))
    count = StoredEvent.objects.count()
    out, err = import_akn(case("es-law-2018.xml"), case("es-law-2025-consolidated.xml"))
    assert err == "" and StoredEvent.objects.count() == count


def _imported_in_order():
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp())
    out = {}
    for name in ("es-law-2018.xml", "es-law-2025-consolidated.xml"):  # the same work under another URI
        path = folder / name
        path.write_text(case(name).read_text().replace("2018/12/05/3", "2018/12/05/4"))
        import_akn(path)
    slug = agreement_for_work("/akn/es/act/2018/es-lo-2018-12-05-4").slug
    for day in (dt.date(2019, 1, 1), dt.date(2025, 6, 1)):
        out[day] = {e: (c.text, c.valid_from) for e, c in clauses_on(slug, day, "es").items()}
    return out


def test_an_expression_between_two_held_ones_that_differs_is_refused_saying_why(tmp_path):
    import_akn(case("es-law-2018.xml"), case("es-law-2025-consolidated.xml"))
    count = StoredEvent.objects.count()
    between = tmp_path / "es-law-2020.xml"
    between.write_text(case("es-law-2018.xml").read_text().replace("2018-12-06", "2020-01-01").replace(
        "20181206", "20200101").replace("proteger los datos", "proteger siempre los datos"))
    out, err = import_akn(between)
    assert "older than the expression of the same work the registry already holds from 2025-06-01" in err
    assert "oldest first" in err and StoredEvent.objects.count() == count


def test_an_older_expression_imported_again_after_a_newer_one_appends_nothing():
    import_akn(case("es-law-2018.xml"), case("es-law-2025-consolidated.xml"))
    count = StoredEvent.objects.count()
    out, err = import_akn(case("es-law-2018.xml"))
    assert err == "" and "(existing; 3 clauses, 0 events)" in out and StoredEvent.objects.count() == count


def test_a_work_imported_under_its_former_date_derived_uri_is_found_again():
    doc = akn.read(case("es-law-2025-consolidated.xml"))
    doc.work_uri = doc.former_work_uri  # as the earlier importer stored it: /akn/es/act/2025/...
    assert doc.work_uri == "/akn/es/act/2025/es-lo-2018-12-05-3"
    load(doc)
    out, err = import_akn(case("es-law-2025-consolidated.xml"))
    assert "(existing; 3 clauses, 0 events)" in out


def test_a_third_work_whose_suffixed_slug_is_taken_gets_a_free_slug(akn_file):
    """Three works with the same file URI (a template's) and different registry URIs: the second takes the
    suffixed slug, the third used to take it again and crash after the bulk load skipped it in silence."""
    slugs = []
    for year in (2021, 2022, 2023):
        doc = akn.read(akn_file("bill.xml"))
        doc.work_uri = f"/akn/ke/bill/{year}/7"
        slugs.append(load(doc).slug)
    assert len(set(slugs)) == 3 and slugs[0] == "ke-bill-2021-7"
    assert [agreement_for_work(f"/akn/ke/bill/{y}/7").slug for y in (2021, 2022, 2023)] == slugs


def test_the_bulk_path_refuses_a_taken_slug_when_asked_instead_of_skipping_it():
    draft = commands.parse_command("DraftAgreement", {"slug": "un-charter-1945", "title": "Again", "kind": "treaty"})
    with pytest.raises(services.BulkRefused) as err:
        services.handle_bulk([services.NewAgreement("un-charter-1945", [draft])], taken="refuse")
    assert err.value.error.rule == "agreement_exists"
    assert services.handle_bulk([services.NewAgreement("un-charter-1945", [draft])]).skipped == ["un-charter-1945"]


def test_a_placeholder_bill_writes_nothing():
    count = StoredEvent.objects.count()
    out, err = import_akn(case("placeholder-bill.xml"))
    assert "line 9: FRBRWork/FRBRuri is '#varWorkUri'" in err and StoredEvent.objects.count() == count


def test_an_eu_act_with_recitals_and_sections_imports_exports_valid_and_round_trips(tmp_path):
    out, err = import_akn(case("eu-act-recitals.xml"))
    assert err == "" and out.splitlines()[-1].startswith("imported eu-act-regulation-2024-1689 (new; 14 clauses,")
    call_command("import_akn", str(case("eu-act-recitals.xml")), "--publish", stdout=io.StringIO())
    first = export("eu-act-regulation-2024-1689")
    valid(first)
    eids = [row[0] for row in structure(first)]
    assert {"rct_1", "rct_3", "cit_2", "cpt_III__sec_1", "art_7"} <= set(eids)
    path = tmp_path / "copy.xml"
    path.write_bytes(first.replace(b"/akn/eu/act/regulation/2024/1689", b"/akn/eu/act/regulation/2024/1690"))
    call_command("import_akn", str(path), "--publish", stdout=io.StringIO())
    assert structure(export("eu-act-regulation-2024-1690")) == structure(first)


def test_bulk_data_attachments_stay_attachments_when_imported():
    import_akn(case("bill-bulk-data.xml"))
    record = agreement_for_work("/akn/ch/bill/2023/41")
    found = clauses_on(record.slug, dt.date(2023, 3, 8))
    assert record.title == "Federal Act on the Testing of Bridges"
    assert found["att_1__art_1"].parent == "att_1" and found["art_1"].text == "This Act governs the testing of bridges."


def test_a_refusal_of_the_reader_reaches_the_command_output_with_file_and_line():
    out, err = import_akn(case("duplicate-eids.xml"))
    assert "duplicate-eids.xml, line 15: the eId 'sec_1' is used twice" in err


def test_bulk_data_with_a_cover_page_and_an_attachment_exports_valid_and_round_trips(tmp_path):
    call_command("import_akn", str(case("bill-bulk-data.xml")), "--publish", stdout=io.StringIO())
    slug = agreement_for_work("/akn/ch/bill/2023/41").slug
    first = export(slug)
    valid(first)
    assert b'<coverPage eId="coverPage"><p class="official">Federal Assembly</p>' in first
    path = tmp_path / "copy.xml"
    path.write_bytes(first.replace(b"/akn/ch/bill/2023/41", b"/akn/ch/bill/2023/42"))
    call_command("import_akn", str(path), "--publish", stdout=io.StringIO())
    assert structure(export(agreement_for_work("/akn/ch/bill/2023/42").slug)) == structure(first)
