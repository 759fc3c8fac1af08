"""The operators' tools as a Django app: its models (dead letters, a copy's status) and, when Django starts in
any process (web, worker, beat), the Celery signals that carry request ids into jobs and count every job."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class OpsConfig(AppConfig):
    name = "registry.ops"
    label = "ops"
    verbose_name = gettext_lazy("Operations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import jobs, request_id

        request_id.bind_celery()
        jobs.bind_celery()
