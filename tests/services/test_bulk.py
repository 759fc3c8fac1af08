"""Bulk ingestion of new agreements: decided in memory, many per transaction, same guarantees as handle()."""

from io import StringIO

import pytest
from django.core.management import call_command

from agreements import services
from agreements.domain import commands
from agreements.projections.models import AgreementRecord, ClauseVersion, Relation
from registry.eventstore import store
from registry.eventstore.models import StoredEvent

pytestmark = pytest.mark.django_db


def new(slug, *extra):
    return services.NewAgreement(slug, [
        commands.DraftAgreement(slug=slug, title=slug.title(), kind="agreement"),
        commands.AddParty(party="TUR"),
        commands.AddClause(eid="art_1", text="one", text_kind="official"),
        commands.AmendClause(eid="art_1", text="one, amended", effective="2011-01-01"),
        *extra,
        commands.SubmitForReview(),
        commands.Publish(uncited_reason="test texts cite no source"),
    ])


@pytest.fixture(params=["by the usual append", pytest.param("by COPY", marks=pytest.mark.postgres)])
def event_writes(request, monkeypatch):
    """How a batch's events reach the database: as any append does, and on PostgreSQL also by COPY (the way of
    batches of registry.eventstore.postgres.COPY_FROM events or more, lowered here to take it with a few)."""
    if request.param == "by COPY":
        from registry.eventstore import postgres

        monkeypatch.setattr(postgres, "COPY_FROM", 2)
    return request.param


def test_bulk_stores_and_projects_every_agreement_with_consecutive_positions(event_writes):
    start = store.last_position()
    result = services.handle_bulk([new(f"bulk-{i}") for i in range(5)], batch=2)
    assert result.created == [f"bulk-{i}" for i in range(5)] and result.events == 5 * 6
    positions = list(StoredEvent.objects.filter(position__gt=start).values_list("position", flat=True))
    assert positions == list(range(start + 1, start + 31))
    record = AgreementRecord.objects.get(slug="bulk-3")
    assert (record.publication, record.version) == ("published", 6)
    assert ClauseVersion.objects.filter(agreement=record, eid="art_1").count() == 2


def test_a_bulk_load_keeps_the_hash_chain_whole(event_writes):
    services.handle_bulk([new(f"bulk-{i}") for i in range(3)])
    out = StringIO()
    call_command("verify_log", stdout=out, stderr=StringIO())  # the chain and the Merkle tree
    assert out.getvalue().startswith(f"verified {store.head().position} events")


def test_a_bulk_re_run_appends_nothing(event_writes):
    services.handle_bulk([new("bulk-a"), new("bulk-b")])
    before = store.last_position()
    again = services.handle_bulk([new("bulk-a"), new("bulk-b")])
    assert (again.created, again.skipped, store.last_position()) == ([], ["bulk-a", "bulk-b"], before)


def test_a_refused_command_stores_nothing_of_its_batch_and_names_the_agreement():
    before = store.last_position()
    bad = new("bulk-bad", commands.AmendClause(eid="art_9", text="no such clause", effective="2012"))
    with pytest.raises(services.BulkRefused, match="bulk-bad: command 5"):
        services.handle_bulk([new("bulk-ok"), bad])
    assert store.last_position() == before
    assert not AgreementRecord.objects.filter(slug="bulk-ok").exists()


def test_a_draft_whose_work_uri_is_stored_already_is_refused_in_a_bulk_load():
    services.handle_bulk([new("bulk-first")])
    taken = AgreementRecord.objects.get(slug="bulk-first").work_uri
    clash = services.NewAgreement("bulk-clash", [commands.DraftAgreement(slug="bulk-clash", title="Clash", kind="agreement",
                                                                  work_uri=taken)])
    with pytest.raises(services.BulkRefused, match="bulk-clash: command 1"):
        services.handle_bulk([clash])


def test_two_drafts_of_one_batch_may_not_share_a_work_uri():
    uri = "/akn/int/treaty/2010/shared"
    twins = [services.NewAgreement(slug, [commands.DraftAgreement(slug=slug, title=slug, kind="agreement", work_uri=uri)])
             for slug in ("bulk-twin-a", "bulk-twin-b")]
    with pytest.raises(services.BulkRefused, match="bulk-twin-b: command 1"):
        services.handle_bulk(twins)


def test_a_party_the_registry_does_not_hold_is_refused_in_a_bulk_load():
    with pytest.raises(services.BulkRefused, match="bulk-nobody: command 5") as refused:
        services.handle_bulk([new("bulk-nobody", commands.AddParty(party="ZZZ"))])
    assert refused.value.error.rule == "unknown_party"


