"""Input the database can neither store nor compare is refused at the door: a 400 naming where it was.

A NUL character in the path, a query parameter (name or value) or a header reaches PostgreSQL as an error
("A string literal cannot contain NUL"), i.e. a 500, from whichever filter, form or lookup uses it first.
One middleware refuses it for every view (browser, API, admin and its filters), so no view has to.
"""

from __future__ import annotations

from registry import error_views


def _where_nul(request) -> str | None:
    if "\x00" in request.path:
        return "path"
    query = request.META.get("QUERY_STRING", "")
    if "%00" in query or "\x00" in query:  # only these decode to NUL: the parameters are parsed only then
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return name.replace("\x00", "\\0") or "query"
    for name, value in request.META.items():
        if name.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
            return name[5:].replace("_", "-").title()
    return None


class RefuseUnstorableInput:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = _where_nul(request)
        if where is not None:
            return error_views.bad_input(request, where, "NUL characters are not allowed.")
        return self.get_response(request)
