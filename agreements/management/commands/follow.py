"""Turn this instance into a read-only copy of another Pacta: follow its global event feed.

    python manage.py follow URL [--token T] [--once] [--interval 5]

Pages the remote feed (`URL/api/v1/events/`) from this store's head, verifies every link of the hash chain
as it goes, and stores each page (same positions, record times and hashes), projected, in one transaction.
A page that does not verify, or that does not continue what was copied before (rewritten history), is
refused with a message, and nothing of it is written. The remote being down is retried with backoff; a
restart resumes from the head. Events hidden from the caller (placeholders) cannot be copied: follow with
a token that sees everything (an archivist's). The feed does not publish an event's actor, causation or
correlation id, so a copy stores them empty (they are outside the hash chain). The first request uses the
feed's `after` and `limit` parameters; later pages follow its `next` links.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.core.management.base import BaseCommand, CommandError

from agreements import services
from agreements.queries.events import log_head
from agreements.services import NotTheHead, RecordedEvent

PAGE = 500


class RemoteUnavailable(Exception):
    pass


class Refused(Exception):
    pass


def fetch_page(url: str, token: str | None, timeout: float = 30) -> tuple[list[dict], str | None]:
    request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                   **({"Authorization": f"Token {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = json.load(response)
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code == 429:
            raise RemoteUnavailable(f"{url}: HTTP {exc.code}") from None
        raise Refused(f"{url}: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise RemoteUnavailable(f"{url}: {exc}") from None
    return body["results"], body.get("next")


def to_recorded(entry: dict) -> RecordedEvent:
    if "stream_id" not in entry:
        raise Refused(f"position {entry.get('position')} is hidden from this caller: follow with a token that "
                      "sees every event (an archivist's)")
    recorded_at = dt.datetime.strptime(entry["recorded_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)
    return RecordedEvent(
        position=entry["position"], stream_id=entry["stream_id"], stream_version=entry["stream_version"],
        event_id=uuid.UUID(entry["event_id"]), type=entry["type"], schema_version=entry["schema_version"],
        payload=entry["payload"], effective=entry["effective"], recorded_at=recorded_at, actor="",
        causation_id="", correlation_id="", prev_hash=entry["prev_hash"], hash=entry["hash"],
    )


def legacy_source_keys(entries: list[dict]) -> dict[str, tuple[int, str]]:
    """{event id: (id, key)} for the entries whose payload names a source by the primary's database id."""
    keys = {}
    for entry in entries:
        key = entry.get("legacy_source_key")
        if key is not None:
            if not isinstance(key, str) or not key or len(key) > 100:
                raise Refused(f"position {entry.get('position')}: legacy_source_key is not a source key")
            keys[entry["event_id"]] = (int(entry["payload"]["source"]), key)
    return keys


def follow_once(base_url: str, token: str | None, page: int = PAGE, report=None) -> int:
    """Copy every event the remote has after this store's head; returns how many were copied."""
    head = log_head()
    url = f"{base_url.rstrip('/')}/api/v1/events/?{urllib.parse.urlencode({'after': head.position, 'limit': page})}"
    copied = 0
    while url:
        entries, url = fetch_page(url, token)
        if not entries:
            break
        recorded = [to_recorded(entry) for entry in entries]
        try:
            copied += services.copy_events(recorded, legacy_source_keys=legacy_source_keys(entries))
        except NotTheHead as exc:
            raise Refused(f"the remote's log does not verify against this copy ({exc}): tampered with or "
                          "rewritten history; nothing of it was written") from None
        if report:
            report(recorded[-1].position)
    return copied


class Command(BaseCommand):
    help = "Follow another Pacta instance's event feed as a verifying, read-only copy."

    def add_arguments(self, parser):
        parser.add_argument("url", help="the remote instance's base URL, e.g. https://pacta.example.org")
        parser.add_argument("--token", help="an API token of the remote (needed to copy unpublished agreements)")
        parser.add_argument("--once", action="store_true", help="one pass, then stop")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes")
        parser.add_argument("--max-backoff", type=float, default=60.0)

    def handle(self, *args, url, token, once, interval, max_backoff, **options):
        backoff = 1.0
        while True:
            started = time.monotonic()
            try:
                copied = follow_once(url, token, report=lambda p: self.stderr.write(f"  copied up to {p}"))
            except Refused as exc:
                raise CommandError(f"refused: {exc}") from None
            except RemoteUnavailable as exc:
                if once:
                    raise CommandError(f"the remote is unavailable: {exc}") from None
                self.stderr.write(f"the remote is unavailable ({exc}); retrying in {backoff:.0f} s")
                time.sleep(backoff)
                backoff = min(max_backoff, backoff * 2)
                continue
            backoff = 1.0
            head = log_head()
            seconds = time.monotonic() - started
            rate = f" ({copied / seconds:,.0f} events/s)" if copied and seconds else ""
            self.stdout.write(f"copied {copied} events{rate}; head {head.position} {head.hash}")
            if once:
                return
            time.sleep(interval)
