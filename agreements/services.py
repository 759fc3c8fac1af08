"""The write path: `handle(command)` loads the agreement, lets it decide, appends, projects, in ONE transaction.

Every writer (admin, API, seed loader, importer) comes through here; nothing else writes events or
projections. A broken rule raises a DomainError and nothing is stored.

The effects of a write, all in the append transaction, are listed in EFFECTS, in order:
1. `project`: the events into the read models (`agreements.projections.projector`);
2. `enqueue_validation`: an outbox job validating what changed (`agreements.validation.jobs`), handed to
   Celery after the commit by the outbox relay;
3. `count_appended`: once the transaction commits, the events count in the `pacta_events_appended_total`
   metric (registry/ops/metrics.py). A refused command counts in `pacta_commands_refused_total` by its rule.
4. `sign_checkpoint_after_commit`: once the transaction commits, the transparency log's signer is nudged
   (registry/eventstore/tasks.py): a checkpoint is signed off the append path, at most every few seconds.
Edges catch `ConcurrencyConflict` (a stale `expected_version`) from here, never from the store.

What an effect can do before the append, it does before (`effect.before_append(pending)`, which may return what
is left to do after it): from the store's append to COMMIT the event store's head is locked, and every other
write waits for it (registry/eventstore/store.py), so that window holds only what needs the appended events'
positions and record times. The projection reads what it needs before and only writes after
(projections/projector.py "Reading before the append"); the validation job, which needs neither, is written
before. Both stay in the command's one transaction: a refused append (a stale stream version) rolls them back.

Bulk ingestion of NEW agreements (importers, bench/scale.py building 10k-100k agreement corpora):

    services.handle_bulk([services.NewAgreement(slug, [DraftAgreement(...), AddParty(...), ...]), ...],
                         user=None, batch=500) -> BulkResult(created, skipped, events)

decides each agreement's commands against its in-memory state (no replay, no query per command beyond
the directory's cached look-ups), then stores `batch` agreements per transaction: one append statement for
all their events (gap-free commit-ordered positions, the hash chain), the new agreements projected in
memory and written with bulk INSERTs (projections/bulk.py), one validation job update per batch (an effect
with `.many`). An agreement whose slug is stored already is skipped whole, so a re-run appends nothing
(`taken="refuse"`, the importers' choice, refuses it instead: nothing is left out in silence); a
refused command raises BulkRefused naming the agreement and its batch stores nothing. Agreements of a
batch may refer to one another (relations, references). A load of ANALYZE_AFTER_EVENTS events or more ends
by refreshing the planner statistics of the tables it filled (registry.statistics; ANALYZE on PostgreSQL), so
reads are planned for the tables' new size even where autovacuum runs late. The agreements may come from any
iterable, read a batch at a time; a load of DEFER_INDEX_UPKEEP_FROM agreements or more, outside any transaction,
defers the upkeep of the indexes that take each row at once (the search's GIN indexes on PostgreSQL:
registry.database), each batch catching them up before it commits. A follow copy catching up on many pages
writes them the same way (`catching_up`, `copy_events`).
"""

from __future__ import annotations

import gc
import queue
import threading
from contextlib import contextmanager
import uuid
from collections import OrderedDict
from itertools import chain, islice
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from agreements.domain import commands
from agreements.domain.aggregate import Agreement
from agreements.domain.identities import stream_id, work_uri
from agreements.domain.errors import DomainError, RuleViolated
from agreements.domain.vocabulary import PUBLISH_PERMISSION
from registry import statistics
from registry.database import backend
from registry.eventstore import store
from registry.eventstore.store import ConcurrencyConflict, NotTheHead, RecordedEvent
from registry.eventstore.tasks import after_append as sign_checkpoint_after_commit
from registry.ops import metrics, request_id

from . import eventmapper
from sources.models import Party
from .projections import lock as projections_lock
from .projections.models import AgreementRecord, Citation, ObligationRow
from .projections.bulk import NewAgreementsProjector
from .projections.projector import Projector
from .validation.jobs import enqueue_validation

__all__ = ["BulkRefused", "BulkResult", "ConcurrencyConflict", "NewAgreement", "NotAllowed", "NotTheHead", "Pending",
           "RecordedEvent",
           "Result", "copy_events", "copying",
           "handle", "handle_bulk", "handle_many", "load", "rehearsal"]



def project(slug: str, recorded: list[RecordedEvent]) -> None:
    Projector().project(recorded)


