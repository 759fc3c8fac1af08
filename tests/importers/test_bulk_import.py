"""New works go in through the bulk path (decided in memory, stored in one load), and project as the command
path would; a refused file of a run of many writes nothing of itself and names its file, eId and line."""

import io

import pytest
from django.core.management import CommandError, call_command

from agreements import services
from agreements.domain.commands import parse_command
from agreements.domain.identities import stream_id
from agreements.importers import akn, text
from agreements.importers.documents import ImportRefused
from agreements.importers.loading import load_many
from agreements.projections.rebuild import projection_hash, rebuild
from agreements.queries.agreements import agreement_for_work
from registry.eventstore.models import StoredEvent

pytestmark = pytest.mark.django_db
FILES = ("act-2009.xml", "treaty-doc.xml", "bill.xml", "statement.xml", "collection.xml")


@pytest.fixture
def command_path_forbidden(monkeypatch):
    """Fails a test that sends a command through `services.handle`; counts the bulk loads."""
    loads = []
    real_bulk = services.handle_bulk

    def bulk(agreements, **kwargs):
        agreements = list(agreements)
        loads.append([a.slug for a in agreements])
        return real_bulk(agreements, **kwargs)

    def no_command(*args, **kwargs):
        raise AssertionError("a new agreement went through the command path")

    monkeypatch.setattr(services, "handle_bulk", bulk)
    monkeypatch.setattr(services, "handle", no_command)
    monkeypatch.setattr(services, "handle_many", no_command)
    return loads


def test_the_new_works_of_many_files_are_stored_in_one_bulk_load(akn_file, command_path_forbidden):
    call_command("import_akn", *(str(akn_file(f)) for f in FILES), stdout=io.StringIO())
    assert command_path_forbidden == [["za-act-2009-10", "int-doc-1999-test-friendship-treaty", "ke-bill-2021-7",
                                       "int-statement-2021-test-declaration", "int-documentcollection-2000-test-package"]]


def test_a_pasted_text_for_a_new_agreement_is_stored_in_one_bulk_load(command_path_forbidden):
    draft = parse_command("DraftAgreement", {"slug": "bulk-text-test", "title": "Bulk text", "kind": "treaty"})
    events = text.write("bulk-text-test", text.split("Article 1\nOne.\nArticle 2\nTwo.\n"), draft=draft)
    assert command_path_forbidden == [["bulk-text-test"]] and events == 3


def test_a_bulk_import_projects_as_a_rebuild_of_its_events_would(akn_file):
    call_command("import_akn", *(str(akn_file(f)) for f in FILES), publish=True, stdout=io.StringIO())
    imported = projection_hash()
    rebuild()
    assert projection_hash() == imported


def test_the_reported_events_are_the_stored_ones(akn_file):
    outcome = load_many([akn.read(akn_file("act-2009.xml"))])[0]
    assert outcome.events == StoredEvent.objects.filter(stream_id=stream_id(outcome.slug)).count() == 16


def refused_bill(akn_file):
    doc = akn.read(akn_file("bill.xml"))
    doc.clauses[1].eid = "para_1"  # a duplicate the reader would have renamed: the domain refuses it
    return doc


def test_a_refused_file_among_many_writes_nothing_of_itself(akn_file):
    docs = [akn.read(akn_file("act-2009.xml")), refused_bill(akn_file), akn.read(akn_file("statement.xml"))]
    count = StoredEvent.objects.count()
    outcomes = load_many(docs)
    assert isinstance(outcomes[1], ImportRefused)
    assert agreement_for_work("/akn/ke/bill/2021/7") is None
    assert not StoredEvent.objects.filter(stream_id=stream_id("ke-bill-2021-7")).exists()
    assert [o.slug for o in (outcomes[0], outcomes[2])] == ["za-act-2009-10", "int-statement-2021-test-declaration"]
    assert StoredEvent.objects.count() == count + outcomes[0].events + outcomes[2].events


def test_the_refusal_names_the_file_the_eid_and_its_line(akn_file):
    doc = refused_bill(akn_file)
    refused = load_many([doc])[0]
    assert (refused.file, refused.line) == (doc.file, doc.clauses[1].line) and refused.line is not None
    assert "para_1" in refused.message and "duplicate_eid" in str(refused)


def test_the_command_reports_a_refused_file_and_imports_the_others_of_the_run(akn_file, tmp_path):
    bad = tmp_path / "signed-late.xml"  # read fine, refused by the registry: in force before its signature
    bad.write_text(akn_file("act-2009.xml").read_text().replace("/za/act/2009/10", "/za/act/2009/11").replace(
        '<eventRef eId="e1"', '<eventRef eId="e0" date="2010-01-01" source="#pacta" refersTo="#signature" '
                              'type="generation"/><eventRef eId="e1"'))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 3 file"):
        call_command("import_akn", str(akn_file("statement.xml")), str(bad), str(akn_file("bill.xml")),
                     stdout=io.StringIO(), stderr=err)
    assert f"{bad}: refused by the registry" in err.getvalue() and "before_signature" in err.getvalue()
    assert agreement_for_work("/akn/za/act/2009/11") is None
    assert not StoredEvent.objects.filter(stream_id=stream_id("za-act-2009-11")).exists()
    assert agreement_for_work("/akn/int/statement/2021/test-declaration") is not None
    assert agreement_for_work("/akn/ke/bill/2021/7") is not None


def test_a_later_expression_whose_first_file_was_refused_is_imported_as_the_work_s_first(akn_file):
    first = akn.read(akn_file("act-2009.xml"))
    first.clauses[1].eid = first.clauses[0].eid  # refused: a duplicate eId
    outcomes = load_many([first, akn.read(akn_file("act-2012.xml"))])
    assert isinstance(outcomes[0], ImportRefused)
    assert outcomes[1].created and agreement_for_work("/akn/za/act/2009/10").slug == outcomes[1].slug
