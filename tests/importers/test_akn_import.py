"""`manage.py import_akn`: files become agreements through the command path, idempotently, expression by expression."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from agreements.queries.agreements import agreement_for_work
from agreements.queries.clauses import clauses_on
from agreements.importers import akn
from agreements.importers.loading import load
from registry.eventstore.models import StoredEvent

pytestmark = pytest.mark.django_db
SLUG = "za-act-2009-10"


def import_akn(*files, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_akn", *map(str, files), stdout=out, stderr=err, **options)
    return out.getvalue()


def on(day):
    return clauses_on(SLUG, day)


def test_each_file_ends_with_a_line_naming_the_slug_and_the_counts(akn_file):
    out = import_akn(akn_file("act-2009.xml"))
    assert out.strip().splitlines()[-1] == f"imported {SLUG} (new; 13 clauses, 16 events)"


def test_the_agreement_keeps_the_work_uri_title_and_official_clauses(akn_file):
    import_akn(akn_file("act-2009.xml"))
    record = agreement_for_work("/akn/za/act/2009/10")
    assert (record.slug, record.title, record.kind, record.publication) == (SLUG, "Test Waters Act", "act", "draft")
    found = on(dt.date(2010, 1, 1))
    assert found["sec_2"].text_kind == "official" and found["sec_2"].parent == "part_1__chp_1"
    assert {c.language for c in found.values()} == {"en"}


def test_clauses_hold_from_the_expression_date(akn_file):
    import_akn(akn_file("act-2009.xml"))
    assert on(dt.date(2009, 5, 31)) == {}
    assert "sec_1" in on(dt.date(2009, 6, 1))


def test_importing_the_same_file_again_appends_nothing(akn_file):
    import_akn(akn_file("act-2009.xml"))
    count = StoredEvent.objects.count()
    out = import_akn(akn_file("act-2009.xml"))
    assert StoredEvent.objects.count() == count
    assert out.strip().endswith("(existing; 13 clauses, 0 events)")


def test_a_later_expression_amends_adds_and_repeals_from_its_date(akn_file):
    import_akn(akn_file("act-2009.xml"))
    import_akn(akn_file("act-2012.xml"))
    before, after = on(dt.date(2011, 12, 31)), on(dt.date(2012, 1, 1))
    assert before["sec_2"].text.startswith("(1) The purpose of this Act is to protect test waters.")
    assert after["sec_2"].text.startswith("(1) The purpose of this Act is to protect and restore test waters.")
    assert after["sec_2"].change == "amended" and after["sec_2"].effective == "2012-01-01"
    assert "sec_3" in before and "sec_3" not in after
    assert "sec_4" not in before and "sec_4" in after
    assert after["sec_1"].event_id == before["sec_1"].event_id  # unchanged clauses are not touched


def test_publish_submits_and_publishes(akn_file):
    import_akn(akn_file("bill.xml"), publish=True)
    assert agreement_for_work("/akn/ke/bill/2021/7").publication == "published"


def test_dry_run_writes_nothing(akn_file):
    count = StoredEvent.objects.count()
    out = import_akn(akn_file("act-2009.xml"), dry_run=True)
    assert StoredEvent.objects.count() == count
    assert f"would import {SLUG}" in out


def test_a_refused_file_writes_nothing_and_the_others_are_imported(akn_file):
    count = StoredEvent.objects.count()
    with pytest.raises(CommandError, match="1 of 2 file"):
        import_akn(akn_file("malformed.xml"), akn_file("statement.xml"))
    assert agreement_for_work("/akn/int/statement/2021/test-declaration") is not None
    assert StoredEvent.objects.count() > count


def test_the_refusal_names_the_file_and_the_line(akn_file):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_akn", str(akn_file("malformed.xml")), stdout=io.StringIO(), stderr=err)
    assert "malformed.xml, line 5: not well-formed XML" in err.getvalue()


def test_a_rule_broken_halfway_writes_nothing_of_the_file(akn_file):
    doc = akn.read(akn_file("bill.xml"))
    doc.clauses[1].eid = "para_1"  # a duplicate the reader would have renamed: the domain refuses it
    count = StoredEvent.objects.count()
    with pytest.raises(Exception, match="duplicate_eid"):
        load(doc)
    assert StoredEvent.objects.count() == count


def test_every_document_type_imports(akn_file):
    out = import_akn(*(akn_file(f) for f in ("treaty-doc.xml", "bill.xml", "statement.xml", "collection.xml")))
    assert [line.split()[1] for line in out.splitlines() if line.startswith("imported")] == [
        "int-doc-1999-test-friendship-treaty", "ke-bill-2021-7", "int-statement-2021-test-declaration",
        "int-documentcollection-2000-test-package"]


def test_a_slug_held_by_another_work_gets_a_stable_suffix(akn_file):
    import_akn(akn_file("bill.xml"))
    doc = akn.read(akn_file("bill.xml"))
    doc.work_uri = doc.source_uri = "/akn/ke/bill/2021/7-other"  # another work whose derived slug is taken
    first = load(doc, dry_run=True).slug
    assert first.startswith("ke-bill-2021-7-") and load(doc).slug == first


def test_an_imported_document_is_browsed_at_its_own_work_uri(akn_file, client):
    import_akn(akn_file("act-2009.xml"), akn_file("act-2012.xml"), publish=True)
    page = client.get("/akn/za/act/2009/10/")
    assert page.status_code == 200 and "Test Waters Act" in page.content.decode()
    clause = client.get("/akn/za/act/2009/10/sec_2/@2010-01-01/")
    assert clause.status_code == 200 and "protect test waters" in clause.content.decode()
    assert client.get("/akn/za/act/2009/10/sec_2/diff/?from=1&to=2").status_code == 200
    assert client.get("/akn/za/act/2009/99/").status_code == 404


def test_an_expression_in_another_language_adds_that_languages_texts(akn_file, tmp_path):
    import_akn(akn_file("bill.xml"))
    french = akn_file("bill.xml").read_text().replace('language="eng"', 'language="fra"').replace(
        "This Act may be cited as the Test Roads Act.", "La présente loi peut être citée comme loi d'essai.")
    path = tmp_path / "bill-fr.xml"
    path.write_text(french)
    import_akn(path)
    record = agreement_for_work("/akn/ke/bill/2021/7")
    fr = clauses_on(record.slug, dt.date(2021, 2, 3), "fr")
    en = clauses_on(record.slug, dt.date(2021, 2, 3))
    assert (fr["para_1"].language, fr["para_1"].text) == ("fr", "La présente loi peut être citée comme loi d'essai.")
    assert en["para_1"].text == "This Act may be cited as the Test Roads Act."  # English untouched, nothing repealed
    assert set(en) == {"para_1", "para_2"}
