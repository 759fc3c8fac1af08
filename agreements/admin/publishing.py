"""Review and publishing: draft -> in review -> published, as changelist actions and change-page buttons.

Anyone who may edit agreements submits a draft for review; only reviewers (agreements.publish_agreement)
publish, unpublish, or return an agreement in review to its archivist with a comment. Publishing facts that
cite no source needs a reason, which the Published event records. A published agreement stays editable and
every edit is public at once (docs/admin.md says why). Each transition is logged in "Recent actions".
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext_lazy

from agreements import services
from agreements.domain import publication
from agreements.domain.vocabulary import PUBLISH_PERMISSION
from agreements.domain.commands import Publish, ReturnToDraft, SubmitForReview, Unpublish
from agreements.domain.errors import DomainError

from . import conflicts

# The admin's buttons and what they say when done; who may press each is the domain's table
# (agreements/domain/publication.py).
TRANSITIONS = {
    "submit": (SubmitForReview, "submitted for review"),
    "publish": (Publish, "published"),
    "unpublish": (Unpublish, "unpublished (back to draft)"),
    "return": (ReturnToDraft, "returned to draft with your comment"),
}

# What the admin says when a changelist action is done (by how many agreements) and when a button is done (by the
# agreement's title), in the staff's language; the words above stay the (English) entries of "Recent actions".
DONE_MANY = {
    "submit": ngettext_lazy("%(count)s agreement submitted for review.",
                            "%(count)s agreements submitted for review.", "count"),
    "publish": ngettext_lazy("%(count)s agreement published.", "%(count)s agreements published.", "count"),
    "unpublish": ngettext_lazy("%(count)s agreement unpublished (back to draft).",
                               "%(count)s agreements unpublished (back to draft).", "count"),
    "return": ngettext_lazy("%(count)s agreement returned to draft with your comment.",
                            "%(count)s agreements returned to draft with your comment.", "count"),
}
DONE_ONE = {
    "submit": gettext_lazy("“%(title)s” submitted for review."),
    "publish": gettext_lazy("“%(title)s” published."),
    "unpublish": gettext_lazy("“%(title)s” unpublished (back to draft)."),
    "return": gettext_lazy("“%(title)s” returned to draft with your comment."),
}


class PublishingMixin:
    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def _transition(self, request, record, name, expected_version=None, note="", uncited_reason=""):
        command_class, done = TRANSITIONS[name]
        if publication.needs_reviewer(command_class.__name__) and not self.has_publish_permission(request):
            raise PermissionDenied
        command = command_class(note=note, uncited_reason=uncited_reason) if command_class is Publish else (
            command_class(note=note))
        services.handle(command, slug=record.slug, user=request.user, expected_version=expected_version)
        self.log_change(request, record, f"{done.capitalize()}." + (f" {note}" if note else ""))
        return done

    def _run_action(self, request, queryset, name):
        done_count, failures = 0, []
        for record in queryset:
            try:
                done = self._transition(request, record, name)
                done_count += 1
            except (DomainError, services.NotAllowed) as exc:
                failures.append(f"{record.slug}: {getattr(exc, 'message', str(exc))}")
        if done_count:
            self.message_user(request, DONE_MANY[name] % {"count": done_count}, messages.SUCCESS)
        for failure in failures:
            self.message_user(request, failure, messages.ERROR)

    @admin.action(description=gettext_lazy("Submit selected drafts for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._run_action(request, queryset, "submit")

    @admin.action(description=gettext_lazy("Publish selected agreements"), permissions=["publish"])
    def publish(self, request, queryset):
        self._run_action(request, queryset, "publish")

    @admin.action(description=gettext_lazy("Unpublish selected agreements"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._run_action(request, queryset, "unpublish")

    def publication_view(self, request, object_id):
        """The change page's buttons post here with the version they were shown."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        record = self._record(request, object_id)
        if not self.has_change_permission(request, record):
            raise PermissionDenied
        name = request.POST.get("transition")
        if name not in TRANSITIONS:
            raise PermissionDenied
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        change_url = reverse("admin:agreements_agreementrecord_change", args=[record.pk])
        try:
            done = self._transition(request, record, name, version, note=request.POST.get("note", "").strip(),
                                    uncited_reason=request.POST.get("uncited_reason", "").strip())
        except services.ConcurrencyConflict:
            changed = conflicts.summary(conflicts.what_changed(record.slug, version))
            self.message_user(
                request, gettext("Not done: the agreement changed after you opened it (%(changed)s). "
                                 "Review it and try again.") % {"changed": changed},
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        except services.NotAllowed:
            raise PermissionDenied from None
        except DomainError as exc:
            self.message_user(request, getattr(exc, "message", str(exc)), messages.ERROR)
            return HttpResponseRedirect(change_url)
        self.message_user(request, DONE_ONE[name] % {"title": record.title}, messages.SUCCESS)
        return HttpResponseRedirect(change_url)
