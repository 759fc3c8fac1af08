"""The dead-letter table in the admin: each failed job with its error, and a "run again" action."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy, ngettext

from registry.outbox import outbox
from .models import DeadLetter


@admin.register(DeadLetter)
class DeadLetterAdmin(admin.ModelAdmin):
    list_display = ("task", "short_error", "failures", "last_failed_at", "requeued_at", "request_id")
    list_filter = ("task", ("requeued_at", admin.EmptyFieldListFilter))
    search_fields = ("task", "task_id", "error", "request_id")
    date_hierarchy = "last_failed_at"
    actions = ["run_again"]
    readonly_fields = ("task", "task_id", "args", "kwargs", "error", "formatted_traceback", "failures", "retries",
                       "request_id", "first_failed_at", "last_failed_at", "requeued_at")
    exclude = ("traceback",)

    @admin.display(description=gettext_lazy("error"))
    def short_error(self, letter):
        return letter.error if len(letter.error) <= 120 else letter.error[:119] + "…"

    @admin.display(description=gettext_lazy("traceback"))
    def formatted_traceback(self, letter):
        return format_html("<pre>{}</pre>", letter.traceback)

    @admin.action(description=gettext_lazy("Run again (queue the job anew)"), permissions=["change"])
    def run_again(self, request, queryset):
        letters = list(queryset)
        queued = outbox.requeue(letters)
        skipped = len(letters) - queued
        self.message_user(request, ngettext("Queued %(count)s job again.", "Queued %(count)s jobs again.", queued)
                          % {"count": queued}, messages.SUCCESS)
        if skipped:
            self.message_user(request, ngettext(
                "%(count)s job has positional arguments and was left as it is.",
                "%(count)s jobs have positional arguments and were left as they are.", skipped) % {"count": skipped},
                messages.WARNING)

    def has_add_permission(self, request):
        return False
