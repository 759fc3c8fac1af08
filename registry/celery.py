"""The Celery app. Broker from CELERY_BROKER_URL or REDIS_URL; eager in-process when neither is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

app = Celery("registry")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Validation's and the idempotency keys' tasks live in packages that are not apps of their own.
# The beat schedule (outbox relay, validation sweep, key purge) is CELERY_BEAT_SCHEDULE in settings; the
# transparency log's checkpoint signer joins it below.
app.autodiscover_tasks(["agreements.validation", "agreements.idempotency"])
# The refresh of the counts that pages share (agreements/queries/summaries.py).
app.autodiscover_tasks(["agreements.queries"], related_name="summaries")

# A job runs under the X-Request-ID of the request that enqueued it and is timed and counted by outcome: the
# operators' app connects Celery's signals when Django starts, in every process (registry/ops/apps.py), so the
# app imports nothing of the tools that watch it.

@app.on_after_configure.connect
def _sign_checkpoints_on_beat(sender, **kwargs):
    """Beat signs a checkpoint of the log every PACTA_LOG_CHECKPOINT_INTERVAL seconds while it grows (the task
    signs nothing when the newest one covers the head): checkpoints are never signed on read or in an append."""
    from django.conf import settings

    sender.add_periodic_task(max(1.0, settings.PACTA_LOG_CHECKPOINT_INTERVAL),
                             sender.signature("pacta.log.sign_checkpoint"), name="log-checkpoint")
