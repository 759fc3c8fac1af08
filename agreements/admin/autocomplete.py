"""Choosing parties and agreements by typing part of a name: Django admin's select2 autocomplete, fed by two
small JSON endpoints of the agreement admin, whose values are the codes and slugs the commands take.

Each party is shown with its years of existence ("AZE — Azerbaijan (1991–)"). Given the agreement's date
(`?on=2010-08-16`, which the editor puts in the party pickers' address), the parties that did not exist on it
come last: for a 2010 agreement, Azerbaijan (1991–) is offered before the Azerbaijan Democratic Republic
(1918–1920). "Did not exist" is the domain's rule for adding a party (`domain.existence`), so what comes last is
what adding would refuse without a reason.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import reverse
from django.utils.http import urlencode

from agreements.domain.dates import InvalidDate, parse_date
from agreements.domain.errors import RuleViolated
from agreements.domain.existence import check_party_existed
from agreements.models import Citation
from agreements.queries.agreements import agreement_matches
from agreements.queries.parties import existence_spans, party_matches


class CodeAutocomplete(AutocompleteSelect):
    """A select that select2 fills as the archivist types; its value is a party code or an agreement slug.

    It borrows the admin's autocomplete widget (assets, theme, behaviour) and points it at our endpoint; only
    the chosen value is rendered as an option, so a posted form shows what was chosen."""

    on = ""  # the agreement's date (EDTF), when the choices depend on it (the editor sets it on party pickers)

    def __init__(self, url_name: str, attrs=None):
        # The field only tells the base widget which admin it belongs to; our endpoint ignores it.
        super().__init__(Citation._meta.get_field("agreement"), admin.site, attrs=attrs)
        self.url_name = url_name

    def get_url(self):
        url = reverse(self.url_name)
        return f"{url}?{urlencode({'on': self.on})}" if self.on else url

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
    on = _date_or_none(request.GET.get("on", ""))
    return choices_response(request, lambda term: parties_for(term, on))


def parties_for(term: str, on: str | None) -> list[tuple[str, str]]:
    """The parties matching `term` (code and label, by code); with an agreement date `on`, those that did not
    exist on it last."""
    matches = party_matches(term)
    if not on:
        return matches
    spans = existence_spans([code for code, _ in matches])
    return sorted(matches, key=lambda match: not existed(match[0], spans.get(match[0]), on))  # stable: by code


def existed(code: str, span, on: str) -> bool:
    """False only when the party certainly did not exist on `on` (the rule that refuses adding it)."""
    try:
        check_party_existed(code, span, on)
    except RuleViolated:
        return False
    return True


def _date_or_none(value: str) -> str | None:
    value = value.strip()
    try:
        return parse_date(value).text if value else None
    except InvalidDate:
        return None  # not a date: the parties in their plain order


def agreements_view(request):
    return choices_response(request, agreement_matches)
