"""Rebuild every projection from the events; hash the projected state to prove it identical.

Two ways, one projector (projector.py):

- beside the live read models (PostgreSQL, the default there): the tables are created again, empty, in a
  schema of their own (`pacta_rebuild`), the log is projected into them in short transactions while
  readers and writers keep using the live tables, through the batch path of bulk loads (bulk.py: each
  agreement whose stream starts in a page of the log is read whole and projected in memory, its rows sent
  by COPY; nobody reads the new tables, so nothing needs them row by row), the rounds catch up with the writes that came meanwhile,
  and only the last catch-up and the switch (the live tables moved out, the new ones moved in, in one
  transaction) hold writers out. A failure anywhere before that transaction commits drops the new tables
  and leaves the live ones untouched.
- in place (SQLite, inside a transaction, or `in_place=True`): the live rows are deleted and projected
  again in one transaction, during which writers wait (a SQLite write transaction holds the whole database
  anyway).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass

from django.db import OperationalError, connection, transaction

from registry.eventstore import store
from sources.models import Source

from .models import (
    AgreementDetailsVersion,
    AgreementParty,
    AgreementRecord,
    Citation,
    ClauseVersion,
    Depositary,
    EntryIntoForceRuleRow,
    LifecycleFact,
    ObligationRow,
    ParticipationPeriod,
    Reference,
    Registration,
    Relation,
    StatementVersion,
)
from . import lock
from .bulk import NewAgreementsProjector
from .projector import Projector

# Children first, so deletes respect foreign keys. The agreement rows themselves are kept and overwritten in
# place (see rebuild), so their ids, and the findings that hang on them, survive.
PROJECTION_MODELS = [
    ParticipationPeriod,
    EntryIntoForceRuleRow,
    StatementVersion,
    Citation,
    Registration,
    Depositary,
    ObligationRow,
    Reference,
    Relation,
    ClauseVersion,
    LifecycleFact,
    AgreementParty,
    AgreementDetailsVersion,
    AgreementRecord,
]


SHADOW_SCHEMA = "pacta_rebuild"  # where the new read models are built
RETIRED_SCHEMA = "pacta_retired"  # where the old ones go at the switch, dropped right after it


@dataclass
class Report:
    """What a rebuild did: events projected, catch-up rounds, and how long writers were held out (seconds)."""

    events: int = 0
    rounds: int = 0
    writes_held: float = 0.0
    switch_attempts: int = 0
    beside: bool = False


REBUILD_KEY = 0x70616374_726262  # "pact" "rbb": one rebuild beside at a time (a session advisory lock)


class RebuildRunning(Exception):
    """Another rebuild beside the live read models holds the rebuild's tables."""


class SwitchBlocked(Exception):
    """A reader or a job kept a live table longer than the switch may wait."""


class HoldsPlaceholders(Exception):
    """A copy that holds positions hidden from it: its streams would be replayed with versions missing."""


def _refuse_placeholders() -> None:
    """A tokenless copy projects a stream only up to a version hidden from it (services.copy_events); a replay
    of the whole log would not know to stop there. Refused before anything is touched."""
    if store.holds_placeholders():
        raise HoldsPlaceholders(
            "This copy holds positions of the log hidden from it (placeholders): a rebuild would replay streams with "
            "versions missing. Fill them first (`follow` with a token, or once the primary publishes them).")


def rebuild(progress=None, batch_size: int = 500, lock_timeout: float = 60, *, in_place: bool | None = None,
            **beside_options) -> int:
    """Rebuild every projection from the log; the number of events replayed.

    On PostgreSQL the read models are built beside the live ones and switched in (`rebuild_beside`); on
    SQLite, or with `in_place=True`, they are rebuilt in place in one transaction (`rebuild_in_place`).
    """
    if in_place is None:  # beside needs PostgreSQL, and commits as it goes: never inside a caller's transaction
        in_place = connection.vendor != "postgresql" or connection.in_atomic_block
    if in_place:
        return rebuild_in_place(progress, batch_size, lock_timeout).events
    return rebuild_beside(progress, batch_size, lock_timeout, **beside_options).events