@dataclass(frozen=True)
class Pending:
    """One command's events as decided, before the append: what an effect's `before_append` is given."""

    slug: str
    stream_id: str
    version: int  # the stream's version the append expects
    decided: list  # the domain events
    events: list  # their store.NewEvent, in the same order (event ids, types, payloads)


def _project_before_append(pending: Pending):
    """The projection's reads before the append; after it, its writes (the events as decided, not read back)."""
    projector = Projector()
    projector.prepare(pending.stream_id, [(ev.event_id, decided) for ev, decided in zip(pending.events,
                                                                                        pending.decided)])
    return lambda recorded: projector.project_decided(recorded, pending.decided)


project.before_append = _project_before_append


def _project_many(batch: dict, decided: dict | None = None) -> None:
    """A bulk batch: new agreements in memory, written with bulk INSERTs (the rest event by event)."""
    NewAgreementsProjector().project(sorted((rec for recs in batch.values() for rec in recs),
                                            key=lambda rec: rec.position), decided)


project.many = _project_many


class _Rehearsal(threading.local):
    active = False


_rehearsal = _Rehearsal()


@contextmanager
def rehearsal():
    """Commands handled in here are a dry run the caller rolls back (the admin's status-table preview): they
    count in no metric, neither as refused nor as appended."""
    before, _rehearsal.active = _rehearsal.active, True
    try:
        yield
    finally:
        _rehearsal.active = before


def count_appended(slug: str, recorded: list[RecordedEvent]) -> None:
    if not _rehearsal.active:
        transaction.on_commit(lambda: metrics.events_appended(recorded))


count_appended.many = lambda batch: None if _rehearsal.active else transaction.on_commit(
    lambda: metrics.events_appended([rec for recs in batch.values() for rec in recs]))


# Each called as effect(slug, recorded) after the append.
EFFECTS = (project, enqueue_validation, count_appended, sign_checkpoint_after_commit)


class NotAllowed(Exception):
    """The actor may not issue this command (e.g. publishing needs a reviewer)."""


@dataclass(frozen=True)
class Result:
    slug: str
    version: int
    events: list[RecordedEvent]
    replayed: bool = False  # True when an idempotent retry found the command already handled


class DatabaseDirectory:
    """What the aggregate may ask about the world outside its stream."""

    def agreement_exists(self, slug: str) -> bool:
        return AgreementRecord.objects.filter(slug=slug).exists()

    def party_exists(self, code: str) -> bool:
        return Party.objects.filter(code=code).exists()

    def party_span(self, code: str):
        """The first and last day the party's dated names cover (None: open), or None if none is dated."""
        from agreements.queries.parties import existence_span

        return existence_span(code)

    def source_exists(self, source: str) -> bool:
        from sources.models import resolve_source

        return resolve_source(source) is not None

    def work_uri_taken(self, uri: str) -> bool:
        return AgreementRecord.objects.filter(work_uri=uri).exists()

    def owner_of(self, kind: str, id_: str) -> str | None:
        """The agreement that holds an obligation or citation id (domain/ownership.py), by its slug."""
        rows = {"obligation": (ObligationRow, "obligation_id"), "citation": (Citation, "citation_id")}[kind]
        try:
            return rows[0].objects.filter(**{rows[1]: id_}).values_list("agreement__slug", flat=True).first()
        except ValidationError:  # not a UUID: no row holds it
            return None


class _Loaded(threading.local):
    """This thread's recently decided agreements: slug -> (version, hash of its last event, Agreement)."""

    def __init__(self):
        self.entries: OrderedDict[str, tuple[int, str, Agreement]] = OrderedDict()


_loaded = _Loaded()
LOADED_AGREEMENTS_KEPT = 256


def load(slug: str) -> Agreement:
    """The agreement's current state, without replaying a long stream for every command.

    A thread keeps the agreements it recently wrote to, each with its stream version and the hash of its
    last event (the hash chain). Loading reads the stream from that version on: if the stored event at the
    version still has that hash, only the newer events are applied; otherwise (another transaction rolled
    back, a flushed database) the stream is replayed from the start. So the cost of a command does not grow
    with the length of its agreement's history, and the state is never trusted beyond what is stored."""
    sid = stream_id(slug)
    cached = _loaded.entries.get(slug)
    if cached is not None:
        version, last_hash, agreement = cached
        newer = store.read_stream(sid, after_version=version - 1)
        if newer and newer[0].stream_version == version and newer[0].hash == last_hash:
            _remember(slug, agreement, newer[1:])
            return agreement
        _loaded.entries.pop(slug, None)
    agreement = Agreement()
    _apply(agreement, store.read_stream(sid))
    return agreement


