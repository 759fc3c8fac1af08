"""Turn this instance into a read-only copy of another Pacta: follow its global event feed.

    python manage.py follow URL [--token T] [--once] [--interval 5] [--timeout 30] [--max-page-bytes N]

Pages the remote feed (`URL/api/v1/events/`) from this store's head, verifies every link of the hash chain
as it goes, and stores each page (same positions, record times and hashes), projected, in one transaction.
The first request uses the feed's `after` and `limit` parameters; later pages follow its `next` links.
The feed does not publish an event's actor, causation or correlation id, so a copy stores them empty (they
are outside the hash chain).

Events hidden from the caller are placeholders in the feed: position, `prev_hash`, `hash` and the event's Merkle
leaf hash, never its content. A copy copies the events before the first hidden position as they come; with
`--log-key` (the followed log's verifier key line, obtained out of band) it then checks everything past that
against the log's signed checkpoint (`check_signed`): every link, each public event's hash and leaf recomputed
from its record, each placeholder's leaf hash taken as given, and the root of the whole tree. What that covers
it stores: the public events, and the hidden positions held as placeholders (registry/eventstore/store.py), so
its positions, chain and tree stay whole and its own feed shows them as placeholders again. Each pass first
asks the feed again for the positions it holds as placeholders (`fill_held`): an event now seen there (a token
was given, or its agreement was published since) replaces its placeholder, only if it is the very event the
placeholder commits to (its links and leaf hash); anything else is refused. So a copy with no token copies and
verifies every public event; with a token that sees every event (an archivist's) it copies everything.

The remote is not trusted beyond what the chain proves. In order, a pass:
1. talks to one origin only (`Remote`): the scheme (http or https), host and port of URL. A redirect or a
   `next` link elsewhere is refused, so the token is never sent to another origin; other schemes (file:)
   are never opened. Every answer is bounded: at most --max-page-bytes, read within --timeout seconds.
2. reads each page as the feed's JSON (`parse_page`): anything else is malformed.
3. checks that the remote still holds this copy's head (`check_holds_head`): the entry at the copy's head
   position, with the same hash; then fills the placeholders it holds that the remote now shows (`fill_held`). A remote whose log ends before it (restored from an older backup) or
   holds another event there (rewritten history) is refused, never reported as "nothing new".
4. checks that record times never go backwards (`check_record_times`), from the copy's head on.
5. stores the page (`services.copy_events`), which verifies the chain links and writes all or nothing; a
   new agreement the page ends in is held over to start the next page (`whole_agreements`), so that it is
   projected whole, in memory, rather than event by event from where the page cut it. A pass catching up
   (a full page, and more to come) pipelines its pages as a bulk load does its batches (`services.copying`):
   page k+1 is read, verified against page k's last link and projected in memory while page k is written;
   each page is still one transaction, committed in order, and a page that does not verify is refused whole
   before anything of it is handed over (the pages before it stay: the next pass resumes after them).

6. with --log-key: checks the remote's signed checkpoint against this copy and the feed past it
   (`check_signed`); one that does not verify is refused, and nothing past the first hidden position is
   stored. Otherwise what the checkpoint covers is stored, hidden positions as placeholders.

Three outcomes: copied; the remote is unavailable or answered something that is not the feed (a message,
retried with backoff; with --once, the command fails with the message); refused (the remote's log cannot
continue this copy, or it sent the copier elsewhere: the command stops with the message, nothing of the
page written).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

from django.core.management.base import BaseCommand, CommandError

import base64
import binascii
from dataclasses import dataclass

from agreements import services
from agreements.queries import log
from agreements.queries.events import log_head
from agreements.services import NotTheHead, RecordedEvent
from registry.ops.models import record_copy_pass

# As many events a page as the feed gives (agreements.api.pagination.FEED_MAX_PAGE_SIZE): half as many round
# trips and transactions as pages of 500, and fewer agreements cut by a page (see `whole_agreements`).
PAGE = 1000
TIMEOUT = 30.0  # seconds for one answer, from the request to its last byte
MAX_PAGE_BYTES = 64 * 1024 * 1024  # a page of 1,000 events, each at most a few clauses' text
_CHUNK = 64 * 1024


class RemoteUnavailable(Exception):
    """The remote did not answer (down, slow, 5xx, 429): retried with backoff."""


class Malformed(RemoteUnavailable):
    """The remote answered something that is not the feed (a proxy's error page, a half-deployed server):
    retried with backoff, as an outage is."""


class Refused(Exception):
    """The remote's answer cannot be copied (its log does not continue this copy's, it sent the copier to
    another origin, a page too large): the command stops."""


# ---------------------------------------------------------------------------------------------- the remote


def origin(url: str) -> tuple[str, str, int]:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}.get(scheme, 0)


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the remote's origin (urllib would carry the token anywhere)."""

    def __init__(self, remote: "Remote"):
        self.remote = remote

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        newurl = urllib.parse.urljoin(req.full_url, newurl)
        if not self.remote.same_origin(newurl):
            raise Refused(f"{req.full_url} redirects to {newurl!r}, another origin than {self.remote.base}: "
                          "not followed (the token is only sent to the origin given on the command line)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Remote:
    """The instance being followed: one origin, bounded answers, the token sent only there."""

    def __init__(self, base_url: str, token: str | None, timeout: float = TIMEOUT,
                 max_bytes: int = MAX_PAGE_BYTES):
        scheme, host, _ = origin(base_url)
        if scheme not in ("http", "https") or not host:
            raise Refused(f"{base_url!r} is not an http(s) URL with a host name")
        self.base = base_url.rstrip("/")
        self.origin = origin(base_url)
        self.token = token
        self.timeout = timeout
        self.max_bytes = max_bytes
        # Only HTTP(S): no file:, ftp: or data: handler, whatever a `next` link or a redirect says.
        self.opener = urllib.request.OpenerDirector()
        for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                        urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor(),
                        _SameOriginRedirects(self)):
            self.opener.add_handler(handler)

    def same_origin(self, url: str) -> bool:
        return origin(url) == self.origin

    def feed_url(self, after: int, limit: int) -> str:
        return f"{self.base}/api/v1/events/?{urllib.parse.urlencode({'after': after, 'limit': limit})}"

    def get_json(self, url: str):
        body = self.get(url, "application/json")
        try:
            return json.loads(body)
        except (ValueError, RecursionError):
            raise Malformed(f"{url}: the answer is not JSON ({len(body):,} bytes)") from None

    def get(self, url: str, accept: str) -> bytes:
        if not self.same_origin(url):
            raise Refused(f"the remote links to {url!r}, another origin than {self.base}: not followed")
        headers = {"Accept": accept, **({"Authorization": f"Token {self.token}"} if self.token else {})}
        try:
            return self._read(urllib.request.Request(url, headers=headers))
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:  # a redirect urllib will not follow (file:, ftp:, a loop)
                raise Refused(f"{url} redirects to {exc.headers.get('Location')!r}: not followed") from None
            if exc.code >= 500 or exc.code == 429:
                raise RemoteUnavailable(f"{url}: HTTP {exc.code}") from None
            raise Refused(f"{url}: HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise RemoteUnavailable(f"{url}: {getattr(exc, 'reason', exc)}") from None

    def _read(self, request) -> bytes:
        """The answer's body: at most max_bytes, within `timeout` seconds from the request."""
        deadline = time.monotonic() + self.timeout
        with self.opener.open(request, timeout=self.timeout) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise self._too_large(request.full_url, f"declares {int(declared):,} bytes")
            chunks, size = [], 0
            while chunk := response.read1(_CHUNK):
                size += len(chunk)
                if size > self.max_bytes:
                    raise self._too_large(request.full_url, f"is longer than {self.max_bytes:,} bytes")
                if time.monotonic() > deadline:
                    raise RemoteUnavailable(f"{request.full_url}: the answer took longer than {self.timeout:g} s")
                chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, url, what) -> Refused:
        return Refused(f"{url}: the page {what}: follow with a smaller --page or a larger --max-page-bytes")


