"""Pagination, one vocabulary for every list: `cursor` (from a `next` link), `page_size`, and `next` in the page.

Cursor pages (stable under inserts) for agreements, parties, sources and findings; ranked search pages carry
their offset in the same opaque `cursor`; the event feeds page by `after` (a position: the one place where
the client names where it stands) and `page_size`.

A cursor is readable but opaque to clients: `n` (forward) or `p` (backward), the offset within equal
positions, and `_` + the last position seen. Every string the documented pattern admits is a cursor the
server accepts; anything else is a 400 naming `cursor`.
"""

from __future__ import annotations

import re

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 500
FEED_MAX_PAGE_SIZE = 1000
SEARCH_MAX_PAGE_SIZE = 100
SEARCH_MAX_OFFSET = 10_000
CURSOR_HELP = "Opaque: take it from a page's `next` (or `previous`) link."


def page_size_parameter(default: int, maximum: int) -> dict:
    return {
        "name": "page_size", "required": False, "in": "query",
        "description": f"Entries per page, 1..{maximum} (default {default}).",
        "schema": {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
    }


def cursor_parameter(pattern: str) -> dict:
    return {"name": "cursor", "required": False, "in": "query", "description": CURSOR_HELP,
            "schema": {"type": "string", "pattern": pattern, "maxLength": 220}}


def whole_number(request, name: str, default: int, low: int, high: int) -> int:
    """A query parameter that must be a whole number in [low, high]; absent gives the default."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdecimal()) or not low <= int(raw) <= high:
        raise ValidationError({name: [f"A whole number from {low} to {high}."]})
    return int(raw)


class RegistryCursorPagination(CursorPagination):
    """Cursor pages ordered by a text key (slug, party code, source key)."""

    ordering = ("slug",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    position_pattern = r"[A-Za-z0-9-]{1,200}"

    @classmethod
    def cursor_pattern(cls) -> str:
        return rf"^[np][0-9]{{1,3}}(_{cls.position_pattern})?$"

    def encode_cursor(self, cursor: Cursor) -> str:
        token = f"{'p' if cursor.reverse else 'n'}{min(cursor.offset, self.offset_cutoff - 1)}"
        if cursor.position is not None:
            token += f"_{cursor.position}"
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def decode_cursor(self, request):
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        match = re.fullmatch(self.cursor_pattern().strip("^$"), raw)
        if match is None:
            raise ValidationError({self.cursor_query_param: [f"Invalid cursor. {CURSOR_HELP}"]})
        direction, rest = raw[0], raw[1:]
        offset, _, position = rest.partition("_")
        return Cursor(offset=int(offset), reverse=direction == "p", position=position or None)

    def get_page_size(self, request):
        return whole_number(request, self.page_size_query_param, self.page_size, 1, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        return [cursor_parameter(self.cursor_pattern()), page_size_parameter(self.page_size, self.max_page_size)]


AgreementCursorPagination = RegistryCursorPagination


class CsvCursorPagination(RegistryCursorPagination):
    """The agreement list as CSV for anonymous callers: the same cursor pages, the largest by default."""

    page_size = MAX_PAGE_SIZE


class CodeCursorPagination(RegistryCursorPagination):
    ordering = ("code",)


class KeyCursorPagination(RegistryCursorPagination):
    ordering = ("key",)


class NewestFirstPagination(RegistryCursorPagination):
    ordering = ("-id",)
    position_pattern = r"[0-9]{1,18}"


class SearchPaging:
    """Ranked hits have no stable key to page by, so the cursor carries the offset: `o<offset>`."""

    default = 20
    cursor_pattern = rf"^o(?:{SEARCH_MAX_OFFSET}|[0-9]{{1,{len(str(SEARCH_MAX_OFFSET)) - 1}}})$"

    def __init__(self, request):
        self.request = request
        self.page_size = whole_number(request, "page_size", self.default, 1, SEARCH_MAX_PAGE_SIZE)
        raw = request.query_params.get("cursor")
        if raw is None:
            self.offset = 0
        elif re.fullmatch(self.cursor_pattern.strip("^$"), raw):
            self.offset = int(raw[1:])
        else:
            raise ValidationError({"cursor": [f"Invalid cursor. {CURSOR_HELP}"]})

    def page(self, hits: list) -> dict:
        """`hits` were fetched with one more than the page size, so `next` knows whether more follow."""
        url = self.request.build_absolute_uri()
        end = self.offset + self.page_size
        next_url = replace_query_param(url, "cursor", f"o{end}") if len(hits) > self.page_size \
            and end <= SEARCH_MAX_OFFSET else None
        previous = None
        if self.offset:
            start = self.offset - self.page_size
            previous = replace_query_param(url, "cursor", f"o{start}") if start > 0 else \
                remove_query_param(url, "cursor")
        return {"next": next_url, "previous": previous, "results": hits[: self.page_size]}

    @classmethod
    def parameters(cls) -> list[dict]:
        param = cursor_parameter(cls.cursor_pattern)
        param["description"] += f" Search pages reach at most {SEARCH_MAX_OFFSET} hits deep."
        return [param, page_size_parameter(cls.default, SEARCH_MAX_PAGE_SIZE)]


def feed_params(request) -> tuple[int, int]:
    """`after` (a position) and `page_size`; `limit` is the feed's older name for `page_size` and still works."""
    after = whole_number(request, "after", 0, 0, 2**62)
    limit = whole_number(request, "limit", 100, 1, FEED_MAX_PAGE_SIZE)
    return after, whole_number(request, "page_size", limit, 1, FEED_MAX_PAGE_SIZE)


def openapi_parameter(spec: dict):
    """The same parameter for `extend_schema` (paginators hand DRF plain dicts, views hand spectacular these)."""
    from drf_spectacular.utils import OpenApiParameter

    return OpenApiParameter(spec["name"], type=spec["schema"], location=spec["in"], description=spec["description"],
                            deprecated=spec.get("deprecated", False))


FEED_PARAMETERS = [openapi_parameter(spec) for spec in (
    {"name": "after", "in": "query",
     "description": "Return entries after this position (default 0): where the consumer stands.",
     "schema": {"type": "integer", "minimum": 0, "maximum": 2**62, "default": 0}},
    page_size_parameter(100, FEED_MAX_PAGE_SIZE),
    {"name": "limit", "in": "query", "deprecated": True, "description": "The older name of `page_size`.",
     "schema": {"type": "integer", "minimum": 1, "maximum": FEED_MAX_PAGE_SIZE}},
)]


def feed_page(request, entries, after: int, page_size: int, key: str = "position") -> dict:
    """A feed page: `next` continues after the last entry; it is null once a page comes back short."""
    next_url = None
    if len(entries) == page_size and entries:
        url = remove_query_param(request.build_absolute_uri(), "limit")
        url = replace_query_param(url, "after", getattr(entries[-1], key))
        next_url = replace_query_param(url, "page_size", page_size)
    return {"after": after, "page_size": page_size, "next": next_url, "results": entries}
