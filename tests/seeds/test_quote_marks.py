"""What a reader is told of each quote, the same on the page and in the API: "checked" when the source's stored
text contains it, "not found in the source" when it does not, "not checked" when no text is stored."""

import re

import pytest
from rest_framework.test import APIClient

from agreements.domain import commands
from agreements.domain.quotes import CHECKED, NOT_CHECKED, NOT_FOUND
from agreements import services
from sources.models import Source

pytestmark = pytest.mark.django_db
STRATEGIC = "/akn/int/treaty/2010/tr-az-strategic-partnership-2010/"
SLUG = "tr-az-strategic-partnership-2010"


def api_citations(slug=SLUG):
    return APIClient().get(f"/api/v1/agreements/{slug}/").json()["citations"]


def cite(quote, source="wikipedia-strategic-partnership-2010", supports="title"):
    command = commands.parse_command("AttachCitation", {"source": source, "locator": "test", "quote": quote,
                                                 "supports": supports})
    services.handle(command, slug=SLUG)


def test_the_api_marks_every_quote_by_its_sources_stored_text():
    marks = {(x["source"]["key"], x["quote_check"]) for x in api_citations()}
    assert ("wikipedia-strategic-partnership-2010", CHECKED) in marks
    assert ("usc-dornsife-2023", NOT_CHECKED) in marks  # no stored text in the tests' clean clone
    assert not {m for _, m in marks} - {CHECKED, NOT_CHECKED}


def test_a_quote_not_in_the_stored_text_is_marked_not_found_never_checked_on_page_and_api(client):
    cite("Signed on the Moon by unnamed delegates")
    [entry] = [x for x in api_citations() if x["quote"] == "Signed on the Moon by unnamed delegates"]
    assert entry["quote_check"] == NOT_FOUND
    html = client.get(STRATEGIC).content.decode()
    note = html[html.index("Signed on the Moon by unnamed delegates"):]
    note = note[:note.index("</details>")]
    assert "(quote not found in the source)" in note and "(quote checked)" not in note


def test_a_quote_with_nul_bytes_or_ten_thousand_characters_is_never_marked_checked():
    for quote in ("Date Signed\x00: 16 August 2010", "Date Signed: 16 August 2010 " * 400):
        try:
            cite(quote)
        except Exception:  # refused at the door is as good as not checked
            continue
        marks = [x["quote_check"] for x in api_citations() if x["quote"] == quote]
        assert marks and set(marks) == {NOT_FOUND}


def test_the_page_and_the_api_give_the_same_mark_for_each_citation(client):
    html = client.get(STRATEGIC).content.decode()
    page = re.findall(r'<q lang="[^"]*">([^<]*)</q>.*?\(quote (checked|not checked|not found in the source)\)',
                      html, re.S)
    api = {x["quote"]: x["quote_check"] for x in api_citations() if x["quote"]}
    assert page
    for quote, mark in page:
        quote = quote.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
        if quote in api:
            assert api[quote] == mark, quote


def test_a_stored_text_added_later_turns_not_checked_into_checked():
    source = Source.objects.get(key="usc-dornsife-2023")
    quote = next(x["quote"] for x in api_citations() if x["source"]["key"] == "usc-dornsife-2023")
    source.snapshot_text = f"... {quote} ..."
    source.save()
    # A source's text, like its title, is not in the agreement's ETag: the API body may be kept for
    # PACTA_API_CACHE_SECONDS (agreements/api/caching.py); past that the mark follows the stored text.
    from django.core.cache import cache

    cache.clear()
    assert {x["quote_check"] for x in api_citations() if x["quote"] == quote} == {CHECKED}


@pytest.fixture
def archivist_api(archivist):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=archivist)[0].key}")
    return client


@pytest.mark.parametrize("fields, field_name", [
    ({"title": "a\x00b"}, "title"),
    ({"title": "T" * 10_000}, "title"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"url": "ftp://example.org/a"}, "url"),
    ({"accessed": "yesterday"}, "accessed"),
])
def test_the_api_refuses_a_hostile_source_naming_the_field(archivist_api, fields, field_name):
    body = {"title": "A source", "publisher": "P", "kind": "news", **fields}
    response = archivist_api.post("/api/v1/sources/", body, format="json")
    assert response.status_code == 400, response.content[:300]
    body = response.content.decode()
    assert field_name in body or "NUL" in body or "null" in body.lower(), body[:300]  # a NUL is refused at the door
    assert not Source.objects.filter(publisher="P").exists()


def test_the_api_records_the_day_a_source_was_read(archivist_api):
    response = archivist_api.post("/api/v1/sources/", {"title": "Read today", "publisher": "P2", "kind": "news",
                                                       "url": "https://example.org/x", "accessed": "2026-12-06"},
                                  format="json")
    assert response.status_code == 201, response.content[:300]
    assert Source.objects.get(publisher="P2").accessed == "2026-12-06"