def _apply(agreement: Agreement, recorded) -> None:
    for s in eventmapper.stored(recorded):
        agreement.apply(s.event, str(s.record.event_id))


def _remember(slug: str, agreement: Agreement, recorded) -> None:
    if not recorded:
        return
    _apply(agreement, recorded)
    entries = _loaded.entries
    entries[slug] = (recorded[-1].stream_version, recorded[-1].hash, agreement)
    entries.move_to_end(slug)
    while len(entries) > LOADED_AGREEMENTS_KEPT:
        entries.popitem(last=False)


def uncited_facts(slug: str) -> list[str]:
    """What Publish would count as uncited (the aggregate's own rule), for the reviewer's warning."""
    return load(slug).uncited_facts()


def handle(
    command: commands.Command,
    *,
    slug: str | None = None,
    user=None,
    expected_version: int | None = None,
    correlation_id: str = "",
    retries: int = 3,
) -> Result:
    """Apply one command. With `expected_version`, a stale version is a ConcurrencyConflict; without it,
    a concurrent append is retried against the new state (the rules are checked again)."""
    if isinstance(command, commands.DraftAgreement):
        slug = command.slug
    if not slug:
        raise ValueError("handle() needs the agreement's slug for this command")
    if command.needs_reviewer and user is not None and not user.has_perm(PUBLISH_PERMISSION):
        raise NotAllowed(f"{command.type} needs reviewer rights.")
    actor = getattr(user, "get_username", lambda: "")() if user is not None else "system"
    for attempt in range(retries + 1):
        try:
            return _handle_once(command, slug, actor, expected_version, correlation_id)
        except ConcurrencyConflict:
            if expected_version is not None or attempt == retries:
                raise


def _handle_once(command, slug, actor, expected_version, correlation_id) -> Result:
    sid = stream_id(slug)
    with transaction.atomic():
        projections_lock.hold_for_writing()  # a rebuild running now would race the projection
        if command.command_id:
            done = store.find_caused_by(sid, command.command_id)
            if done:
                return Result(slug, store.current_version(sid), done, replayed=True)
        agreement = load(slug)
        if expected_version is not None and expected_version != agreement.version:
            raise ConcurrencyConflict(sid, expected_version, agreement.version)
        try:
            decided = agreement.decide(command, DatabaseDirectory())
        except DomainError as exc:
            if not _rehearsal.active:
                metrics.command_refused(exc)
            raise
        pending = Pending(slug, sid, agreement.version, decided, [eventmapper.new_event(ev) for ev in decided])
        after = _before_append(pending)
        # From here to COMMIT the store's head is locked: only what needs the events' positions and times.
        recorded = store.append(
            sid,
            agreement.version,
            pending.events,
            actor=actor,
            causation_id=command.command_id or str(uuid.uuid4()),
            correlation_id=correlation_id or request_id.current(),  # the X-Request-ID, when a request wrote
        )
        for effect in after:
            effect(recorded)
    if recorded and recorded[0].stream_version == agreement.version + 1:  # not an idempotent replay
        _remember(slug, agreement, recorded)  # the thread's cache, kept out of the head's lock
    return Result(slug, recorded[-1].stream_version, recorded)


def _before_append(pending: Pending) -> list:
    """Each effect's part before the append (its `before_append`, if it has one); the parts left for after it,
    in EFFECTS' order, each called with the recorded events."""
    after = []
    for effect in EFFECTS:
        before = getattr(effect, "before_append", None)
        if before is None:
            after.append(lambda recorded, effect=effect: effect(pending.slug, recorded))
        elif (then := before(pending)) is not None:
            after.append(then)
    return after


@dataclass(frozen=True)
class NewAgreement:
    slug: str
    commands: list  # the DraftAgreement first, then the rest, in order


@dataclass
class BulkResult:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    events: int = 0


class BulkRefused(Exception):
    """A command of one agreement in a bulk load broke a rule: its batch stored nothing."""

    def __init__(self, slug: str, index: int, error: Exception):
        self.slug, self.index, self.error = slug, index, error
        super().__init__(f"{slug}: command {index + 1}: {error}")


