"""Counts over the whole published corpus (by kind, by decade, by party), computed once and shared.

Grouping every published agreement costs time in proportion to the corpus, so no page does it per request:
the summary is cached with the event feed position it reflects, and computed again only when the registry
has changed since and the cached one is older than PACTA_SUMMARY_MAX_AGE seconds (60). A page that shows
it reads one index lookup (the head of the feed) and the cache. `shared` does the same for other counts
over a growing set (a party's partners).

Who computes it again: with a broker, a worker (`refresh_shared`, sent at once by the first reader who finds
the counts out of date; one at a time per value), while every reader, that one included, is answered from the
cached counts: at a million agreements the summary takes seconds to compute (3.3 s, bench.scale), which no
reader should wait for after each change, and which an anonymous reader's statement timeout (3 s) would cut
short, leaving nothing cached for the next. Without a broker (the embedded default), or when it is down, the
reader computes it, as only the first reader after a cold cache does otherwise.

A value asked for with `kept=True` (the corpus summary, a party's partners over all time: one per party) is also
kept in the database (models.KeptCount), where a reader finds it when the cache has emptied (a Redis restarted
or flushed): one primary-key read instead of the count. Only a new registry computes it with a reader waiting.
"""

from __future__ import annotations

import importlib
import logging
import pickle
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, router, transaction
from django.db.models import Count, Max
from django.db.models.functions import ExtractYear

from sources.models import Party
from agreements.projections.models import AgreementParty
from registry.eventstore.models import StoredEvent

from .models import KeptCount
from .visibility import PUBLISHED, published_records

log = logging.getLogger(__name__)
SUMMARY = "corpus-summary:2"  # :2: cached as (computed at, position, summary)
TOP_PARTIES = 20
REFRESH = "pacta.summaries.refresh"
REFRESH_SECONDS = 300  # how long one refresh is trusted to be under way before another reader sends one again
T = TypeVar("T")


@dataclass(frozen=True)
class Summary:
    position: int  # the feed position the counts reflect
    total: int
    by_kind: list[tuple[str, int]]
    by_decade: list[tuple[int | None, int]]  # (first year of the decade, or None: undated; count), oldest first
    parties: list[tuple[Party, int]]  # every party to a published agreement, with how many, by name

    @property
    def top_parties(self) -> list[tuple[Party, int]]:
        """The parties to most published agreements, most first."""
        return sorted(self.parties, key=lambda item: (-item[1], item[0].code))[:TOP_PARTIES]


def feed_head() -> int:
    return StoredEvent.objects.aggregate(head=Max("position"))["head"] or 0


_SHAREABLE: dict[str, Callable] = {}


def shareable(compute: Callable[..., T]) -> Callable[..., T]:
    """Marks a function that `shared` may compute in a worker: the worker finds it here by name, and runs
    nothing else a message names."""
    _SHAREABLE[_name_of(compute)] = compute
    return compute


def _name_of(compute: Callable) -> str:
    return f"{compute.__module__}:{compute.__qualname__}"


@shareable
def _compute(position: int) -> Summary:
    records = published_records().order_by()
    by_kind = sorted(records.values_list("kind").annotate(n=Count("pk")))
    years = records.annotate(year=ExtractYear("earliest_date")).values_list("year").annotate(n=Count("pk"))
    decades: dict[int | None, int] = {}
    for year, n in years:
        decade = None if year is None else year - year % 10
        decades[decade] = decades.get(decade, 0) + n
    by_decade = sorted(decades.items(), key=lambda item: (item[0] is None, item[0] or 0))
    counts = dict(AgreementParty.objects.filter(known_to__isnull=True, agreement__publication=PUBLISHED)
                  .values_list("party_code").annotate(n=Count("agreement", distinct=True)).order_by())
    found = {p.code: p for p in Party.objects.filter(code__in=list(counts))}
    parties = sorted(((found.get(code) or Party(code=code, name=code), n) for code, n in counts.items()),
                     key=lambda item: (item[0].name, item[0].code))
    return Summary(position, sum(n for _, n in by_kind), by_kind, by_decade, parties)


def corpus_summary() -> Summary:
    return shared(SUMMARY, _compute, kept=True)


