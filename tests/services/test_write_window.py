"""The window from the store's append to COMMIT (the head is locked in it: every other write waits) holds only what
needs the appended events: the projection reads before the append and writes after it, the validation job is
written before it, and all of it stays one transaction (agreements/services.py, projections/projector.py)."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import services
from agreements.domain.commands import parse_command
from agreements.projections.models import AgreementRecord, ClauseVersion
from agreements.projections.rebuild import projection_hash, rebuild
from registry.eventstore import chain, store
from registry.eventstore.models import StoredEvent
from registry.eventstore.store import ConcurrencyConflict
from registry.outbox.models import OutboxJob

SLUG = "tr-az-strategic-partnership-2010"


def add_clause(eid, **fields):
    return parse_command("AddClause", {"eid": eid, "text": f"{eid} text.", "text_kind": "official", **fields})


class Boundary:
    """Splits the statements a command ran at the store's append: before it, and after it returned."""

    def __init__(self, monkeypatch, before_append=None):
        self.at, self.queries, self.before_append = None, None, before_append
        real = store.append

        def append(*args, **kwargs):
            if self.before_append is not None:
                hook, self.before_append = self.before_append, None
                hook()
            recorded = real(*args, **kwargs)
            self.at = len(self.queries)
            return recorded

        monkeypatch.setattr(store, "append", append)

    def run(self, fn):
        with CaptureQueriesContext(connection) as queries:
            self.queries = queries
            result = fn()
        sql = [q["sql"] for q in queries.captured_queries]
        return result, sql[:self.at], sql[self.at:]


def statements_of(sql, table):
    return [s for s in sql if f'"{table}"' in s or f" {table} " in s]


@pytest.mark.django_db
def test_the_validation_job_is_written_before_the_append(monkeypatch):
    boundary = Boundary(monkeypatch)
    _, before, after = boundary.run(lambda: services.handle(add_clause("art_31"), slug=SLUG))
    assert any(s.startswith("INSERT") for s in statements_of(before, "pacta_outbox"))
    assert not [s for s in statements_of(after, "pacta_outbox") if not s.startswith(("SAVEPOINT", "RELEASE"))]


@pytest.mark.django_db
def test_after_the_append_a_new_clause_is_projected_by_writes_alone(monkeypatch):
    boundary = Boundary(monkeypatch)
    _, _, after = boundary.run(lambda: services.handle(add_clause("art_32"), slug=SLUG))
    writes = [s for s in after if s.split()[0] in ("INSERT", "UPDATE")]
    assert [s for s in after if s.startswith("SELECT")] == []
    assert [s.split()[0] for s in writes] == ["INSERT", "UPDATE"]  # the clause's version, the agreement's row
    assert '"pacta_clause_version"' in writes[0] and '"pacta_agreement"' in writes[1]


@pytest.mark.django_db
def test_the_agreement_row_is_updated_in_the_columns_the_command_changed(monkeypatch):
    boundary = Boundary(monkeypatch)
    _, _, after = boundary.run(lambda: services.handle(add_clause("art_33"), slug=SLUG))
    [update] = [s for s in after if s.startswith('UPDATE "pacta_agreement"')]
    assigned = update.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    assert sorted(part.split(" = ")[0].strip('"') for part in assigned.split(", ")) == [
        "last_position", "updated_at", "version"]


@pytest.mark.django_db
def test_clauses_added_with_dates_and_languages_are_projected_as_a_rebuild_would():
    """Places read before the append (another language takes its clause's place, a new clause goes last) and
    dated versions: the read models equal a rebuild from the log."""
    services.handle(add_clause("art_40", effective="2012"), slug=SLUG)
    services.handle(add_clause("art_40", language="tr", effective="2011"), slug=SLUG)
    services.handle(parse_command("AmendClause", {"eid": "art_40", "text": "Amended.", "effective": "2014"}), slug=SLUG)
    services.handle(add_clause("art_42", effective="2013"), slug=SLUG)
    live = projection_hash()
    rebuild(in_place=True)
    assert projection_hash() == live


