"""The dead-letter table in the admin: each failed job with its error, and a "run again" action."""

from django.contrib import admin, messages
from django.utils.html import format_html

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

    @admin.display(description="error")
    def short_error(self, letter):
        return letter.error if len(letter.error) <= 120 else letter.error[:119] + "…"

    @admin.display(description="traceback")
    def formatted_traceback(self, letter):
        return format_html("<pre>{}</pre>", letter.traceback)

    @admin.action(description="Run again (queue the job anew)", permissions=["change"])
    def run_again(self, request, queryset):
        letters = list(queryset)
        queued = outbox.requeue(letters)
        skipped = len(letters) - queued
        self.message_user(request, f"Queued {queued} job(s) again.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} job(s) have positional arguments and were left as they are.",
                              messages.WARNING)

    def has_add_permission(self, request):
        return False
