"""The store's writer on PostgreSQL: a whole append in ONE statement, prepared once per connection.

Why: appends serialise on the counter row's lock, so the time between taking it and committing is the
store's throughput. PostgreSQL can check and write everything in one data-modifying WITH: move the counter
from the head the writer linked its events to (which takes the row's lock), check that every stream is at its
expected version and no event id is stored yet, insert the events and the Merkle tree's new hashes. If the
counter is no longer at that head (another writer moved it, or our transaction rolled back), nothing is
written and the store locks the head and tries again (store.append_streams). Because the statement checks the
head itself, a connection may link its next append to the head its last one left (persistence.LastHead), and
outside any transaction the statement is a transaction of its own: one round trip, no BEGIN and COMMIT.

The rows travel as ONE JSON parameter, an array of each event's stored row (store._linked): its hashed record,
character for character, plus the columns outside the chain; the server turns it into rows of the table's own
type (json_populate_recordset). So the statement's text never changes with the number of events, and it is
prepared on the server once per connection: Django turns psycopg's automatic preparing off (prepare_threshold
None, under which even `prepare=True` is ignored), so the threshold is lifted for this one statement only
(`_prepared`).

A large append (a bulk load's batch, COPY_FROM events or more, inside its transaction) goes another way, at
the speed of COPY: one statement moves the counter from the head with the same checks and inserts the tree's
new hashes, and only if it did, ONE `COPY` writes the events, as text built here from the very strings the
chain hashed (`copy_text`). Both run in the append's transaction, which from the counter's update on holds
its row lock: no other append can come between them, so positions stay gap-free and the chain unbroken.

Events that come whole (a follow copy's, placeholders filled) go in by one COPY too (`insert_events`), after the
portable writer's checks and counter update (persistence.Writer.write_checked), in the same transaction.

The append-only triggers are ENABLE ALWAYS, so `session_replication_role = replica` does not bypass them, and a
statement-level trigger refuses TRUNCATE (row triggers never see it).
"""

from __future__ import annotations

from . import chain, merkle
from .persistence import Writer, first_per_stream
from .records import STORED_COLUMNS, ConcurrencyConflict, Head, Linked

# From how many events an append inside a transaction is written with COPY: below, the one statement's single
# round trip is cheaper than COPY's two.
COPY_FROM = 1000

APPEND = """
WITH e AS MATERIALIZED (
    SELECT * FROM json_populate_recordset(NULL::pacta_event, %(rows)s::json)
), taken AS (
    UPDATE pacta_event_position SET position = %(last)s, recorded_at = %(recorded_at)s, head_hash = %(head_hash)s
     WHERE id = 1 AND position = %(head)s AND head_hash = %(prev_hash)s
       AND NOT EXISTS (
           SELECT 1 FROM (SELECT stream_id, MIN(stream_version) - 1 AS version FROM e GROUP BY stream_id) AS s
            WHERE (SELECT COALESCE(MAX(p.stream_version), 0) FROM pacta_event p WHERE p.stream_id = s.stream_id)
                  <> s.version)
       AND NOT EXISTS (SELECT 1 FROM pacta_event p WHERE p.event_id = ANY(ARRAY(SELECT event_id FROM e)))
    RETURNING position
), tree AS (
    INSERT INTO pacta_log_hash (id, hash)
    SELECT %(tree_from)s + u.o - 1, u.h FROM unnest(%(tree)s::bytea[]) WITH ORDINALITY AS u(h, o), taken
)
INSERT INTO pacta_event SELECT e.* FROM e, taken
"""

# The large append's first statement: APPEND's counter update, stream check and tree hashes; the events follow by
# COPY. The tree hashes travel as one string of bytes, cut up by the server: psycopg adapting a list of thousands
# of values one by one cost more than the statement. Event ids stored already are left to the table's unique
# constraint (`_write_by_copy`): checking thousands of ids first cost as much as the COPY.
TAKE_HEAD = """
WITH taken AS (
    UPDATE pacta_event_position SET position = %(last)s, recorded_at = %(recorded_at)s, head_hash = %(head_hash)s
     WHERE id = 1 AND position = %(head)s AND head_hash = %(prev_hash)s
       AND NOT EXISTS (
           SELECT 1 FROM unnest(%(streams)s::text[], %(versions)s::bigint[]) AS s(stream_id, version)
            WHERE (SELECT COALESCE(MAX(p.stream_version), 0) FROM pacta_event p WHERE p.stream_id = s.stream_id)
                  <> s.version)
    RETURNING position
), tree AS (
    INSERT INTO pacta_log_hash (id, hash)
    SELECT %(tree_from)s + k - 1, substring(%(tree)s::bytea FROM (k - 1) * %(size)s + 1 FOR %(size)s)
      FROM generate_series(1, %(tree_count)s) AS k, taken
)
SELECT position FROM taken
"""
COPY_EVENTS = f"COPY pacta_event ({', '.join(STORED_COLUMNS)}) FROM STDIN"

