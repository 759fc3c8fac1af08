"""The periodic purge of expired idempotency keys (Celery beat)."""

from celery import shared_task

from . import keys

PURGE = "pacta.idempotency.purge"


@shared_task(name=PURGE, ignore_result=True)
def purge_expired_keys():
    return keys.purge_expired()
