"""The project's documentation stands alone: no page, docstring or comment sends a reader to a design document
that is not in the repository, and the API's list orderings are documented as the paginators define them."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
READ_BY_PEOPLE = ["README.md", "docs", "agreements", "sources", "registry", "seeds", "bench", "tests", "pyproject.toml",
                  "Makefile", ".ci"]
SUFFIXES = {".md", ".py", ".html", ".toml", ".yaml", ".yml", ".txt", ""}


def _files():
    for name in READ_BY_PEOPLE:
        path = ROOT / name
        paths = [path] if path.is_file() else path.rglob("*") if path.exists() else []
        for p in paths:
            if p.is_file() and p.suffix in SUFFIXES and "fixtures" not in p.parts and p != Path(__file__):
                yield p


def test_nothing_points_readers_at_a_design_document_outside_the_repository():
    pointing = [str(p.relative_to(ROOT)) for p in _files()
                if re.search(r"DESIGN(\.md|'s)", p.read_text(errors="ignore"))]
    assert pointing == []


def test_the_api_docs_say_where_the_command_fields_are():
    api = (ROOT / "docs" / "api.md").read_text()
    assert "Every command type and its\n  fields are in the OpenAPI schema (`/api/schema/`)" in api


@pytest.mark.parametrize("path, pagination, words", [
    ("GET /api/v1/agreements/", "AgreementCursorPagination", "by `slug`"),
    ("GET /api/v1/parties/", "CodeCursorPagination", "by `code`"),
    ("GET /api/v1/sources/", "KeyCursorPagination", "by `key`"),
    ("GET /api/v1/findings/", "NewestFirstPagination", "newest first"),
])
def test_the_api_docs_give_each_lists_order_as_its_paginator_sorts(path, pagination, words):
    from agreements.api import pagination as paging

    ordering = getattr(paging, pagination).ordering
    api = (ROOT / "docs" / "api.md").read_text()
    section = api[api.index("## Ordering"):api.index("## Paging")]
    [row] = [line for line in section.splitlines() if line.startswith(f"| `{path}`")]
    assert words in row
    assert (ordering[0].lstrip("-") in row) or (ordering[0].startswith("-") and "newest first" in row)