def test_a_party_that_did_not_exist_on_the_agreements_date_is_refused_in_a_bulk_load():
    dated = services.NewAgreement("bulk-adr-2010", [
        commands.DraftAgreement(slug="bulk-adr-2010", title="Dated", kind="agreement", work_date="2010-01-01"),
        commands.AddParty(party="ADR")])
    with pytest.raises(services.BulkRefused, match="bulk-adr-2010: command 2") as refused:
        services.handle_bulk([dated])
    assert refused.value.error.rule == "party_did_not_exist"


def with_parties(slug, parties):
    return services.NewAgreement(slug, [commands.DraftAgreement(slug=slug, title=slug, kind="agreement"),
                                        *(commands.AddParty(party=party) for party in parties)])


def test_a_batch_asks_for_its_parties_in_as_many_queries_whatever_their_number():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        services.handle_bulk([with_parties(f"bulk-one-{n}", ["TUR"]) for n in range(3)])
    with CaptureQueriesContext(connection) as five:
        services.handle_bulk([with_parties(f"bulk-five-{n}", ["TUR", "AZE", "UN", "ADR", "OTTOMAN"]) for n in range(3)])
    assert len(five.captured_queries) == len(one.captured_queries)


def test_agreements_of_one_batch_may_refer_to_one_another():
    services.handle_bulk([new("bulk-base"), new("bulk-impl", commands.AddRelation(relation="implements", target="bulk-base"))])
    assert Relation.objects.filter(agreement__slug="bulk-impl", relation="implements").exists()


def test_a_command_after_a_bulk_load_continues_the_stream():
    services.handle_bulk([new("bulk-next")])
    result = services.handle(commands.AddClause(eid="art_2", text="two", text_kind="official"), slug="bulk-next")
    assert result.version == 7


def test_bulk_projections_equal_a_rebuild_from_the_events(event_writes):
    """The rebuild projects event by event (the Projector, as commands do): the same rows, to the hash."""
    from agreements.projections.rebuild import projection_hash, rebuild

    rich = new("bulk-rich",
               commands.RecordLifecycle(action="signature", date="2010-08-16"),
               commands.RecordLifecycle(action="entry_into_force", date="2011"),
               commands.RecordLifecycle(action="ratification", date="2010-12", party="TUR"),
               commands.EditDetails(summary="A summary", work_date="2010-08-16"),
               commands.AddClause(eid="art_2", text="two", text_kind="official", effective="2010-08-16"),
               commands.AmendClause(eid="art_2", text="two, later", effective="2015-03-01", by="bulk-base"),
               commands.AmendClause(eid="art_2", text="two, between", effective="2012"),
               commands.RenumberClause(eid="art_2", new_eid="art_3", number="3"),
               commands.RepealClause(eid="art_3", effective="2020"),
               commands.AddClause(eid="art_4", text="four", text_kind="summary", parent="art_1"),
               commands.AddClause(eid="art_1", text="un", text_kind="official", language="fr"),
               commands.AmendClause(eid="art_1", text="un, modifié", effective="2012-01-01", language="fr"),
               commands.AddReference(eid="art_4", target="bulk-base", target_eid="art_1", note="see"),
               commands.AddRelation(relation="amends", target="bulk-base"),
               commands.AttachCitation(source="usc-dornsife-2023", locator="p. 2", quote="one", supports="art_1"))
    services.handle_bulk([new("bulk-base"), rich])
    bulk_hash = projection_hash()
    rebuild()
    assert projection_hash() == bulk_hash


def test_a_bulk_batch_asks_validation_for_all_its_agreements_in_one_outbox_job():
    from registry.outbox.models import OutboxJob

    before = set(OutboxJob.objects.values_list("job_id", flat=True))
    services.handle_bulk([new(f"bulk-v{i}") for i in range(4)])
    jobs = list(OutboxJob.objects.exclude(job_id__in=before))
    assert len(jobs) == 1
    assert set(jobs[0].kwargs["changes"]) == {f"bulk-v{i}" for i in range(4)}


def test_a_clauses_second_language_text_keeps_the_clauses_place_in_a_bulk_load():
    services.handle_bulk([new("bulk-lang",
                              commands.AddClause(eid="art_2", text="two", text_kind="official"),
                              commands.AddClause(eid="art_1", text="un", text_kind="official", language="fr"),
                              commands.AddClause(eid="art_3", text="three", text_kind="official"))])
    rows = ClauseVersion.objects.filter(agreement__slug="bulk-lang", change="added")
    places = {(row.eid, row.language): row.sort_key for row in rows}
    assert places[("art_1", "fr")] == places[("art_1", "en")]
    assert places[("art_1", "en")] < places[("art_2", "en")] < places[("art_3", "en")]


