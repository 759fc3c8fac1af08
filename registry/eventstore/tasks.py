"""The transparency log's background job: sign a checkpoint when one is due (checkpoints.sign_due).

Celery beat runs it every PACTA_LOG_CHECKPOINT_INTERVAL seconds (registry/celery.py). An append nudges it once
committed (`after_append`, one of the services' effects): never in the append's transaction, at most once per
interval per process, and with a broker the nudge is one message sent with the outbox's short timeouts and no
retries, and none while the outbox's breaker says the broker is down (a broker that is down costs the writer
nothing more: beat signs at its next tick). Without a broker
(Celery eager: the embedded default and the tests) the nudge signs right after the commit, in-process.
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings
from django.db import transaction

from . import checkpoints

log = logging.getLogger(__name__)
TASK = "pacta.log.sign_checkpoint"


def _signed_size(sign) -> int | None:
    try:
        signed = sign()
    except checkpoints.NoSigningKey as exc:
        log.info("no checkpoint signed: %s", exc)
        return None
    return signed.size if signed is not None else None


@shared_task(name=TASK, ignore_result=True)
def sign_checkpoint() -> int | None:
    """Sign a checkpoint of the head if one is due; returns its size, or None (not due, or no key)."""
    return _signed_size(checkpoints.sign_due)


def sign_head_now() -> int | None:
    """At the end of a bulk load: sign a checkpoint of the head unless one covers it (checkpoints.sign_head);
    returns its size, or None (the newest covers the head already, or this log has no key)."""
    return _signed_size(checkpoints.sign_head)


class _Nudged:
    at = float("-inf")  # monotonic time of this process's last nudge


def nudge() -> None:
    """Ask for a checkpoint now (after a commit): at most once per interval per process."""
    now = time.monotonic()
    if now - _Nudged.at < settings.PACTA_LOG_CHECKPOINT_INTERVAL:
        return
    _Nudged.at = now
    from registry.celery import app
    from registry.outbox import outbox

    if app.conf.task_always_eager:
        sign_checkpoint.delay()  # no broker: signed here, now
    else:
        outbox.send_now(TASK)  # not sent (the broker is down): beat signs at its next tick


def after_append(slug=None, recorded=None) -> None:
    """A services effect: once the append's transaction commits, nudge the signer."""
    transaction.on_commit(nudge, robust=True)


after_append.many = lambda batch: after_append()