@pytest.mark.django_db
def test_a_command_whose_stream_moved_after_its_reads_is_refused_and_leaves_nothing(monkeypatch):
    """Another command on the same agreement commits between this one's reads and its append (simulated inside
    the append): the append refuses the stale version, and the job and rows written or read before it go too."""
    version = AgreementRecord.objects.get(slug=SLUG).version
    counts = (StoredEvent.objects.count(), ClauseVersion.objects.count(), OutboxJob.objects.count())
    moved = store.append  # the real one: the "other command" appends one event to the same stream first
    boundary = Boundary(monkeypatch, before_append=lambda: moved(
        f"agreement:{SLUG}", version, [store.NewEvent(type="DetailsEdited", payload={"changes": {"place": "Baku"}})]))
    with pytest.raises(ConcurrencyConflict):
        boundary.run(lambda: services.handle(add_clause("art_34"), slug=SLUG, expected_version=version))
    assert (StoredEvent.objects.count(), ClauseVersion.objects.count(), OutboxJob.objects.count()) == counts


@pytest.mark.django_db
def test_a_command_retried_after_its_stream_moved_is_projected_from_fresh_reads(monkeypatch):
    """Without an expected version the command is decided, read and appended again: what the first attempt read
    is not reused (the projection equals a rebuild, the clause is after every clause stored)."""
    version = AgreementRecord.objects.get(slug=SLUG).version
    moved = store.append
    boundary = Boundary(monkeypatch, before_append=lambda: moved(
        f"agreement:{SLUG}", version, [store.NewEvent(type="DetailsEdited", payload={"changes": {"place": "Baku"}})]))
    boundary.run(lambda: services.handle(add_clause("art_35"), slug=SLUG))
    assert ClauseVersion.objects.filter(agreement__slug=SLUG, eid="art_35").count() == 1
    live = projection_hash()
    rebuild(in_place=True)
    assert projection_hash() == live


WRITERS = 6
COMMANDS = 15


def at_once(writer):
    """`writer(n)` for n in range(WRITERS), each on a thread (a connection) of its own, all at once."""

    def run(n):
        try:
            writer(n)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_read_models_equal_to_a_rebuild_and_the_log_whole():
    """Writers on two shared agreements and one each, at once: stale reads lose at the append and are retried;
    positions stay gap-free, the chain unbroken, and the read models equal a rebuild from the log."""
    for slug in ("shared-a", "shared-b", *(f"own-{n}" for n in range(WRITERS))):
        services.handle(parse_command("DraftAgreement", {"slug": slug, "title": slug, "kind": "treaty"}))
    start = store.last_position()
    errors = []

    def writer(n):
        try:
            for i in range(COMMANDS):
                slug = ("shared-a", "shared-b", f"own-{n}")[i % 3]
                services.handle(add_clause(f"art_{n}_{i}", effective=f"{2000 + i % 5}"), slug=slug, retries=50)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)

    at_once(writer)
    assert not errors, errors

    positions = list(StoredEvent.objects.filter(position__gt=start).order_by("position").values_list("position",
                                                                                                      flat=True))
    assert positions == list(range(start + 1, start + WRITERS * COMMANDS + 1))
    assert sum(1 for _ in chain.verify(store.read_all())) == store.last_position()
    live = projection_hash()
    rebuild()
    assert projection_hash() == live


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_with_one_expected_version_store_one_command():
    """Writers racing with the same expected version on one agreement: one command is stored and projected, the
    others are refused at the append after their reads, and leave neither rows nor jobs."""
    services.handle(parse_command("DraftAgreement", {"slug": "raced", "title": "Raced", "kind": "treaty"}))
    version = AgreementRecord.objects.get(slug="raced").version
    jobs = OutboxJob.objects.count()
    barrier, outcomes = threading.Barrier(WRITERS), []

    def writer(n):
        try:
            barrier.wait()
            services.handle(add_clause(f"art_{n}"), slug="raced", expected_version=version)
            outcomes.append("stored")
        except ConcurrencyConflict:
            outcomes.append("conflict")
        except Exception as exc:
            outcomes.append(repr(exc))

    at_once(writer)
    assert sorted(outcomes) == ["conflict"] * (WRITERS - 1) + ["stored"]
    assert ClauseVersion.objects.filter(agreement__slug="raced").count() == 1
    assert OutboxJob.objects.count() - jobs == 1
    assert AgreementRecord.objects.get(slug="raced").version == version + 1