def test_bulk_and_command_projections_of_the_same_agreement_give_the_same_rows(event_writes):
    planned = new("bulk-same",
                   commands.AddClause(eid="art_2", text="two", text_kind="official", effective="2010-08-16"),
                   commands.AddClause(eid="art_2", text="deux", text_kind="official", language="fr"),
                   commands.AmendClause(eid="art_2", text="two, later", effective="2015-03-01"),
                   commands.RecordLifecycle(action="signature", date="2010-08-16"),
                   commands.AddReference(eid="art_2", target="bulk-same", target_eid="art_1"),
                   commands.RecordRegistration(registration_number="I-49001", date="2011-02~", registering_body="UN"),
                   commands.NameDepositary(depositary="TUR"),
                   commands.NameDepositary(depositary="Government of the Republic of Azerbaijan")).commands
    services.handle_bulk([services.NewAgreement("bulk-same", planned)])
    bulk = projected_rows("bulk-same")
    assert len(bulk["registrations"]) == 1 and len(bulk["depositaries"]) == 2
    slug = "cmd-same"
    for command in planned:
        if isinstance(command, commands.DraftAgreement):
            command = commands.DraftAgreement(slug=slug, title=command.title, kind=command.kind)
        elif isinstance(command, commands.AddReference):
            command = commands.AddReference(eid=command.eid, target=slug, target_eid=command.target_eid)
        services.handle(command, slug=slug)
    assert projected_rows(slug) == bulk


def projected_rows(slug):
    """Every read-model row of one agreement, in a comparable form: no ids, slugs, times or event ids."""
    from agreements.projections.models import (
        AgreementDetailsVersion, AgreementParty, Depositary, LifecycleFact, Reference, Registration)

    record = AgreementRecord.objects.get(slug=slug)
    skip = {"id", "agreement", "stream_id", "slug", "work_uri", "title", "known_from", "known_to", "event_id",
            "position", "clause_id", "target_slug", "agreement_slug", "created_at", "updated_at", "last_position"}

    def values(queryset, order):
        return [{k: v for k, v in row.items() if k not in skip and not k.endswith("_id")}
                for row in queryset.filter(agreement=record).order_by(*order).values()]

    return {
        "record": {k: v for k, v in AgreementRecord.objects.filter(pk=record.pk).values()[0].items() if k not in skip},
        "details": values(AgreementDetailsVersion.objects, ["position"]),
        "parties": values(AgreementParty.objects, ["party_code"]),
        "facts": values(LifecycleFact.objects, ["action", "date"]),
        "clauses": values(ClauseVersion.objects, ["sort_key", "language", "valid_from", "position"]),
        "references": values(Reference.objects, ["eid"]),
        "registrations": values(Registration.objects, ["registering_body"]),
        "depositaries": values(Depositary.objects, ["depositary"]),
    }


def test_a_new_agreement_with_a_registration_and_a_depositary_is_projected_in_memory(monkeypatch):
    """Not handed to the slower event-by-event Projector: the bulk projector knows both events."""
    from agreements.projections import bulk

    def refuse(self, events):
        raise AssertionError(f"handed to the Projector: {sorted({rec.type for rec in events})}")

    monkeypatch.setattr(bulk.Projector, "project", refuse)
    services.handle_bulk([new("bulk-registered",
                              commands.RecordRegistration(registration_number="I-49001", date="2011-02-14"),
                              commands.NameDepositary(depositary="TUR"))])
    record = AgreementRecord.objects.get(slug="bulk-registered")
    assert [(r.registration_number, str(r.date_lower)) for r in record.registration_rows.all()] == \
        [("I-49001", "2011-02-14")]
    assert [(d.depositary, d.party_code) for d in record.depositary_rows.all()] == [("TUR", "TUR")]


def test_texts_with_copys_special_characters_are_stored_as_written_in_a_bulk_load(event_writes):
    """On PostgreSQL the read models go in by COPY, whose text format gives tabs, newlines, backslashes and
    the word \\N meanings of their own: a clause must come back exactly as written."""
    text = 'Tab\there, a new\nline, a back\\slash, \\N, a \\. line,\r\n"quotes" and \u00abguillemets\u00bb, \u0130stanbul \u2014 \U0001f4dc'
    services.handle_bulk([new("bulk-copy", commands.AddClause(eid="art_2", text=text, text_kind="official"),
                              commands.EditDetails(summary=text))])
    assert ClauseVersion.objects.get(agreement__slug="bulk-copy", eid="art_2").text == text
    assert AgreementRecord.objects.get(slug="bulk-copy").summary == text


def test_a_bulk_load_reads_its_agreements_a_batch_at_a_time(monkeypatch):
    # A million agreements need not be in memory at once: a generator is read as the batches need it.
    monkeypatch.setattr(services, "DEFER_INDEX_UPKEEP_FROM", 2)
    pulled, seen = [], []

    def agreements():
        for n in range(6):
            pulled.append(n)
            yield new(f"streamed-{n}-2010")

    result = services.handle_bulk(agreements(), batch=2, progress=lambda done: seen.append((done, len(pulled))))
    assert seen == [(2, 2), (4, 4), (6, 6)]
    assert len(result.created) == 6