class _BulkDirectory(DatabaseDirectory):
    """The directory for a batch: agreements decided earlier in it exist; look-ups are remembered."""

    def __init__(self, absent=(), uris=(), parties=()):
        self.decided: set[str] = set()
        self.decided_uris: set[str] = set()
        self._memo: dict = {("agreement", slug): False for slug in absent}  # known not to be stored
        # The work URIs the batch's drafts will ask about, looked up in one query instead of one each.
        taken = set(AgreementRecord.objects.filter(work_uri__in=list(uris)).values_list("work_uri", flat=True))
        self._memo.update({("work_uri", uri): uri in taken for uri in uris})
        # Likewise the parties its AddParty commands name, and the days their names cover: two queries, not two
        # a party (a batch naming 100 parties spent 7% of a load's time asking, one by one, measured at 100k).
        if parties:
            from agreements.queries.parties import existence_spans

            known = set(Party.objects.filter(code__in=list(parties)).values_list("code", flat=True))
            spans = existence_spans(parties)
            self._memo.update({("party", code): code in known for code in parties})
            self._memo.update({("span", code): spans.get(code) for code in parties})

    def _remembered(self, key, ask):
        if key not in self._memo:
            self._memo[key] = ask()
        return self._memo[key]

    def agreement_exists(self, slug: str) -> bool:
        return slug in self.decided or self._remembered(("agreement", slug), lambda: super(
            _BulkDirectory, self).agreement_exists(slug))

    def party_exists(self, code: str) -> bool:
        return self._remembered(("party", code), lambda: super(_BulkDirectory, self).party_exists(code))

    def party_span(self, code: str):
        return self._remembered(("span", code), lambda: super(_BulkDirectory, self).party_span(code))

    def source_exists(self, source: str) -> bool:
        return self._remembered(("source", source), lambda: super(_BulkDirectory, self).source_exists(source))

    def work_uri_taken(self, uri: str) -> bool:
        return uri in self.decided_uris or self._remembered(("work_uri", uri), lambda: super(
            _BulkDirectory, self).work_uri_taken(uri))


# A bulk load of at least this many events refreshes the planner statistics of the tables it filled.
ANALYZE_AFTER_EVENTS = 1_000
# A bulk load of at least this many agreements, called outside any transaction, defers the upkeep of the indexes
# that take each row at once (registry.database: the search's GIN indexes on PostgreSQL), each batch catching
# them up before it commits.
DEFER_INDEX_UPKEEP_FROM = 1_000


def handle_bulk(agreements, *, user=None, batch: int = 500, progress=None, taken: str = "skip") -> BulkResult:
    """Store many new agreements fast (see the module docstring). `progress(done)` after each batch.
    `agreements`: any iterable (a generator keeps a large load's memory to a batch).

    `taken`: what a slug stored already (or twice in the call) means. "skip" (seeds: a re-run appends nothing)
    leaves it out and lists it in `skipped`; "refuse" (importers, whose new works must all be stored) raises
    BulkRefused with the rule `agreement_exists`, so nothing is left out in silence.

    Called outside any transaction on a database whose backend writes beside reads (PostgreSQL), a load of a
    full batch or more writes each batch on a connection of its own in a writer thread while this thread decides,
    links and projects the next (_BatchWriter): the batches still commit one by one, in order, each in one
    transaction; the first that fails stops the load (nothing of it, nothing after it is written) and its error
    is raised here."""
    if taken not in ("skip", "refuse"):
        raise ValueError("taken is 'skip' or 'refuse'")
    actor = getattr(user, "get_username", lambda: "")() if user is not None else "system"
    may_publish = user is None or user.has_perm(PUBLISH_PERMISSION)
    result = BulkResult()
    # Any iterable, read a batch at a time (a million agreements need not be in memory at once), ahead only as
    # far as it takes to know whether the load is large.
    agreements = iter(agreements)
    ahead = list(islice(agreements, max(batch, DEFER_INDEX_UPKEEP_FROM)))
    database = backend(connection)
    outside = not connection.in_atomic_block
    deferred = database.defer_index_upkeep(connection) if len(ahead) >= DEFER_INDEX_UPKEEP_FROM and outside else []
    beside = outside and database.writes_beside_reads and len(ahead) >= batch  # a full batch: likely more to come
    agreements, start, head = chain(ahead, agreements), 0, None
    with _without_cycle_collection(), _restoring(database, deferred), \
            _BatchWriter(beside, partial(_write_prepared, database, deferred), result, progress) as writer:
        while chunk := list(islice(agreements, batch)):
            prepared = _prepare(chunk, writer, actor, may_publish, taken, result)
            if writer.fell_back:  # another writer appended meanwhile: link to the head as it is once written
                head = writer.drain()
            prepared.link(head)
            start += len(chunk)
            prepared.done = start
            writer.put(prepared)
            head = prepared.after
    if result.events >= ANALYZE_AFTER_EVENTS:
        # A load this large changes the tables' shape: the planner must not keep planning them as they were
        # (autovacuum may run late). Where the backend has nothing to do, nothing happens (registry.statistics).
        statistics.refresh([store.StoredEvent._meta.db_table, *NewAgreementsProjector.tables()])
    return result


