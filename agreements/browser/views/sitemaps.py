"""The sitemaps (sitemaps.org): an index at /sitemap.xml, and sitemaps of at most PACTA_SITEMAP_SIZE addresses.

Sections: the fixed pages, agreements, clauses and parties; sitemap n of a section covers one key range
(agreements/queries/sitemap.py), so each is a bounded read however large the corpus. Every document is
cached whole (PACTA_SITEMAP_CACHE_SECONDS) and may be cached as long by anyone: crawlers come back later.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from agreements.queries import sitemap as reads

from .. import links

PAGES = ("/", "/timeline/", "/parties/", "/search/")
SECTIONS = ("pages", "agreements", "clauses", "parties")
SPEC_LIMIT = 50_000  # sitemaps.org: at most 50,000 URLs per sitemap
XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def size() -> int:
    return max(1, min(int(getattr(settings, "PACTA_SITEMAP_SIZE", 10_000)), SPEC_LIMIT))


def _url_entry(request, path: str, lastmod=None) -> str:
    stamp = f"<lastmod>{lastmod.date().isoformat()}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(request.build_absolute_uri(path))}</loc>{stamp}</url>"


def _document(root: str, entries) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{XMLNS}">\n' + "\n".join(entries) + f"\n</{root}>\n"


def _section_entries(request, section: str, index: int, per: int) -> list[str]:
    if section == "pages":
        return [_url_entry(request, path) for path in PAGES]
    if section == "agreements":
        return [_url_entry(request, links.agreement_url(uri), changed)
                for uri, changed in reads.agreement_addresses(index, per)]
    if section == "clauses":
        return [_url_entry(request, links.clause_url(uri, eid), changed)
                for uri, eid, changed in reads.clause_addresses(index, per)]
    return [_url_entry(request, links.party_url(code)) for code in reads.party_codes(index, per)]


def _counts(per: int) -> dict[str, int]:
    return {"pages": 1, **reads.sitemap_ranges(per)}


def _cached(request, name: str, build) -> HttpResponse:
    key = f"pacta:sitemap:{size()}:{request.scheme}://{request.get_host()}/{name}"
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, int(getattr(settings, "PACTA_SITEMAP_CACHE_SECONDS", 3600)))
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={int(getattr(settings, 'PACTA_SITEMAP_CACHE_SECONDS', 3600))}"
    return response


def _section_locations(request, section: str, count: int) -> list[str]:
    """The absolute addresses of a section's sitemaps 1..count: one reversed, the others are the same address
    with their own number (a reverse() per line took 20 of the index's 29 ms at a million agreements: 1,451
    sitemaps of 10,000 addresses)."""
    head, tail = request.build_absolute_uri(reverse("browser:sitemap-section", args=[section, 0])).rsplit("-0", 1)
    return [f"{head}-{number}{tail}" for number in range(1, count + 1)]


@require_safe
def sitemap_index(request):
    def build():
        entries = [f"<sitemap><loc>{escape(location)}</loc></sitemap>"
                   for section, count in _counts(size()).items()
                   for location in _section_locations(request, section, count)]
        return _document("sitemapindex", entries)

    return _cached(request, "index", build)


@require_safe
def sitemap_section(request, section: str, number: int):
    if section not in SECTIONS:
        raise Http404("No such sitemap.")

    def build():
        if not 1 <= number <= _counts(size())[section]:
            raise Http404("No such sitemap.")
        return _document("urlset", _section_entries(request, section, number - 1, size()))

    return _cached(request, f"{section}-{number}", build)
