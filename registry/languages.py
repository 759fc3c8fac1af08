"""The interface's language, chosen by the reader, never part of an address.

Django's LocaleMiddleware picks it from the reader's choice (the `django_language` cookie that the
language switcher sets by POSTing to `/i18n/setlang/`) or else from the browser's `Accept-Language`.
`?hl=tr` shows one page in a language without remembering it: what the pages' `hreflang` alternates
link to, so that search engines and shared links can name a language while the permanent address of
an agreement or clause stays the same. (`?lang=` is something else: the language of a clause's
authentic text.)
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils import translation
from django.utils.cache import patch_vary_headers

PARAMETER = "hl"


def chosen(request) -> str | None:
    """The language `?hl=` names, when it is one of the interface's."""
    code = request.GET.get(PARAMETER, "")
    return code if code in dict(settings.LANGUAGES) else None


class LanguageOfThisPage:
    """After LocaleMiddleware: `?hl=` overrides the reader's language for this response only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = chosen(request)
        if code:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        if "Content-Language" not in response:
            response["Content-Language"] = translation.get_language()
        return response


def alternates(request) -> list[dict]:
    """This page in each interface language: (code, name, href) for `<link rel="alternate" hreflang>`."""
    params = {k: v for k, v in request.GET.items() if k != PARAMETER}
    try:
        site = request.build_absolute_uri("/")[:-1]
    except DisallowedHost:  # the error page of a request for another host: addresses relative to this site
        site = ""
    out = []
    for code, name in settings.LANGUAGES:
        query = urlencode({**params, PARAMETER: code})
        out.append({"code": code, "name": name, "href": f"{site}{request.path}?{query}"})
    return out


def language_context(request) -> dict:
    """For every template: the language switcher's choices and where it returns to."""
    if request is None or not hasattr(request, "path"):
        return {}
    params = {k: v for k, v in request.GET.items() if k != PARAMETER}
    here = request.path + (f"?{urlencode(params)}" if params else "")
    return {"interface_languages": settings.LANGUAGES, "language_alternates": lambda: alternates(request),
            "language_return_to": here}
