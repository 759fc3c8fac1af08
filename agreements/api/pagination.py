"""Pagination: cursor pages for lists (stable under inserts), position-keyed pages for event feeds."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, LimitOffsetPagination
from rest_framework.utils.urls import replace_query_param


class AgreementCursorPagination(CursorPagination):
    ordering = ("slug",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except Exception as exc:  # DRF answers 404 to a bad cursor; it is bad input, so 400 naming it
            if getattr(exc, "status_code", None) == 404 or isinstance(exc, (ValueError, TypeError)):
                raise ValidationError({self.cursor_query_param: ["Invalid cursor."]}) from None
            raise

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdecimal() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]})
        return int(raw)


class CodeCursorPagination(AgreementCursorPagination):
    ordering = ("code",)


class KeyCursorPagination(AgreementCursorPagination):
    ordering = ("key",)


class NewestFirstPagination(AgreementCursorPagination):
    ordering = ("-id",)


class SearchPagination(LimitOffsetPagination):
    default_limit = 20
    max_limit = 100


def feed_page(request, entries, after: int, limit: int, key: str = "position") -> dict:
    """A feed page: `next` continues after the last entry; it is null once a page comes back short."""
    next_url = None
    if len(entries) == limit and entries:
        url = request.build_absolute_uri()
        url = replace_query_param(url, "after", getattr(entries[-1], key))
        next_url = replace_query_param(url, "limit", limit)
    return {"after": after, "limit": limit, "next": next_url, "results": entries}