def shared(name: str, compute: Callable[..., T], *args: str, timeout: float | None = None, kept: bool = False) -> T:
    """`compute(head, *args)` (head: the feed position it reflects), from the cache while the registry has not
    changed since, or changed less than PACTA_SUMMARY_MAX_AGE seconds ago; when it is older, still from the
    cache while a worker computes it again (see the module's docstring). `compute` is a module-level function,
    so that a worker can find it; `args` are strings; `timeout`: forget the value after that many seconds unread
    (None: never); `kept`: keep it in the database too, and read it from there when the cache has not got it."""
    if _SHAREABLE.get(_name_of(compute)) is not compute:
        raise ValueError(f"{_name_of(compute)} is not marked @shareable")
    key = _key(name, args)
    head = feed_head()
    cached = cache.get(key)
    if cached is None and kept:
        cached = _kept(key, timeout)
    if cached is not None:
        computed_at, position, value = cached
        max_age = float(getattr(settings, "PACTA_SUMMARY_MAX_AGE", 60))
        if position == head or time.time() - computed_at < max_age:
            return value
        if _refreshing(key, name, compute, args, timeout, kept):
            return value
    return _keep(key, compute(head, *args), head, timeout, kept)


def _key(name: str, args) -> str:
    return ":".join(["pacta", name, *args])


def _keep(key: str, value: T, head: int, timeout: float | None, kept: bool) -> T:
    entry = (time.time(), head, value)
    cache.set(key, entry, timeout)
    if kept:
        row = KeptCount(key=key, position=head, computed_at=entry[0], value=pickle.dumps(value))
        try:
            with transaction.atomic(using=router.db_for_write(KeptCount)):
                KeptCount.objects.bulk_create([row], update_conflicts=True, unique_fields=["key"],
                                              update_fields=["position", "computed_at", "value"])
        except DatabaseError as exc:  # the cache holds it: a reader is not failed for the copy
            log.warning("%s not kept in the database (%s: %s)", key, type(exc).__name__, exc)
    return value


def _kept(key: str, timeout: float | None):
    """The database's copy of an entry the cache has not got, put back in the cache (None: there is none, or it
    was kept by a version of the registry whose values this one cannot read)."""
    row = KeptCount.objects.filter(key=key).first()
    if row is None:
        return None
    try:
        entry = (row.computed_at, row.position, pickle.loads(row.value))
    except Exception as exc:  # noqa: BLE001 - a class renamed or changed since: computed again
        log.warning("%s kept in the database cannot be read (%s: %s)", key, type(exc).__name__, exc)
        return None
    cache.set(key, entry, timeout)
    return entry


def _refreshing(key: str, name: str, compute: Callable, args, timeout: float | None, kept: bool) -> bool:
    """Whether a worker computes the value again: one is already on it, or one was just asked to (the first
    reader to find it out of date sends the job); False without a broker, or when it is down."""
    from registry.outbox import outbox

    if not cache.add(f"{key}:refreshing", 1, REFRESH_SECONDS):
        return True
    sent = outbox.send_now(REFRESH, name=name, compute=_name_of(compute),
                           args=list(args), timeout=timeout, kept=kept)
    if not sent:
        cache.delete(f"{key}:refreshing")
    return sent


def forget_kept() -> int:
    """After the read models were rebuilt (the feed's head unchanged, the counts perhaps not): the kept counts, in
    the database and in the cache, are counted again when next read. Returns how many were forgotten."""
    keys = list(KeptCount.objects.values_list("key", flat=True))
    cache.delete_many(keys)
    KeptCount.objects.filter(key__in=keys).delete()
    return len(keys)


@shared_task(name=REFRESH, ignore_result=True)
def refresh_shared(name: str, compute: str, args: list, timeout: float | None = None, kept: bool = False) -> None:
    """A worker computes a shared value again (sent by `shared`) and caches it for every reader."""
    module = compute.split(":")[0]
    if module.startswith("agreements.queries."):
        importlib.import_module(module)  # registers its @shareable functions
    function = _SHAREABLE.get(compute)
    key = _key(name, args)
    try:
        if function is None:
            log.error("refresh of %s asks for %s, which is not @shareable: nothing computed", key, compute)
            return
        head = feed_head()
        _keep(key, function(head, *args), head, timeout, kept)
    finally:
        cache.delete(f"{key}:refreshing")