# ---------------------------------------------------------------------------------------------- pages


def parse_page(remote: Remote, body) -> tuple[list, str | None]:
    """A page of the feed as recorded events (and placeholders) and its `next` link (which must stay on the
    remote's origin)."""
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        raise Malformed("the page is not a page of the feed (no list of `results`)")
    following = body.get("next")
    if following is not None and not isinstance(following, str):
        raise Malformed("the page's `next` is not a link")
    if following and not remote.same_origin(following):
        raise Refused(f"the page's next link {following!r} leaves {remote.base}: not followed (the token is only "
                      "sent to the origin given on the command line)")
    return [to_recorded(entry) for entry in body["results"]], following or None


def _text(entry, name, allow_empty=True) -> str:
    value = entry[name]
    if not isinstance(value, str) or not (value or allow_empty):
        raise TypeError(f"`{name}` is not text")
    return value


def _number(entry, name) -> int:
    value = entry[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError(f"`{name}` is not a number")
    return value


def to_placeholder(entry):
    """A hidden position: its number, its chain links and its leaf hash (base64 of 32 bytes)."""
    try:
        leaf = base64.b64decode(_text(entry, "leaf_hash", False), validate=True)
        if len(leaf) != 32:
            raise ValueError("`leaf_hash` is not 32 bytes")
        return log.Placeholder(_number(entry, "position"), _text(entry, "prev_hash", False),
                               _text(entry, "hash", False), leaf)
    except KeyError as exc:
        raise Malformed(f"placeholder at position {entry.get('position')!r} lacks {exc}") from None
    except (TypeError, ValueError, binascii.Error) as exc:
        raise Malformed(f"placeholder at position {entry.get('position')!r}: {exc}") from None


def _record_time(text: str) -> dt.datetime:
    """The chain's one form of record time, `2026-11-29T02:07:00.123456Z` (strptime's cost, a tenth of a
    copy's reading, for the same answer: anything else is not the feed's)."""
    if len(text) != 27 or text[10] != "T" or text[19] != "." or text[-1] != "Z" or not text[20:26].isdigit():
        raise ValueError(f"`recorded_at` {text!r} is not of the form 2026-11-29T02:07:00.123456Z")
    return dt.datetime.fromisoformat(text[:-1])


def to_recorded(entry):
    """A feed entry as a RecordedEvent, or as a Placeholder where it is hidden from the caller."""
    if not isinstance(entry, dict):
        raise Malformed("a feed entry is not an object")
    if "stream_id" not in entry and "position" in entry:
        return to_placeholder(entry)
    try:
        if not isinstance(entry["payload"], dict):
            raise TypeError("`payload` is not an object")
        recorded_at = _record_time(_text(entry, "recorded_at"))
        return RecordedEvent(
            position=_number(entry, "position"), stream_id=_text(entry, "stream_id", False),
            stream_version=_number(entry, "stream_version"), event_id=uuid.UUID(_text(entry, "event_id")),
            type=_text(entry, "type", False), schema_version=_number(entry, "schema_version"),
            payload=entry["payload"], effective=_text(entry, "effective"),
            recorded_at=recorded_at.replace(tzinfo=dt.timezone.utc), actor="", causation_id="", correlation_id="",
            prev_hash=_text(entry, "prev_hash", False), hash=_text(entry, "hash", False),
        )
    except KeyError as exc:
        raise Malformed(f"feed entry at position {entry.get('position')!r} lacks {exc}") from None
    except (TypeError, ValueError) as exc:
        raise Malformed(f"feed entry at position {entry.get('position')!r}: {exc}") from None


def legacy_source_keys(entries: list[dict]) -> dict[str, tuple[int, str]]:
    """{event id: (id, key)} for the entries whose payload names a source by the primary's database id."""
    keys = {}
    for entry in entries:
        key = entry.get("legacy_source_key")
        if key is not None:
            source = entry["payload"].get("source")
            if not isinstance(key, str) or not key or len(key) > 100 or not (
                    isinstance(source, str) and source.isascii() and source.isdigit() and len(source) < 19):
                raise Malformed(f"feed entry at position {entry.get('position')!r}: legacy_source_key beside a "
                                "payload that names no database id, or not a source key")
            keys[entry["event_id"]] = (int(source), key)
    return keys


# ---------------------------------------------------------------------------------------------- checks


def check_holds_head(remote: Remote, head) -> None:
    """The remote still holds this copy's head: the same event (hash) at the head's position."""
    if head.position == 0:
        return
    entries, _ = parse_page(remote, remote.get_json(remote.feed_url(head.position - 1, 1)))
    if not entries or entries[0].position != head.position:
        raise Refused(f"the remote's log ends before this copy's head (position {head.position}): was it "
                      "restored from an older backup? Nothing was copied")
    if entries[0].hash != head.hash:
        raise Refused(f"the remote holds another event at this copy's head (position {head.position}: hash "
                      f"{entries[0].hash}, here {head.hash}): rewritten history. Nothing was copied")


def check_record_times(recorded: list, since: dt.datetime | None) -> dt.datetime | None:
    """Record times never go backwards: each event is recorded no earlier than the one before it (a hidden
    position shows none). Returns the last record time."""
    for event in recorded:
        if isinstance(event, log.Placeholder):
            continue
        if since is not None and event.recorded_at < since:
            raise Refused(f"position {event.position} was recorded at {event.recorded_at.isoformat()}, before the "
                          f"event preceding it ({since.isoformat()}): record time cannot go backwards. Nothing of "
                          "the page was written")
        since = event.recorded_at
    return since


# ---------------------------------------------------------------------------------------------- one pass


def hidden_refused(position: int) -> Refused:
    return Refused(f"position {position} is hidden from this caller: follow with a token that sees every event "
                   "(an archivist's) to copy it, or with --log-key to check everything public past it against the "
                   "log's signed checkpoint")


@dataclass
class Pass:
    copied: int = 0  # events stored
    past: int = 0  # entries past the first hidden position: checked (with --log-key), stored when it covers them
    checked: int | None = None  # the size of the signed checkpoint checked (with --log-key)
    hidden: int = 0  # hidden positions it covered past this copy's head (held as placeholders)
    waiting: int = 0  # entries past the checkpoint's size after a hidden position: checked at the next pass
    filled: int = 0  # placeholders this copy held that the remote showed this pass, filled


def fill_held(remote: Remote, page: int) -> int:
    """Ask the feed again for the positions this copy holds as placeholders, in runs of at most `page`
    positions, and fill each one the remote now shows (services.fill_placeholders: only with the very event the
    placeholder commits to). Returns how many were filled."""
    held, filled = log.held_positions(), 0
    while held:
        first = held[0]
        run = [p for p in held if p < first + page]
        held = held[len(run):]
        body = remote.get_json(remote.feed_url(first - 1, run[-1] - first + 1))
        entries, _ = parse_page(remote, body)
        shown = [e for e in entries if not isinstance(e, log.Placeholder) and e.position in set(run)]
        try:
            filled += services.fill_placeholders(shown, legacy_source_keys=legacy_source_keys(body["results"]))
        except NotTheHead as exc:
            raise Refused(f"the remote's event does not fill this copy's placeholder ({exc}): tampered with or "
                          "rewritten history; nothing of it was written") from None
    return filled


def _copy_page(remote, body, entries, url, past, keys, since, page, result, report, log_key, pages=None,
               ahead=None):
    """One page of a pass: stored (up to the agreement held over, or the first hidden position), or kept in
    `past` for the signed checkpoint's check; (record time reached, next page's url, past). `pages`: a pass
    catching up (services.copying) hands the page over to be written while it reads the next, and asks for the
    next page before checking this one (`ahead(url)`)."""
    if url and not past:
        cut = whole_agreements(entries)
        if cut < len(entries):  # the next page starts with the agreement held over
            entries, url = entries[:cut], remote.feed_url(entries[cut - 1].position, page)
    if ahead is not None and url:
        ahead(url)
    since = check_record_times(entries, since)
    hidden = next((i for i, entry in enumerate(entries) if isinstance(entry, log.Placeholder)), None)
    if past or hidden is not None:
        if log_key is None:
            raise hidden_refused(entries[hidden or 0].position)
        cut = 0 if past else hidden
        entries, past = entries[:cut], past + entries[cut:]
        keys.update(legacy_source_keys(body["results"]))
    if entries:
        if pages is not None:
            pages.copy(entries, legacy_source_keys=legacy_source_keys(body["results"]))
        else:
            result.copied += services.copy_events(entries, legacy_source_keys=legacy_source_keys(body["results"]))
            if report:
                report(entries[-1].position)
    return since, url, past


class _Reading:
    """The feed's pages as a pass reads them; a pass catching up asks for the next page (`ahead`) while it checks
    and writes this one, so the remote renders it meanwhile: one request in flight at most, in a thread of its
    own (the token and the remote's bounds as for any request; its refusal or outage raised when the page is
    taken, as if read then)."""

    def __init__(self, remote: Remote):
        self.remote, self._pool, self._asked = remote, None, None

    def _read(self, url):
        body = self.remote.get_json(url)
        return body, parse_page(self.remote, body)

    def ahead(self, url: str) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pacta-follow-reader")
        self._asked = (url, self._pool.submit(self._read, url))

    def page(self, url: str):
        asked, self._asked = self._asked, None
        if asked is not None and asked[0] == url:
            return asked[1].result()
        return self._read(url)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def not_verified(exc: NotTheHead, held: int | None = None) -> Refused:
    """`held`: the copy's head after the pages before the refused one were committed (a pass catching up)."""
    kept = f" (this copy holds the pages before it, up to position {held})" if held else ""
    return Refused(f"the remote's log does not verify against this copy ({exc}): tampered with or rewritten "
                   f"history; nothing of that page was written{kept}")


def follow_once(remote: Remote, page: int = PAGE, report=None, log_key: str | None = None) -> Pass:
    """Fill the placeholders the remote now shows, copy every event the remote has after this store's head up
    to the first hidden position; with `log_key`, then check the remote's signed checkpoint against this copy
    and the feed past it, and store what it covers (hidden positions as placeholders).

    A pass with a full page and more to come catches up as a bulk load writes (services.copying): each page is
    written in its own transaction while the next is read and checked; a page that does not verify is refused
    whole, the pages before it stay stored, and the next pass resumes after them."""
    head = log_head()
    check_holds_head(remote, head)
    result = Pass(filled=fill_held(remote, page))
    since = head.recorded_at
    url, past, keys = remote.feed_url(head.position, page), [], {}
    pages = None
    try:
        with ExitStack() as stack:
            reading = _Reading(remote)
            stack.callback(reading.close)
            while url:
                body, (entries, url) = reading.page(url)
                if not entries:
                    break
                if url and len(entries) >= page and pages is None:
                    # A full page and more to come: the pass catches up as a bulk load writes.
                    pages = stack.enter_context(services.copying(report))
                since, url, past = _copy_page(remote, body, entries, url, past, keys, since, page, result, report,
                                              log_key, pages, reading.ahead if pages is not None else None)
    except NotTheHead as exc:
        raise not_verified(exc, log_head().position if pages is not None else None) from None
    finally:
        if pages is not None:
            result.copied += pages.copied
    result.past = len(past)
    if log_key is not None:
        result.checked, result.hidden = check_signed(remote, past, log_key)
        stored = store_checked(past, result.checked, keys)
        result.copied += sum(not isinstance(entry, log.Placeholder) for entry in stored)
        result.waiting = len(past) - len(stored)
        if stored and report:
            report(stored[-1].position)
    return result


def whole_agreements(entries: list) -> int:
    """How many of a page's entries to store now, when another page follows: all but the agreement the page
    ends in, if it starts in the page (its first version) after other entries. That agreement is held over to
    start the next page, where it is projected whole in memory with the rest (services.copy_events: a stream
    that starts in a batch goes the batch way, one continuing from an earlier page goes event by event, each
    with its queries). An agreement longer than a page, or one continuing from before, is stored as it comes."""
    last = entries[-1]
    if isinstance(last, log.Placeholder):
        return len(entries)
    start = len(entries) - 1
    while start > 0 and not isinstance(entries[start - 1], log.Placeholder) \
            and entries[start - 1].stream_id == last.stream_id:
        start -= 1
    if start > 0 and entries[start].stream_version == 1:
        return start
    return len(entries)


def store_checked(past: list, size: int, keys: dict) -> list:
    """Store the entries past the first hidden position that the signed checkpoint of `size` covers (checked by
    check_signed), public events as events and hidden positions as placeholders, and the public events after
    it up to the next hidden position (their chain links are checked as they are stored); returns them."""
    covered = [entry for entry in past if entry.position <= size]
    for entry in past[len(covered):]:
        if isinstance(entry, log.Placeholder):
            break
        covered.append(entry)
    if covered:
        try:
            services.copy_events(covered, legacy_source_keys=keys)
        except NotTheHead as exc:
            raise not_verified(exc) from None
    return covered


def check_signed(remote: Remote, past: list, log_key: str) -> tuple[int, int]:
    """The remote's signed checkpoint verifies under `log_key`, and its root is that of this copy's tree and the
    feed past it (hidden positions by their leaf hashes): (its size, the hidden positions it covered)."""
    signed = remote.get(f"{remote.base}/api/v1/log/checkpoint", "text/plain")
    try:
        return log.check_past_head(past, signed.decode("utf-8"), log_key)
    except UnicodeDecodeError:
        raise Malformed("the log's checkpoint is not UTF-8 text") from None
    except log.FeedRefused as exc:
        if exc.later:
            raise RemoteUnavailable(f"the log's checkpoint cannot be checked yet: {exc}") from None
        raise Refused(f"the log's signed checkpoint does not verify against this copy and its feed: {exc}") from None


def summary(result: Pass) -> str:
    filled = f"; {result.filled} placeholders filled" if result.filled else ""
    if result.checked is None:
        return filled
    hidden = (f", {result.hidden} hidden positions by their leaf hashes, held as placeholders" if result.hidden
              else "")
    waiting = (f"; {result.waiting} entries past it wait for the next checkpoint" if result.waiting else "")
    return f"; the log's signed checkpoint of {result.checked} events verifies{hidden}{waiting}{filled}"


class Command(BaseCommand):
    help = "Follow another Pacta instance's event feed as a verifying, read-only copy."

    def add_arguments(self, parser):
        parser.add_argument("url", help="the remote instance's base URL (http or https), "
                                        "e.g. https://pacta.example.org")
        parser.add_argument("--token", help="an API token of the remote (needed to copy unpublished agreements); "
                                            "sent to that origin only")
        parser.add_argument("--once", action="store_true", help="one pass, then stop")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes")
        parser.add_argument("--max-backoff", type=float, default=60.0)
        parser.add_argument("--witness", metavar="LOG_KEY", help="also witness the followed log: its verifier key "
                            "line, obtained out of band (see docs/log.md); cosigns with PACTA_WITNESS_SIGNING_KEY")
        parser.add_argument("--log-key", metavar="LOG_KEY", help="the followed log's verifier key line, obtained "
                            "out of band: after each pass, check its signed checkpoint against this copy and the feed "
                            "past it (hidden positions by their leaf hashes); lets a copy with no token verify "
                            "everything public (default: the --witness key)")
        parser.add_argument("--page", type=int, default=PAGE, help="events asked for per page (1 to 1000)")
        parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds for one answer to arrive whole")
        parser.add_argument("--max-page-bytes", type=int, default=MAX_PAGE_BYTES, help="the largest answer read")

    def handle(self, *args, url, token, once, interval, max_backoff, page, timeout, max_page_bytes, witness=None,
               log_key=None, **options):
        log_key = log_key or witness
        if not 1 <= page <= 1000 or timeout <= 0 or max_page_bytes <= 0:
            raise CommandError("--page is 1 to 1000; --timeout and --max-page-bytes are positive")
        try:
            remote = Remote(url, token, timeout=timeout, max_bytes=max_page_bytes)
        except Refused as exc:
            raise CommandError(f"refused: {exc}") from None
        backoff = 1.0
        while True:
            started = time.monotonic()
            try:
                result = follow_once(remote, page, report=lambda p: self.stderr.write(f"  copied up to {p}"),
                                     log_key=log_key)
            except Refused as exc:
                raise CommandError(f"refused: {exc}") from None
            except RemoteUnavailable as exc:
                what = "answered something that is not the feed" if isinstance(exc, Malformed) else "is unavailable"
                if once:
                    raise CommandError(f"the remote {what}: {exc}") from None
                record_copy_pass(error=type(exc).__name__)  # readiness: the copy's lag keeps growing
                self.stderr.write(f"the remote {what} ({exc}); retrying in {backoff:.0f} s")
                time.sleep(backoff)
                backoff = min(max_backoff, backoff * 2)
                continue
            backoff = 1.0
            head = log_head()
            record_copy_pass(head.position)  # caught up: readiness and metrics read the copy's lag from it
            seconds = time.monotonic() - started
            copied = result.copied
            rate = f" ({copied / seconds:,.0f} events/s)" if copied and seconds else ""
            self.stdout.write(f"copied {copied} events{rate}; head {head.position} {head.hash}{summary(result)}")
            if witness:
                from ..witnessing import after_pass

                after_pass(self, url, witness, token, once)
            if once:
                return
            time.sleep(interval)