def rebuild_in_place(progress=None, batch_size: int = 500, lock_timeout: float = 60) -> Report:
    """Replay every event in position order into empty projections, in one transaction.

    Writers are held out meanwhile (projections/lock.py: they wait, then get a clear 503), readers keep
    reading the state before the rebuild until it commits. Each agreement row is rewritten from scratch
    under the id it had, so bookmarked admin URLs and findings keep pointing at it.
    """
    _refuse_placeholders()
    report = Report()
    started = time.monotonic()
    with transaction.atomic():
        lock.hold_for_rebuilding(lock_timeout)
        total = store.last_position()
        record_ids = dict(AgreementRecord.objects.values_list("stream_id", "id"))
        for model in PROJECTION_MODELS:
            if model is not AgreementRecord:
                model.objects.all().delete()
        projector = Projector(record_ids)
        streams = set()
        _, report.events = _project(projector, 0, None, batch_size, progress, total, streams)
        AgreementRecord.objects.exclude(stream_id__in=streams).delete()  # rows no event stream accounts for
    report.writes_held = time.monotonic() - started
    return report


def _project(projector, after: int, upto: int | None, batch_size: int, progress, total: int,
             streams: set | None = None) -> tuple[int, int]:
    """Project the events after position `after` (up to `upto`, or the head); (last position, events)."""
    done = 0
    while upto is None or after < upto:
        limit = batch_size if upto is None else min(batch_size, upto - after)
        batch = store.read_all(after_position=after, limit=limit)
        if not batch:
            break
        # Project event by event: a stream's later events read rows its earlier ones wrote.
        for rec in batch:
            projector.project([rec])
            if streams is not None:
                streams.add(rec.stream_id)
        after = batch[-1].position
        done += len(batch)
        if progress:
            progress(len(batch), max(total, after))
    return after, done


# ------------------------------------------------------------------------------------------------ beside


def _tables() -> list[str]:
    return [model._meta.db_table for model in PROJECTION_MODELS]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _live_schema() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return cursor.fetchone()[0]


def _drop_schema(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(name)} CASCADE")