INSTALL_TRIGGERS = [
    """
    CREATE OR REPLACE FUNCTION pacta_event_immutable() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'pacta_event is append-only: % is not allowed; record a correcting event instead', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    "DROP TRIGGER IF EXISTS pacta_event_no_update ON pacta_event;",
    "DROP TRIGGER IF EXISTS pacta_event_no_delete ON pacta_event;",
    "DROP TRIGGER IF EXISTS pacta_event_no_truncate ON pacta_event;",
    """CREATE TRIGGER pacta_event_no_update BEFORE UPDATE ON pacta_event
       FOR EACH ROW EXECUTE FUNCTION pacta_event_immutable();""",
    """CREATE TRIGGER pacta_event_no_delete BEFORE DELETE ON pacta_event
       FOR EACH ROW EXECUTE FUNCTION pacta_event_immutable();""",
    """CREATE TRIGGER pacta_event_no_truncate BEFORE TRUNCATE ON pacta_event
       FOR EACH STATEMENT EXECUTE FUNCTION pacta_event_immutable();""",
    "ALTER TABLE pacta_event ENABLE ALWAYS TRIGGER pacta_event_no_update;",
    "ALTER TABLE pacta_event ENABLE ALWAYS TRIGGER pacta_event_no_delete;",
    "ALTER TABLE pacta_event ENABLE ALWAYS TRIGGER pacta_event_no_truncate;",
]

REMOVE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS pacta_event_no_truncate ON pacta_event;",
    "DROP TRIGGER IF EXISTS pacta_event_no_update ON pacta_event;",
    "DROP TRIGGER IF EXISTS pacta_event_no_delete ON pacta_event;",
    "DROP FUNCTION IF EXISTS pacta_event_immutable();",
]


class PostgresWriter(Writer):
    remembers_head = True
    install_triggers = INSTALL_TRIGGERS
    remove_triggers = REMOVE_TRIGGERS

    def prepare(self, linked: Linked) -> None:
        """The COPY text of an append large enough to go by COPY, built ahead (copy_text)."""
        if len(linked.recorded) >= COPY_FROM and linked.payloads:
            linked.ready["copy"] = copy_text(linked)

    def write(self, connection, linked: Linked, head: Head) -> bool:
        """One statement, one round trip (APPEND), or for a large append inside a transaction the counter's
        statement and one COPY; False if the counter was not at `head`, a stream not at its expected version or
        an id stored already (nothing is written then)."""
        import psycopg

        connection.ensure_connection()
        if len(linked.recorded) >= COPY_FROM and connection.in_atomic_block and linked.payloads:
            return self._write_by_copy(connection, linked, head)
        last = linked.recorded[-1]
        params = {
            "rows": f"[{','.join(linked.rows())}]", "last": last.position, "recorded_at": last.recorded_at,
            "head_hash": last.hash, "head": head.position, "prev_hash": head.hash,
            "tree_from": merkle.stored_count(head.position), "tree": linked.hashes,
        }
        # A cursor on Django's own psycopg connection, so it runs in the caller's transaction; the driver's
        # errors become Django's (an outage is answered as one, a broken connection is marked unusable).
        raw = connection.connection
        with connection.wrap_database_errors, _prepared(raw), psycopg.Cursor(raw) as cursor:
            try:
                cursor.execute(APPEND, params, prepare=True)
            except psycopg.errors.UniqueViolation as exc:
                # Another writer appended the same stream version (or event ids) and committed first.
                first = linked.appends[0]
                raise ConcurrencyConflict(first.stream_id, first.expected_version, None) from exc
            return cursor.rowcount > 0


    def _write_by_copy(self, connection, linked: Linked, head: Head) -> bool:
        """The counter's statement (TAKE_HEAD), then the events by one COPY, inside a savepoint: an event id
        stored already fails the COPY on the unique constraint, and the savepoint takes the counter's move and
        the tree's hashes back with it, so that nothing is written and the store asks why (a retry, a refusal)."""
        import psycopg
        from django.db import IntegrityError, transaction

        last = linked.recorded[-1]
        firsts = first_per_stream(linked.appends)
        params = {
            "last": last.position, "recorded_at": last.recorded_at, "head_hash": last.hash, "head": head.position,
            "prev_hash": head.hash, "streams": [a.stream_id for a in firsts],
            "versions": [a.expected_version for a in firsts], "tree_from": merkle.stored_count(head.position),
            "tree": b"".join(linked.hashes), "tree_count": len(linked.hashes), "size": merkle.HASH_SIZE,
        }
        try:
            with transaction.atomic(using=connection.alias), connection.wrap_database_errors, \
                    psycopg.Cursor(connection.connection) as cursor:
                cursor.execute(TAKE_HEAD, params)
                if cursor.fetchone() is None:
                    return False
                with cursor.copy(COPY_EVENTS) as copy:
                    copy.write(linked.ready.get("copy") or copy_text(linked))
        except IntegrityError as exc:
            if isinstance(exc.__cause__, psycopg.errors.UniqueViolation):
                return False
            raise
        return True

    def prepare_copied(self, recorded, payloads, stamps, event_ids) -> dict:
        """The COPY text of copied events, from the very strings their check hashed (a copy's page is checked
        while the page before it is written: the writing thread then only sends it)."""
        return {"copy": _copy_lines(
            (r.position, r.stream_id, r.stream_version, event_id, r.type, r.schema_version, payload,
             r.effective or "", stamp, r.actor or "", r.causation_id or "", r.correlation_id or "", r.prev_hash,
             r.hash)
            for r, payload, stamp, event_id in zip(recorded, payloads, stamps, event_ids))} if recorded else {}

    def insert_events(self, connection, recorded, ids=None, append=None, ready=None) -> None:
        """Events given whole (copied from another instance, or filling placeholders) by one COPY, in the
        caller's transaction: a multi-row INSERT's thousands of parameters cost more, adapted one by one, than
        the rows (a follow copy spent more time there than in projecting). A clash of stream versions or event
        ids fails the COPY on the table's unique constraints: a ConcurrencyConflict, as the INSERT's."""
        import psycopg
        from django.db import IntegrityError

        if not recorded:
            return
        try:
            with connection.cursor() as cursor, connection.wrap_database_errors:
                with cursor.cursor.copy(COPY_EVENTS) as copy:
                    copy.write((ready or {}).get("copy") or events_copy_text(recorded))
        except IntegrityError as exc:
            if not isinstance(exc.__cause__, psycopg.errors.UniqueViolation):
                raise
            stream, version = ((append.stream_id, append.expected_version) if append is not None
                               else (recorded[0].stream_id, recorded[0].stream_version - 1))
            raise ConcurrencyConflict(stream, version, None) from exc


# COPY's text format: a backslash, tab, newline or carriage return inside a value is written escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(linked: Linked) -> str:
    """The events of `linked` as the text of a COPY into pacta_event (STORED_COLUMNS, in that order): each
    payload the canonical JSON text the chain hashed, each record time and event id the very text the chain
    hashed."""
    return _copy_lines(
        (r.position, r.stream_id, r.stream_version, event_id, r.type, r.schema_version, payload, r.effective, stamp,
         r.actor, r.causation_id, r.correlation_id, r.prev_hash, r.hash)
        for r, payload, stamp, event_id in zip(linked.recorded, linked.payloads, linked.stamps, linked.event_ids))


def events_copy_text(recorded) -> str:
    """Whole events (RecordedEvent: copied, or read back) as the text of a COPY into pacta_event, each payload
    in canonical JSON and each record time in the chain's form, as copy_text writes linked ones."""
    return _copy_lines(
        (r.position, r.stream_id, r.stream_version, r.event_id, r.type, r.schema_version, chain.payload_json(r.payload),
         r.effective or "", chain.format_recorded_at(r.recorded_at), r.actor or "", r.causation_id or "",
         r.correlation_id or "", r.prev_hash, r.hash)
        for r in recorded)


def _copy_lines(rows) -> str:
    """COPY text of event rows given in STORED_COLUMNS' order, payloads as canonical JSON text (JSON escapes
    every control character, so only its backslashes need doubling) and the other texts escaped once each."""
    escaped: dict[str, str] = {}

    def text(value: str) -> str:
        out = escaped.get(value)
        if out is None:
            out = escaped[value] = value.translate(_COPY_ESCAPES)
        return out

    lines = []
    for (position, stream_id, stream_version, event_id, type_, schema_version, payload, effective, stamp, actor,
         causation_id, correlation_id, prev_hash, hash_) in rows:
        payload = payload.replace("\\", "\\\\")
        lines.append(f"{position}\t{text(stream_id)}\t{stream_version}\t{event_id}\t{text(type_)}\t{schema_version}\t"
                     f"{payload}\t{text(effective)}\t{stamp}\t{text(actor)}\t{text(causation_id)}\t"
                     f"{text(correlation_id)}\t{prev_hash}\t{hash_}\n")
    return "".join(lines)


class _prepared:
    """Let psycopg prepare the statements executed with `prepare=True` while inside; the connection's own
    setting (Django's None: nothing prepared automatically) is restored on the way out. Statements prepared
    stay prepared on the connection (psycopg keeps their names) for the next time."""

    def __init__(self, raw):
        self.raw = raw

    def __enter__(self):
        self.threshold = self.raw.prepare_threshold
        if self.threshold is None:
            # Only the statements that ask (`prepare=True`) reach a threshold this high.
            self.raw.prepare_threshold = 2 ** 62
        return self

    def __exit__(self, *exc):
        self.raw.prepare_threshold = self.threshold
        return False


WRITER = PostgresWriter()