@dataclass
class _Prepared:
    """One batch of a bulk load, decided, linked and projected in memory: what its transaction writes."""

    slugs: list
    uris: set
    appends: list
    decided: dict
    done: int = 0
    linked: object = None
    head: object = None
    after: object = None
    projector: object = None
    recorded: list = field(default_factory=list)

    def link(self, head) -> None:
        """Link the batch after `head` (the stored head when None) and build its rows, their keys taken and their
        values made ready to store (NewAgreementsProjector.ready): the writing transaction only sends them."""
        self.linked, self.head, self.after = store.link_ahead(self.appends, head)
        self.projector = NewAgreementsProjector().prepare(self.linked.recorded, self.decided).ready()


def _prepare(chunk, writer, actor, may_publish, taken, result) -> _Prepared:
    """Decide a batch's agreements against the stored ones and those of the batches still being written."""
    # The batches still being written first: one that commits meanwhile is then found stored.
    pending_slugs, pending_uris = writer.pending()
    stored = set(AgreementRecord.objects.filter(slug__in=[a.slug for a in chunk]).values_list("slug", flat=True))
    directory = _BulkDirectory(absent={a.slug for a in chunk} - stored, uris=_draft_uris(chunk),
                               parties=_added_parties(chunk))
    directory.decided |= pending_slugs
    directory.decided_uris |= pending_uris
    appends, slugs, uris, decided = [], [], set(), {}
    for new in chunk:
        if new.slug in stored or new.slug in directory.decided:
            if taken == "refuse":
                raise BulkRefused(new.slug, 0, RuleViolated(
                    "agreement_exists", f"An agreement with the slug '{new.slug}' already exists.", "slug"))
            result.skipped.append(new.slug)
            continue
        made = _decide_new(new, directory, actor, may_publish, decided)
        appends += made
        directory.decided.add(new.slug)
        uri = made[0].events[0].payload.get("work_uri", "")
        directory.decided_uris.add(uri)
        uris.add(uri)
        slugs.append(new.slug)
    return _Prepared(slugs, uris, appends, decided)


def _write_prepared(database, deferred, prepared: _Prepared) -> list:
    """One batch's transaction: its events as linked ahead and its rows as built; if another writer appended
    since it was linked, linked and projected again after the head as it is (the store's usual append)."""
    with transaction.atomic(), database.upkeep_deferred(connection, deferred):
        projections_lock.hold_for_writing()  # as in handle(): a rebuild running now would race the projection
        recorded = store.append_linked(prepared.linked, prepared.head, prepared.after)
        if recorded is None:
            recorded = store.append_streams(prepared.appends)
            _run_effects(recorded, prepared.decided)
        else:
            _run_effects(recorded, prepared.decided, prepared.projector)
    return recorded


