"""A rebuild on PostgreSQL builds the read models beside the live ones and switches them in: the same state as a
rebuild in place, writes go on meanwhile, and a failure before the switch commits changes nothing live."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from agreements import services
from agreements.domain.commands import parse_command
from agreements.findings.models import Finding
from agreements.projections import rebuild as rebuilding
from agreements.projections.bulk import NewAgreementsProjector
from agreements.projections.models import AgreementRecord, ClauseVersion
from agreements.projections.rebuild import (
    REBUILD_KEY,
    SHADOW_SCHEMA,
    RebuildRunning,
    SwitchBlocked,
    projection_hash,
    rebuild_beside,
    rebuild_in_place,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SLUG = "tr-az-strategic-partnership-2010"


def handle(slug_, type_, **fields):
    return services.handle(parse_command(type_, fields), slug=slug_)


def _tables():
    return [model._meta.db_table for model in rebuilding.PROJECTION_MODELS]


def _oids():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, oid FROM pg_class WHERE relname = ANY(%s) "
                       "AND relnamespace = current_schema()::regnamespace", [_tables()])
        return dict(cursor.fetchall())


def _schema_exists(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def _describe(table):
    """A table as the migrations know it: columns, indexes and constraints by name, triggers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname, format_type(atttypid, atttypmod), attnotnull, attidentity, attgenerated, "
                       "pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d "
                       "ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE attrelid = %s::regclass AND attnum > 0 "
                       "AND NOT attisdropped ORDER BY attname", [table])
        columns = cursor.fetchall()
        cursor.execute("SELECT c.relname, regexp_replace(pg_get_indexdef(i.indexrelid), ' ON \\S+ ', ' ON t ') "
                       "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
                       "ORDER BY 1", [table])
        indexes = cursor.fetchall()
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                       "ORDER BY 1", [table])
        constraints = cursor.fetchall()
        cursor.execute("SELECT tgname, regexp_replace(pg_get_triggerdef(oid), ' ON \\S+ ', ' ON t ') FROM pg_trigger "
                       "WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY 1", [table])
        triggers = cursor.fetchall()
    return columns, indexes, constraints, triggers


def _history():
    """Amendments, a correction, a renumbering, a repeal, a lifecycle fact: what a rebuild must replay alike."""
    amended = handle(SLUG, "AmendClause", eid="art_2", text="x", effective="2015")
    handle(SLUG, "AmendClause", eid="art_2", text="y", effective="2013")
    handle(SLUG, "CorrectEvent", event_id=str(amended.events[0].event_id), reason="r", corrections={"text": "z"})
    handle(SLUG, "RenumberClause", eid="art_9", new_eid="art_10", effective="2016")
    handle(SLUG, "RepealClause", eid="art_1", effective="2019")
    handle(SLUG, "RecordLifecycle", action="entry_into_force", date="2011")


def test_a_rebuild_beside_gives_the_hash_of_a_rebuild_in_place():
    _history()
    rebuild_in_place()
    in_place = projection_hash()
    ClauseVersion.objects.filter(eid="art_2").update(text="drifted")  # a live state the rebuild must not keep
    report = rebuild_beside()
    assert report.beside and report.events > 0
    assert projection_hash() == in_place


def test_agreements_whose_events_interleave_across_pages_of_the_log_are_rebuilt_beside_as_in_place():
    """The batch path reads each stream that starts in a page whole, ahead of the pages its later events are
    in: those pages must not project them again, nor the next round's catch-up."""
    for slug in ("interleaved-one-2020", "interleaved-two-2020", "interleaved-three-2020"):
        handle(slug, "DraftAgreement", slug=slug, title=slug, kind="treaty")
    for article in range(1, 4):
        for slug in ("interleaved-one-2020", "interleaved-two-2020", "interleaved-three-2020"):
            handle(slug, "AddClause", eid=f"art_{article}", text=f"Article {article}.", text_kind="official")
    handle("interleaved-two-2020", "AmendClause", eid="art_1", text="Amended.", effective="2021")
    handle("interleaved-one-2020", "AddParty", party="TUR")
    rebuild_in_place()
    in_place = projection_hash()
    rebuild_beside(round_events=7, page_events=3)
    assert projection_hash() == in_place