def _fetch(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _execute(*statements: str) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _create_shadow(live: str, tables: list[str]) -> None:
    """The projection tables again, empty, in SHADOW_SCHEMA: same columns, defaults, generated columns,
    checks, indexes and their names (a later migration names them), triggers, and the foreign keys between
    them (to the new tables) and to the rest (sources, to the live ones)."""
    shadow = _quote(SHADOW_SCHEMA)
    _execute(f"CREATE SCHEMA {shadow}")
    for table in tables:
        _execute(f"CREATE TABLE {shadow}.{_quote(table)} (LIKE {_quote(live)}.{_quote(table)} INCLUDING ALL)")
        _name_indexes_as_live(live, table)
        for (definition,) in _fetch(
                "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE t.tgrelid = %s::regclass AND NOT t.tgisinternal",
                [f"{_quote(live)}.{_quote(table)}"]):
            # pg_get_triggerdef names the table with its schema, whatever the search path.
            on = re.compile(rf" ON (?:{re.escape(live)}\.|{re.escape(_quote(live))}\.)?(?:{re.escape(table)}|{re.escape(_quote(table))}) ")
            _execute(on.sub(f" ON {shadow}.{_quote(table)} ", definition, count=1))
    # Foreign keys last (they name tables created above); printed with the live schema out of the search
    # path, so every table they name comes out qualified, and the projection tables are pointed at the new.
    for table in tables:
        for name, definition in _fetch(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype = 'f' ORDER BY conname", [f"{_quote(live)}.{_quote(table)}"]):
            for other in tables:
                definition = definition.replace(f"REFERENCES {_qualified(live, other)}(",
                                                f"REFERENCES {shadow}.{_quote(other)}(")
            _execute(f"ALTER TABLE {shadow}.{_quote(table)} ADD CONSTRAINT {_quote(name)} {definition}")


def _qualified(schema: str, table: str) -> str:
    """A table as pg_get_*def prints it when its schema is not in the search path."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::regclass::text", [f"{_quote(schema)}.{_quote(table)}"])
        return cursor.fetchone()[0]


def _name_indexes_as_live(live: str, table: str) -> None:
    """CREATE TABLE ... LIKE names the copied indexes its own way: give each the name of the live index it
    copies (matched by definition), so the tables switched in carry the names the migrations know."""
    def definitions(schema):
        rows = _fetch("SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                      "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass ORDER BY c.relname",
                      [f"{_quote(schema)}.{_quote(table)}"])
        found = {}
        for name, definition in rows:
            body = definition.split(" USING ", 1)[1]  # the method, columns and predicate, without names
            unique = definition.startswith("CREATE UNIQUE")
            found.setdefault((unique, body), []).append(name)
        return found

    live_names = definitions(live)
    for key, names in definitions(SHADOW_SCHEMA).items():
        targets = live_names.get(key, [])
        if len(targets) != len(names):
            raise RuntimeError(f"the copy of {table} has other indexes than the live table ({key[1]})")
        for name, target in zip(sorted(names), sorted(targets)):
            if name != target:
                _execute(f"ALTER INDEX {_quote(SHADOW_SCHEMA)}.{_quote(name)} RENAME TO {_quote(target)}")


def _drop_search_indexes(tables) -> list[str]:
    """Drop the new tables' GIN indexes (the search's: documents and trigrams); their definitions, to build
    them again once the log is projected. Kept up to date row by row (without a pending list), such an index
    cost more than the rows themselves: COPY of a clause table took 2 to 3 times as long with it as without,
    and building it afterwards a few hundredths of that. No projector reads by them."""
    found = _fetch(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_am am ON am.oid = c.relam "
        "WHERE t.relnamespace = %s::regnamespace AND t.relname = ANY(%s) AND am.amname = 'gin' "
        "AND NOT i.indisunique ORDER BY c.relname", [SHADOW_SCHEMA, tables])
    for name, _definition in found:
        _execute(f"DROP INDEX {_quote(SHADOW_SCHEMA)}.{_quote(name)}")
    return [definition for _name, definition in found]


class _Batches:
    """Projects the log into the new, empty tables many events at a time, as a bulk load projects new
    agreements (bulk.NewAgreementsProjector): each page of the log is read, and with it the later events (up
    to the head the round aims at) of every stream that starts in the page, so each such agreement is
    projected whole in memory and its rows go in by COPY; its later events are left out when their page
    comes. The events of streams that started before (a round's catch-up) go through the Projector, one by
    one, as in place. Each agreement row keeps the id of the live one (admin URLs, and the findings hanging
    on it, survive)."""

    def __init__(self, live: str):
        self._ids_sql = (f"SELECT stream_id, id FROM {_quote(live)}.{_quote(AgreementRecord._meta.db_table)} "
                         "WHERE stream_id = ANY(%s)")
        self._ahead: dict[str, int] = {}  # stream id -> the last of its events projected with an earlier page

    def project(self, after: int, stop: int, head: int, page: int, progress, total: int) -> tuple[int, int]:
        """Project the pages of events after `after` up to `stop`, the streams starting in them up to `head`;
        (last position, events projected)."""
        done = 0
        while after < stop:
            batch = store.read_all(after_position=after, limit=min(page, stop - after))
            if not batch:
                break
            end = batch[-1].position
            todo = [rec for rec in batch if rec.position > self._ahead.get(rec.stream_id, 0)]
            starting = {rec.stream_id for rec in todo if rec.stream_version == 1}
            if starting and end < head:
                for rec in store.read_all(after_position=end, stream_ids=starting):
                    if rec.position <= head:
                        todo.append(rec)
                        self._ahead[rec.stream_id] = rec.position
            ids = dict(_fetch(self._ids_sql, [list({rec.stream_id for rec in todo})])) if todo else {}
            NewAgreementsProjector(ids).project(todo)
            self._ahead = {stream: position for stream, position in self._ahead.items() if position > end}
            after = end
            done += len(todo)
            if progress:
                progress(len(todo), max(total, after))
        return after, done


class _LiveIds:
    """Stream id -> the id its agreement row has in the live table, read when the projector asks, so each
    new row keeps the id of the live one (admin URLs, and the findings hanging on it, survive)."""

    def __init__(self, live: str):
        self._sql = f"SELECT id FROM {_quote(live)}.{_quote(AgreementRecord._meta.db_table)} WHERE stream_id = %s"

    def get(self, stream_id, default=None):
        rows = _fetch(self._sql, [stream_id])
        return rows[0][0] if rows else default


def _into_shadow(live: str) -> None:
    """For the rest of this transaction, unqualified table names find the new tables first."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('search_path', %s, true)",
                       [f"{_quote(SHADOW_SCHEMA)}, {_quote(live)}"])


def rebuild_beside(progress=None, batch_size: int = 500, lock_timeout: float = 60, *, round_events: int = 20000,
                   page_events: int = 5000, final_lag: int = 20, max_rounds: int = 50, switch_timeout: float = 2,
                   switch_attempts: int = 5) -> Report:
    """Build the read models beside the live ones and switch them in (PostgreSQL).

    1. The tables are created empty in SHADOW_SCHEMA (`_create_shadow`), their search indexes left to be
       built at the end of step 2 (`_drop_search_indexes`).
    2. The log is projected into them, `round_events` events a transaction, read `page_events` at a time and
       projected as a bulk load projects (`_Batches`), up to the head; then again from
       there to the new head, in rounds, until fewer than `final_lag` events came during the last one (each
       round is shorter than the one before while writes come slower than the rounds project them), or a
       round left no fewer than the one before (writes come as fast), or `max_rounds` passed. Readers and
       writers use the live tables all along. After the first round the search indexes are built and the
       tables analysed (the catch-up reads them row by row), after the last they are analysed again.
    3. One transaction takes the projections' lock alone (projections/lock.py: writers wait behind it),
       projects the last events, moves the live tables to RETIRED_SCHEMA and the new ones in their place,
       points the foreign keys of other tables (findings) at the new agreement rows, and commits. Writers
       wait for this transaction only. If a reader holds a live table longer than `switch_timeout`
       seconds, the transaction is undone, writers go on, and it is tried again after another round.
    4. The rows of other tables about agreements no event accounts for are deleted (a rebuild in place
       deletes them too), those foreign keys validated, and the retired tables dropped.

    Any failure before step 3 commits drops SHADOW_SCHEMA and leaves the live read models as they were. One
    rebuild beside runs at a time (RebuildRunning for a second one, which changes nothing).
    """
    _refuse_placeholders()
    if connection.vendor != "postgresql":
        raise RuntimeError("a rebuild beside the live read models needs PostgreSQL; rebuild in place")
    if connection.in_atomic_block:
        raise RuntimeError("a rebuild beside the live read models commits as it goes: call it outside a transaction")
    if not _fetch("SELECT pg_try_advisory_lock(%s)", [REBUILD_KEY])[0][0]:
        raise RebuildRunning("Another rebuild of the read models is running; nothing was changed: wait for it.")
    try:
        return _rebuild_beside(progress, batch_size, lock_timeout, round_events, page_events, final_lag, max_rounds,
                               switch_timeout, switch_attempts)
    finally:
        _fetch("SELECT pg_advisory_unlock(%s)", [REBUILD_KEY])


def _rebuild_beside(progress, batch_size, lock_timeout, round_events, page_events, final_lag, max_rounds,
                    switch_timeout, switch_attempts) -> Report:
    report = Report(beside=True)
    live, tables = _live_schema(), _tables()
    _drop_schema(SHADOW_SCHEMA)  # what a rebuild killed on its way left behind (none runs: we hold REBUILD_KEY)
    _drop_schema(RETIRED_SCHEMA)
    after = 0
    try:
        with transaction.atomic():
            _create_shadow(live, tables)
            deferred = _drop_search_indexes(tables)
        behind, batches = None, _Batches(live)
        while report.rounds < max_rounds:
            head = store.last_position()
            if report.rounds and (head - after < final_lag or (behind is not None and head - after >= behind)):
                break  # few enough left for the switch, or the writes came as fast as the rounds caught up
            behind = head - after if report.rounds else None
            report.rounds += 1
            while after < head:
                start = after
                with transaction.atomic():
                    _into_shadow(live)
                    after, done = batches.project(after, min(head, after + round_events), head, page_events,
                                                  progress, head)
                report.events += done
                if after == start:  # (a page of events projected ahead with their streams counts none)
                    break
            if report.rounds == 1:
                # The log is in: the search indexes, and statistics for the catch-up's queries (the Projector
                # reads the new tables row by row; unanalysed, a million-row table is planned as an empty one).
                _execute(*deferred)
                _analyze_shadow(tables)
        _analyze_shadow(tables)
        while True:
            report.switch_attempts += 1
            try:
                projected, seconds = _catch_up_and_switch(live, tables, after, batch_size, progress, lock_timeout,
                                                          switch_timeout)
            except SwitchBlocked:
                if report.switch_attempts >= switch_attempts:
                    raise
                with transaction.atomic():  # what came while the switch waited, outside the lock
                    _into_shadow(live)
                    after, done = _project(Projector(_LiveIds(live)), after, None, batch_size, progress, after)
                report.events += done
                continue
            report.events += projected
            report.writes_held = seconds
            break
    except BaseException:
        _drop_schema(SHADOW_SCHEMA)
        raise
    _after_switch(live)
    return report


def _catch_up_and_switch(live, tables, after, batch_size, progress, lock_timeout, switch_timeout):
    """Step 3 of rebuild_beside, one transaction; (events projected, seconds writers were held out)."""
    shadow, retired = _quote(SHADOW_SCHEMA), _quote(RETIRED_SCHEMA)
    agreements = _quote(AgreementRecord._meta.db_table)
    with transaction.atomic():
        started = time.monotonic()
        lock.hold_for_rebuilding(lock_timeout)
        _into_shadow(live)
        _, done = _project(Projector(_LiveIds(live)), after, None, batch_size, progress, after)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('search_path', %s, true)", [_quote(live)])
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(switch_timeout * 1000)}ms"])
        inbound = _inbound_foreign_keys(live, tables)
        try:
            for table, name, _definition, _column, _target, _target_column in inbound:
                _execute(f"ALTER TABLE {table} DROP CONSTRAINT {_quote(name)}")
            _execute(f"CREATE SCHEMA {retired}")
            for table in tables:
                _execute(f"ALTER TABLE {_quote(live)}.{_quote(table)} SET SCHEMA {retired}")
            # New agreements take ids after every id the live table gave (they are kept, see _LiveIds).
            _execute(
                f"SELECT setval(pg_get_serial_sequence('{shadow}.{agreements}', 'id'), GREATEST("
                f"(SELECT COALESCE(MAX(id), 0) FROM {retired}.{agreements}),"
                f"(SELECT COALESCE(MAX(id), 0) FROM {shadow}.{agreements}), 1))")
            for table in tables:
                _execute(f"ALTER TABLE {shadow}.{_quote(table)} SET SCHEMA {_quote(live)}")
            for table, name, definition, *_ in inbound:
                _execute(f"ALTER TABLE {table} ADD CONSTRAINT {_quote(name)} {definition} NOT VALID")
            _execute(f"DROP SCHEMA {shadow}")
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) == "55P03":  # lock_not_available
                raise SwitchBlocked(str(exc)) from exc
            raise
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', '0', true)")
    return done, time.monotonic() - started