class _BatchWriter:
    """Writes a bulk load's prepared batches in order, each in its own transaction: in a thread of its own (on
    a connection of its own) while the loading thread prepares the next batch, or, `beside` False, at once in
    the loading thread (a caller's transaction, SQLite, a load of one batch).

    The thread takes one batch at a time from a queue holding at most one more, so the loading thread runs at
    most two batches ahead of what is committed (their slugs and work URIs count as taken: `pending_slugs`).
    The first batch that fails ends the writing: nothing of it is stored (its transaction rolls back), nothing
    after it is written, and its error is raised in the loading thread at its next step, or on leaving."""

    def __init__(self, beside: bool, write, result: BulkResult, progress=None):
        self._write, self._result, self._progress = write, result, progress
        self.error: BaseException | None = None
        self.fell_back = False  # a batch was linked again (another writer appended while it waited)
        self.head = None  # the head the last batch written left, when it was linked again
        self._pending: list[_Prepared] = []  # prepared, not yet committed (in order)
        self._committed: list[_Prepared] = []  # committed, not yet counted in the result (loading thread's)
        self._guard = threading.Lock()
        self._queue = queue.Queue(maxsize=1) if beside else None
        self._thread = threading.Thread(target=self._run, name="pacta-bulk-writer", daemon=True) if beside else None

    def __enter__(self):
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(self, kind, exc, tb):
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
        self._count()
        if kind is None:
            self._raise()
        return False

    def pending(self) -> tuple[set, set]:
        """The slugs and work URIs of the batches handed over and not yet committed."""
        with self._guard:
            return ({slug for p in self._pending for slug in p.slugs}, {uri for p in self._pending for uri in p.uris})

    def put(self, prepared: _Prepared) -> None:
        """Hand a batch over to be written (at once without a thread); raises the error of a batch that failed."""
        self._raise()
        self._count()
        with self._guard:
            self._pending.append(prepared)
        if self._queue is None:
            self._written(prepared)
            self._count()
            self._raise()
        else:
            self._queue.put(prepared)

    def drain(self):
        """Wait until every batch handed over is written; the head the last one left."""
        if self._queue is not None:
            self._queue.join()
        self._raise()
        self.fell_back = False
        return self.head

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _count(self) -> None:
        """The batches committed since, in the result and the progress, in the loading thread."""
        with self._guard:
            committed, self._committed = self._committed, []
        for prepared in committed:
            self._result.created += prepared.slugs
            self._result.events += len(prepared.recorded)
            if self._progress:
                self._progress(prepared.done)

    def _written(self, prepared: _Prepared) -> None:
        recorded = None
        try:
            if self.error is None:
                recorded = self._write(prepared)
        except BaseException as exc:  # the batch rolled back: no batch after it is written
            self.error = exc
        head = store.head() if recorded is not None and recorded is not prepared.linked.recorded else None
        with self._guard:
            self._pending.remove(prepared)
            if recorded is not None:
                prepared.recorded = recorded
                self._committed.append(prepared)
            if head is not None:  # linked again after another writer's events
                self.fell_back, self.head = True, head

    def _run(self) -> None:
        try:
            while (prepared := self._queue.get()) is not None:
                try:
                    self._written(prepared)
                finally:
                    self._queue.task_done()
        finally:
            connection.close()  # this thread's own connection


def _draft_uris(chunk) -> set[str]:
    drafts = [new.commands[0] for new in chunk if new.commands and isinstance(new.commands[0], commands.DraftAgreement)]
    return {draft.work_uri or work_uri(draft.slug, draft.work_date) for draft in drafts}


def _added_parties(chunk) -> set[str]:
    return {command.party for new in chunk for command in new.commands if isinstance(command, commands.AddParty)}


@contextmanager
def _restoring(database, deferred):
    """The deferred index upkeep restored however the load ends (a refusal, an outage)."""
    try:
        yield
    finally:
        database.restore_index_upkeep(connection, deferred)


@contextmanager
def _without_cycle_collection():
    """Python's cycle collector off while a bulk load runs: a load allocates millions of objects that live
    until their batch is written, and each collection walked them all again (a fifth of the load's Python
    time, measured); its few cycles are collected when the load is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _decide_new(new: NewAgreement, directory, actor: str, may_publish: bool,
                decided_events: dict | None = None) -> list[store.StreamAppend]:
    """The agreement's appends, one per command; `decided_events` gets each event's domain event by event id
    (the batch projector takes them as decided instead of reading each payload back)."""
    agreement, appends = Agreement(), []
    for index, command in enumerate(new.commands):
        try:
            if command.needs_reviewer and not may_publish:
                raise NotAllowed(f"{command.type} needs reviewer rights.")
            if index == 0 and not isinstance(command, commands.DraftAgreement):
                raise ValueError("a new agreement's first command is DraftAgreement")
            decided = agreement.decide(command, directory)
        except Exception as exc:
            raise BulkRefused(new.slug, index, exc) from exc
        events = [eventmapper.new_event(ev) for ev in decided]
        appends.append(store.StreamAppend(stream_id(new.slug), agreement.version, events, actor,
                                          command.command_id or str(uuid.uuid4()), request_id.current()))
        for ev, new_event in zip(decided, events):
            agreement.apply(ev, str(new_event.event_id))
            if decided_events is not None:
                decided_events[new_event.event_id] = ev
    return appends


def _run_effects(recorded, decided: dict | None = None, projector: NewAgreementsProjector | None = None) -> None:
    """Every effect for a batch of several agreements' events: at once where the effect has `.many`.
    `decided`: {event id: domain event} for events decided here (handle_bulk), which the projection then takes
    as they are instead of reading their payloads back (an event read back is the very event decided: the
    equality tests of tests/services/test_bulk.py). `projector`: the batch's rows built already (`prepare`)."""
    by_stream: dict[str, list] = {}
    for rec in recorded:
        by_stream.setdefault(rec.stream_id, []).append(rec)
    batch = {sid.split(":", 1)[1] if sid.startswith("agreement:") else sid: events
             for sid, events in by_stream.items()}
    for effect in EFFECTS:
        if effect is project:
            if projector is not None:
                projector.write()
            else:
                _project_many(batch, decided)
        elif hasattr(effect, "many"):
            effect.many(batch)
        else:
            for slug, events in batch.items():
                effect(slug, events)


