"""The sitemap: the home page, timeline, parties, every published agreement and every current clause."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from agreements.queries.clauses import current_clause_addresses
from agreements.queries.parties import parties_in_use
from agreements.queries.visibility import published_records

from .. import links


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["/", "/timeline/", "/parties/", "/search/"]

    def location(self, item):
        return item


class AgreementsSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return list(published_records())

    def location(self, record):
        return links.agreement_url(record.work_uri)

    def lastmod(self, record):
        return record.updated_at


class ClausesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return current_clause_addresses()

    def location(self, item):
        record, eid = item
        return links.clause_url(record.work_uri, eid)

    def lastmod(self, item):
        return item[0].updated_at


class PartiesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return [party.code for party in parties_in_use()]

    def location(self, code):
        return links.party_url(code)


SITEMAPS = {
    "pages": PagesSitemap,
    "agreements": AgreementsSitemap,
    "clauses": ClausesSitemap,
    "parties": PartiesSitemap,
}