def _inbound_foreign_keys(live, tables):
    """Foreign keys of other tables onto the projection tables: (table, name, definition, column, target
    table, target column), single-column ones (Django makes no other)."""
    rows = _fetch(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), a.attname, t.relname, ta.attname "
        "FROM pg_constraint c JOIN pg_class t ON t.oid = c.confrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "JOIN pg_attribute ta ON ta.attrelid = c.confrelid AND ta.attnum = c.confkey[1] "
        "WHERE c.contype = 'f' AND n.nspname = %s AND t.relname = ANY(%s) "
        "AND c.conrelid NOT IN (SELECT oid FROM pg_class WHERE relnamespace = n.oid AND relname = ANY(%s)) "
        "ORDER BY 1, 2", [live, tables, tables])
    return rows


def _after_switch(live: str) -> None:
    """Step 4: the re-pointed foreign keys checked (they were added NOT VALID: no table was scanned under the
    lock), and the retired tables dropped."""
    for table, name, _definition, column, target, target_column in _inbound_foreign_keys(live, _tables()):
        # Rows of other tables about agreements no event accounts for go, as a rebuild in place deletes them
        # with the agreement row (findings: on_delete CASCADE).
        _execute(f"DELETE FROM {table} WHERE {_quote(column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                 f"{_quote(live)}.{_quote(target)} t WHERE t.{_quote(target_column)} = {table}.{_quote(column)})")
        _execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {_quote(name)}")
    _drop_schema(RETIRED_SCHEMA)