def handle_many(commands, *, slug: str, user=None, expected_version: int | None = None) -> list[Result]:
    """Several commands as one transaction (an admin save): all are stored or none."""
    results = []
    with transaction.atomic():
        for i, command in enumerate(commands):
            version = expected_version if i == 0 else None
            results.append(handle(command, slug=slug, user=user, expected_version=version, retries=0))
    return results


class CatchingUp(threading.local):
    """A copy catching up on many events (`catching_up`): the indexes whose upkeep is deferred meanwhile, and
    how many events it copied."""

    indexes: list = []
    copied: int = 0
    active: bool = False


_catching_up = CatchingUp()


@contextmanager
def catching_up():
    """Around a follow pass that copies many pages (called outside any transaction): the copy's pages are
    written as a bulk load's batches are, the indexes that take each row at once left to gather each page's rows
    and caught up before it commits (registry.database); at its end those indexes take each row at once again,
    and if it copied ANALYZE_AFTER_EVENTS events or more, the planner statistics of the tables it filled are
    refreshed, as after a bulk load (a copy's server may run autovacuum late too)."""
    database = backend(connection)
    state = _catching_up
    if state.active or connection.in_atomic_block:
        yield
        return
    state.indexes, state.copied, state.active = database.defer_index_upkeep(connection), 0, True
    try:
        yield
    finally:
        indexes, copied = state.indexes, state.copied
        state.indexes, state.copied, state.active = [], 0, False
        database.restore_index_upkeep(connection, indexes)
    if copied >= ANALYZE_AFTER_EVENTS:
        statistics.refresh([store.StoredEvent._meta.db_table, *NewAgreementsProjector.tables()])


@dataclass
class _CopiedPage:
    """One page of a copy catching up, checked and projected in memory: what its transaction writes. Read by
    _BatchWriter as a bulk load's batch is (`done`, `linked.recorded`, `recorded`); a copy's pages take no slug
    a later page could clash with (`slugs`, `uris`: a copied event clashing with a stored one is refused)."""

    copied: store.Copied
    keys: dict
    projector: NewAgreementsProjector | None
    done: int  # the page's last position: what `progress` is told once it is committed
    slugs: tuple = ()
    uris: frozenset = frozenset()
    recorded: list = field(default_factory=list)

    @property
    def linked(self) -> store.Copied:
        return self.copied


class CopiedPages:
    """A copy's pages written in order (`copying`), each in its own transaction: `copy(entries, keys)` checks a
    page's chain after the page before it (NotTheHead at once, nothing of the page written), builds its rows,
    and hands it to the writer; `copied`: the events committed so far."""

    def __init__(self, writer: _BatchWriter, result: BulkResult):
        self._writer, self._result, self._head = writer, result, None

    @property
    def copied(self) -> int:
        return self._result.events

    def copy(self, recorded, legacy_source_keys=None) -> None:
        if not recorded:
            return
        checked = store.copy_ahead(recorded, self._head)
        keys = legacy_source_keys or {}
        # Rows built ahead only where nothing they read is written with the page (a legacy source key) and no
        # stream waits for a hidden version (placeholders): otherwise projected in the page's transaction.
        projector = (NewAgreementsProjector().prepare(checked.recorded) if not keys and not checked.hidden
                     else None)
        self._writer.put(_CopiedPage(checked, keys, projector, recorded[-1].position))
        self._head = checked.after


@contextmanager
def copying(progress=None):
    """A copy catching up on many pages (manage.py follow, outside any transaction), as a bulk load writes
    (`catching_up`): yields CopiedPages. Where the database writes beside reads (PostgreSQL), each page is
    written on a connection of its own in a writer thread while this thread reads, checks and projects the next
    (_BatchWriter): the pages still commit one by one, in order, each in one transaction, with gap-free
    positions and the chain checked from the copy's head on; the first that fails stops the copy (nothing of
    it, nothing after it is written) and its error (NotTheHead for a page that does not continue the log) is
    raised at the next `copy` or on leaving. So an interrupted copy holds every page up to its last committed
    one, and the next pass resumes from there. `progress(position)` after each page is committed."""
    with catching_up():
        database = backend(connection)
        beside = database.writes_beside_reads and not connection.in_atomic_block
        result = BulkResult()
        try:
            with _without_cycle_collection(), _BatchWriter(beside, partial(_write_copied, database,
                                                                           _catching_up.indexes),
                                                           result, progress) as writer:
                yield CopiedPages(writer, result)
        finally:
            _catching_up.copied += result.events


