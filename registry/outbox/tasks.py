"""The periodic relay (Celery beat): hands every job still unsent to the broker, and prunes old sent jobs."""

from celery import shared_task

from . import outbox

RELAY = "pacta.outbox.relay"


@shared_task(name=RELAY, ignore_result=True)
def relay_pending():
    """Safe to run any time and concurrently: jobs are claimed (PostgreSQL) and tasks are idempotent."""
    sent = outbox.relay_all()
    pruned = outbox.prune()
    return {"sent": sent, "pruned": pruned, "pending": outbox.pending()}
