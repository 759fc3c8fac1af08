"""Bulk ingestion of new agreements: decided in memory, many per transaction, same guarantees as handle()."""

from io import StringIO

import pytest
from django.core.management import call_command

from agreements import services
from agreements.domain import commands as c
from agreements.projections.models import AgreementRecord, ClauseVersion, Relation
from registry.eventstore import store
from registry.eventstore.models import StoredEvent

pytestmark = pytest.mark.django_db


def new(slug, *extra):
    return services.NewAgreement(slug, [
        c.DraftAgreement(slug=slug, title=slug.title(), kind="agreement"),
        c.AddParty(party="TUR"),
        c.AddClause(eid="art_1", text="one", text_kind="official"),
        c.AmendClause(eid="art_1", text="one, amended", effective="2011-01-01"),
        *extra,
        c.SubmitForReview(),
        c.Publish(),
    ])


def test_bulk_stores_and_projects_every_agreement_with_consecutive_positions():
    start = store.last_position()
    result = services.handle_bulk([new(f"bulk-{i}") for i in range(5)], batch=2)
    assert result.created == [f"bulk-{i}" for i in range(5)] and result.events == 5 * 6
    positions = list(StoredEvent.objects.filter(position__gt=start).values_list("position", flat=True))
    assert positions == list(range(start + 1, start + 31))
    record = AgreementRecord.objects.get(slug="bulk-3")
    assert (record.publication, record.version) == ("published", 6)
    assert ClauseVersion.objects.filter(agreement=record, eid="art_1").count() == 2


def test_a_bulk_load_keeps_the_hash_chain_whole():
    services.handle_bulk([new(f"bulk-{i}") for i in range(3)])
    out = StringIO()
    call_command("verify_log", stdout=out, stderr=StringIO())
    assert out.getvalue().startswith(f"verified {store.head().position} events")


def test_a_bulk_re_run_appends_nothing():
    services.handle_bulk([new("bulk-a"), new("bulk-b")])
    before = store.last_position()
    again = services.handle_bulk([new("bulk-a"), new("bulk-b")])
    assert (again.created, again.skipped, store.last_position()) == ([], ["bulk-a", "bulk-b"], before)


def test_a_refused_command_stores_nothing_of_its_batch_and_names_the_agreement():
    before = store.last_position()
    bad = new("bulk-bad", c.AmendClause(eid="art_9", text="no such clause", effective="2012"))
    with pytest.raises(services.BulkRefused, match="bulk-bad: command 5"):
        services.handle_bulk([new("bulk-ok"), bad])
    assert store.last_position() == before
    assert not AgreementRecord.objects.filter(slug="bulk-ok").exists()


def test_agreements_of_one_batch_may_refer_to_one_another():
    services.handle_bulk([new("bulk-base"), new("bulk-impl", c.AddRelation(relation="implements", target="bulk-base"))])
    assert Relation.objects.filter(agreement__slug="bulk-impl", relation="implements").exists()


def test_a_command_after_a_bulk_load_continues_the_stream():
    services.handle_bulk([new("bulk-next")])
    result = services.handle(c.AddClause(eid="art_2", text="two", text_kind="official"), slug="bulk-next")
    assert result.version == 7