def _analyze_shadow(tables) -> None:
    """The planner's statistics of the new tables, taken before the switch (they move with the tables), so
    the first reads after it are planned on the new rows."""
    for table in tables:
        _execute(f"ANALYZE {_quote(SHADOW_SCHEMA)}.{_quote(table)}")


def _value(v):
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v) if v is not None and not isinstance(v, (int, float, bool, str, dict, list)) else v


def projection_hash() -> str:
    """SHA-256 over every projection row in a stable order, with database ids replaced by natural keys."""
    digest = hashlib.sha256()
    slugs = dict(AgreementRecord.objects.values_list("id", "slug"))
    sources = dict(Source.objects.values_list("id", "key"))
    for model in reversed(PROJECTION_MODELS):
        fields = [f for f in model._meta.concrete_fields if f.name != "id"]
        rows = []
        for obj in model.objects.all().values(*[f.attname for f in fields]):
            row = {}
            for f in fields:
                value = obj[f.attname]
                if f.name == "agreement":
                    value = slugs.get(value)
                elif f.name == "source":
                    value = sources.get(value)  # by key: a copy of the registry numbers its sources its own way
                row[f.name] = _value(value)
            rows.append(json.dumps(row, sort_keys=True, default=str))
        digest.update(model._meta.db_table.encode())
        for line in sorted(rows):
            digest.update(line.encode())
            digest.update(b"\n")
    return digest.hexdigest()
