"""Rendering shared by the browser's views: page title, meta description, canonical address, errors."""

from django.utils.translation import gettext as _
from django.shortcuts import render

SITE_NAME = "Pacta"


def page(request, template, context, *, title, description, canonical=None, status=200):
    context = {
        **context,
        "site_name": SITE_NAME,
        "page_title": title,
        "meta_description": description,
        "canonical": request.build_absolute_uri(canonical) if canonical else None,
    }
    return render(request, template, context, status=status)


def not_found(request, message):
    return page(
        request, "browser/message.html", {"heading": _("Not found"), "message": message},
        title=_("Not found"), description=message, status=404,
    )


def bad_request(request, message):
    return page(
        request, "browser/message.html", {"heading": _("This address cannot be read"), "message": message},
        title=_("Bad request"), description=message, status=400,
    )


def error_page(request, *, status, heading, message):
    """The site's error page (registry/error_views.py, through the setting PACTA_ERROR_PAGE) in the browser's
    layout; like every browser page it loads no script."""
    from agreements.browser.security import policy

    response = page(request, "browser/message.html", {"heading": heading, "message": message},
                    title=heading, description=heading, status=status)
    response["Content-Security-Policy"] = policy()
    return response