def _write_copied(database, deferred, page: _CopiedPage) -> list:
    """One page's transaction (in the writer thread): its events as checked ahead, then projected."""
    with transaction.atomic(), database.upkeep_deferred(connection, deferred):
        _store_copied(page.copied, page.keys, page.projector)
    return page.copied.recorded


def _store_copied(copied: store.Copied, keys: dict, projector: NewAgreementsProjector | None = None) -> int:
    from sources.models import remember_legacy_source_keys

    projections_lock.hold_for_writing()
    remember_legacy_source_keys(keys)
    count = store.copy_checked(copied)
    events = copied.recorded
    if copied.hidden or store.holds_placeholders():
        # A stream with a version hidden from this copy is projected up to it; the rest waits for the fill.
        reached = store.contiguous_versions(r.stream_id for r in events)
        events, projector = [r for r in events if r.stream_version <= reached[r.stream_id]], None
    _run_effects(events, projector=projector)  # new agreements projected in memory, the rest event by event
    return count


def copy_events(recorded, legacy_source_keys=None) -> int:
    """A read-only copy's write: events copied from another instance (manage.py follow), stored with their
    own positions and hashes, projected and validated (the EFFECTS, stream by stream), in one transaction.
    `legacy_source_keys`: {event id: (id, key)} the primary gave for citations that name a source by its id.
    Inside `catching_up`, as one batch of a bulk load (index upkeep deferred to its end); a copy of many pages
    goes through `copying`, which writes them the same way, each while the next is checked."""
    if not recorded:
        return 0
    with transaction.atomic(), backend(connection).upkeep_deferred(connection, _catching_up.indexes):
        count = _store_copied(store.copy_ahead(recorded), legacy_source_keys or {})
    _catching_up.copied += count
    return count


def fill_placeholders(recorded, legacy_source_keys=None) -> int:
    """A read-only copy's write: events that were hidden from it when it copied their positions (it holds them
    as placeholders), now seen (a token, or published since), each stored only if it is the very event its
    placeholder commits to (store.fill_placeholders: NotThePlaceholder otherwise, nothing written); then each
    stream they complete is projected, with its events that waited for them. Returns how many were filled."""
    from sources.models import remember_legacy_source_keys

    if not recorded:
        return 0
    with transaction.atomic():
        projections_lock.hold_for_writing()
        streams = {r.stream_id for r in recorded}
        before = store.contiguous_versions(streams)
        remember_legacy_source_keys(legacy_source_keys or {})
        store.fill_placeholders(recorded)
        after = store.contiguous_versions(streams)
        ready = [r for stream in sorted(streams) if after[stream] > before[stream]
                 for r in store.read_stream(stream, before[stream]) if r.stream_version <= after[stream]]
        _run_effects(sorted(ready, key=lambda r: r.position))
    return len(recorded)


# ---------------------------------------------------------------------------------------------- transparency log
# The log's own writes beside the events (docs/log.md): a witness's cosignature handed in to this log, and,
# on a copy that witnesses another log, the checkpoint it verified and cosigns.
from registry.eventstore.checkpoints import CosignatureRefused  # noqa: E402
from registry.eventstore.witness import WitnessRefused  # noqa: E402


def accept_cosignature(checkpoint: str, cosignature: str):
    """Store a trusted witness's cosignature of one of this log's checkpoints, or raise CosignatureRefused."""
    from registry.eventstore import checkpoints

    return checkpoints.accept_cosignature(checkpoint, cosignature)


def sign_checkpoint_of_head() -> int | None:
    """At the end of a bulk load (load_seeds, the import commands): sign a checkpoint of the log's head unless
    one covers it, so that readers get proofs for everything loaded without waiting for beat or the next write
    (registry/eventstore/checkpoints.py); returns its size, or None when none was needed or there is no key."""
    from registry.eventstore import tasks

    return tasks.sign_head_now()


def witness_checkpoint(signed_checkpoint: str, log_key: str, proof: list[bytes]) -> str:
    """On a copy: verify another log's checkpoint against what this copy holds and cosign it (witness.py);
    returns the cosignature line, or raises WitnessRefused and stores nothing."""
    from registry.eventstore import witness

    return witness.witness(signed_checkpoint, log_key, proof)
