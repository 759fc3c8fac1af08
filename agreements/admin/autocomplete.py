"""Choosing parties and agreements by typing part of a name: Django admin's select2 autocomplete, fed by two
small JSON endpoints of the agreement admin, whose values are the codes and slugs the commands take."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import reverse

from agreements.queries.agreements import agreement_matches
from agreements.queries.parties import party_matches
from agreements.models import Citation


class CodeAutocomplete(AutocompleteSelect):
    """A select that select2 fills as the archivist types; its value is a party code or an agreement slug.

    It borrows the admin's autocomplete widget (assets, theme, behaviour) and points it at our endpoint; only
    the chosen value is rendered as an option, so a posted form shows what was chosen."""

    def __init__(self, url_name: str, attrs=None):
        # The field only tells the base widget which admin it belongs to; our endpoint ignores it.
        super().__init__(Citation._meta.get_field("agreement"), admin.site, attrs=attrs)
        self.url_name = url_name

    def get_url(self):
        return reverse(self.url_name)

    def optgroups(self, name, value, attrs=None):
        chosen = [str(v) for v in value if v not in (None, "")]
        options = [self.create_option(name, v, v, True, i) for i, v in enumerate(chosen)]
        if not self.is_required:
            options.insert(0, self.create_option(name, "", "", not chosen, 0))
        return [(None, options, 0)]


def choices_response(request, choices_of):
    """select2's JSON: {"results": [{"id", "text"}], "pagination": {"more": false}}."""
    if not request.user.is_active or not request.user.is_staff:
        raise PermissionDenied
    term = request.GET.get("term", "").strip()[:100]
    results = [{"id": value, "text": text} for value, text in choices_of(term)]
    return JsonResponse({"results": results, "pagination": {"more": False}})


def parties_view(request):
    return choices_response(request, party_matches)


def agreements_view(request):
    return choices_response(request, agreement_matches)