def test_a_rebuild_beside_replaces_the_live_tables_and_leaves_no_schema_behind():
    before = _oids()
    rebuild_beside()
    after = _oids()
    assert set(after) == set(_tables())
    assert all(after[table] != before[table] for table in after)
    assert not _schema_exists(SHADOW_SCHEMA) and not _schema_exists(rebuilding.RETIRED_SCHEMA)


def test_the_switched_in_tables_have_the_columns_indexes_constraints_and_triggers_of_the_live_ones():
    before = {table: _describe(table) for table in _tables()}
    rebuild_beside()
    assert {table: _describe(table) for table in _tables()} == before


def test_a_rebuild_beside_keeps_agreement_row_ids_and_the_findings_on_them():
    from django.utils import timezone

    ids = dict(AgreementRecord.objects.values_list("slug", "id"))
    record = AgreementRecord.objects.get(slug=SLUG)
    finding = Finding.objects.create(key="test:kept", code="test", severity="info", subject_type="agreement",
                                     agreement=record, message="kept", first_seen=timezone.now(),
                                     last_seen=timezone.now())
    rebuild_beside()
    assert dict(AgreementRecord.objects.values_list("slug", "id")) == ids
    assert Finding.objects.get(pk=finding.pk).agreement_id == record.pk


def _findings_foreign_key():
    """(name, validated) of the findings' foreign keys onto the live agreement table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'pacta_finding'::regclass "
                       "AND contype = 'f' AND confrelid = 'pacta_agreement'::regclass")
        return cursor.fetchall()


def test_the_findings_foreign_key_points_at_the_new_agreement_rows_after_the_switch():
    before = _findings_foreign_key()
    rebuild_beside()
    assert _findings_foreign_key() == before and before[0][1] is True


def test_an_agreement_drafted_after_a_rebuild_beside_takes_a_new_id():
    highest = max(AgreementRecord.objects.values_list("id", flat=True))
    rebuild_beside()
    handle("after-the-switch-2024", "DraftAgreement", slug="after-the-switch-2024", title="After", kind="treaty")
    assert AgreementRecord.objects.get(slug="after-the-switch-2024").id > highest


def test_a_failure_while_building_leaves_the_live_read_models_untouched(monkeypatch):
    _history()
    before, oids = projection_hash(), _oids()
    calls = []
    original = NewAgreementsProjector.project

    def failing(self, recorded):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the disk is full")
        return original(self, recorded)

    monkeypatch.setattr(NewAgreementsProjector, "project", failing)
    with pytest.raises(RuntimeError, match="disk is full"):
        rebuild_beside(round_events=50, page_events=10)
    assert projection_hash() == before and _oids() == oids
    assert not _schema_exists(SHADOW_SCHEMA)


def test_a_failure_in_the_middle_of_the_switch_leaves_the_live_read_models_untouched(monkeypatch):
    before, oids = projection_hash(), _oids()
    original = rebuilding._execute

    def failing(*statements):
        if any(sql.startswith(f'ALTER TABLE "{SHADOW_SCHEMA}"') and "SET SCHEMA" in sql for sql in statements):
            raise RuntimeError("the server went away")  # the live tables are already moved out by now
        return original(*statements)

    foreign_key = _findings_foreign_key()
    monkeypatch.setattr(rebuilding, "_execute", failing)
    with pytest.raises(RuntimeError, match="went away"):
        rebuild_beside()
    assert projection_hash() == before and _oids() == oids and _findings_foreign_key() == foreign_key
    assert not _schema_exists(SHADOW_SCHEMA) and not _schema_exists(rebuilding.RETIRED_SCHEMA)


def test_a_write_while_the_read_models_are_built_is_not_held_and_reaches_them(monkeypatch, settings):
    """A writer commits in the middle of the first round (a blocked one would get a 503 after 0.3 s)."""
    settings.PACTA_REBUILD_WAIT_SECONDS = 0.3
    outcome = []
    original = NewAgreementsProjector.project

    def write():
        try:
            handle("during-the-build-2024", "DraftAgreement", slug="during-the-build-2024", title="During",
                   kind="treaty")
            outcome.append("written")
        except Exception as exc:  # noqa: BLE001 - any failure is what this test looks for
            outcome.append(repr(exc))
        finally:
            connections.close_all()

    rebuilder, started = threading.current_thread(), []

    def project_and_write_once(self, recorded):
        if threading.current_thread() is rebuilder and not started:
            started.append(1)
            writer = threading.Thread(target=write)
            writer.start()
            writer.join()
        return original(self, recorded)

    monkeypatch.setattr(NewAgreementsProjector, "project", project_and_write_once)
    report = rebuild_beside()
    monkeypatch.undo()
    assert outcome == ["written"]
    live = projection_hash()
    assert AgreementRecord.objects.filter(slug="during-the-build-2024").exists()
    rebuild_in_place()
    assert projection_hash() == live
    assert report.rounds >= 1


def _read_in_a_transaction(reading, release):
    """In another connection: read the agreements and keep the transaction (and its table lock) until released."""
    try:
        with transaction.atomic():
            AgreementRecord.objects.count()
            reading.set()
            release.wait(600)  # released by the test, whatever the machine's load
    finally:
        connections.close_all()


def test_the_switch_gives_way_to_a_long_reader_and_is_tried_again(monkeypatch):
    before = projection_hash()
    reading, release = threading.Event(), threading.Event()
    reader = threading.Thread(target=_read_in_a_transaction, args=(reading, release))
    reader.start()
    reading.wait(10)
    original, attempts = rebuilding._catch_up_and_switch, []

    def switch(*args):
        attempts.append(1)
        if len(attempts) == 2:  # the first attempt met the reader: let it finish now
            release.set()
            reader.join()
        return original(*args)

    monkeypatch.setattr(rebuilding, "_catch_up_and_switch", switch)
    try:
        report = rebuild_beside(switch_timeout=0.2)
    finally:
        release.set()
        reader.join()
    assert report.switch_attempts == 2
    assert projection_hash() == before


def test_a_switch_that_never_gets_the_tables_gives_up_and_changes_nothing():
    before, oids = projection_hash(), _oids()
    reading, release = threading.Event(), threading.Event()
    reader = threading.Thread(target=_read_in_a_transaction, args=(reading, release))
    reader.start()
    reading.wait(10)
    try:
        with pytest.raises(SwitchBlocked):
            rebuild_beside(switch_timeout=0.1, switch_attempts=2)
    finally:
        release.set()
        reader.join()
    assert projection_hash() == before and _oids() == oids
    assert not _schema_exists(SHADOW_SCHEMA)


def test_the_command_rebuilds_beside_and_says_how_long_writes_waited():
    out = io.StringIO()
    call_command("rebuild_projections", stdout=out, stderr=io.StringIO())
    assert "built beside the live read models" in out.getvalue()
    assert "writes waited" in out.getvalue()


def test_a_second_rebuild_while_one_runs_is_refused_and_changes_nothing():
    before, oids = projection_hash(), _oids()
    holding, release = threading.Event(), threading.Event()

    def other_rebuild():  # another session, holding the rebuild's lock as a running rebuild does
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [REBUILD_KEY])
                holding.set()
                release.wait(600)
                cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_KEY])
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_rebuild)
    thread.start()
    holding.wait(30)
    try:
        with pytest.raises(RebuildRunning, match="Another rebuild"):
            rebuild_beside()
    finally:
        release.set()
        thread.join()
    assert projection_hash() == before and _oids() == oids
