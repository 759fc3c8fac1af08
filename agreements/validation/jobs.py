"""The outbox jobs that start validation; nothing here runs at import.

- `enqueue_validation` is one of the effects `agreements.services` lists for every write: inside the
  append transaction, a command that changed something validation cares about adds what it changed to
  the transaction's outbox job `pacta.validation.validate_changes` (one job
  per transaction, however many commands it holds): the job commits with the events or not at all, and is
  relayed to Celery after the commit. A single command's job is written before the append (`before_append`),
  out of the window in which the store's head is locked.
- A saved source (reference data, edited directly) gets a job re-checking the quotes that cite it
  (`connect()`, called by AgreementsConfig.ready()). Its URL
  is checked in that job only when URL checks are on and a real broker runs the job in a worker: with
  eager Celery the job would run inside the web request, which must never wait on someone else's server.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save

from registry.outbox import outbox

from . import tasks  # noqa: F401  (registers the tasks in every process that writes)
from .incremental import changes_from_events, merge_changes


def enqueue_validation(slug, recorded):
    changes = changes_from_events(recorded)
    if changes:
        outbox.enqueue_coalesced(tasks.VALIDATE_CHANGES, _merge, changes={slug: changes})


def _enqueue_validation_many(batch: dict):
    """A bulk load's batch: one job update for all its agreements."""
    changes = {slug: found for slug, recorded in batch.items() if (found := changes_from_events(recorded))}
    if changes:
        outbox.enqueue_coalesced(tasks.VALIDATE_CHANGES, _merge, changes=changes)


enqueue_validation.many = _enqueue_validation_many


def _enqueue_validation_before_append(pending):
    """The write path's job, written before the append (what changed is known from the decided events' types and
    payloads; positions are not needed): in the same transaction, outside the store's head lock. Nothing is left
    for after the append."""
    enqueue_validation(pending.slug, pending.events)


enqueue_validation.before_append = _enqueue_validation_before_append


def _merge(stored: dict, new: dict) -> dict:
    merged = dict(stored["changes"])
    for slug, changes in new["changes"].items():
        merged[slug] = merge_changes(merged.get(slug), changes)
    return {"changes": merged}


def enqueue_source_check(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures being loaded
        return
    from registry.celery import app

    check_url = bool(settings.PACTA_CHECK_URLS and instance.url and not app.conf.task_always_eager)
    outbox.enqueue(tasks.CHECK_SOURCE, source_id=instance.pk, check_url=check_url)


def connect():
    from sources.models import Source

    post_save.connect(enqueue_source_check, sender=Source, dispatch_uid="pacta-validation-source-saved")
