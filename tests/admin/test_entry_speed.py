"""How an archivist enters a 23-article agreement: the page loads it takes (recorded, with the server time, in
test-artifacts/admin/entry-23-articles.txt; the count is asserted, the time is only reported)."""

import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from agreements.queries.agreements import agreement_at
from agreements.models import AgreementRecord

from .conftest import add_url
from .formdata import form_data

ARTICLES = 23
SLUG = "tr-az-twenty-three-articles-2010"


class PageLoads:
    """Counts what the archivist's browser loads: every GET and POST, and every redirect it follows."""

    def __init__(self, client):
        self.client, self.count, self.post_seconds = client, 0, 0.0

    def get(self, url, **params):
        self.count += 1
        return self.client.get(url, params)

    def post(self, url, data):
        self.count += 1
        start = time.perf_counter()
        response = self.client.post(url, data)
        self.post_seconds = time.perf_counter() - start
        while response.status_code in (301, 302):
            self.count += 1
            response = self.client.get(response.url)
        return response


def test_a_23_article_agreement_is_entered_in_four_page_loads(archivist_client):
    loads = PageLoads(archivist_client)
    loads.get(add_url())  # the archivist opens "Add agreement"
    page = loads.get(add_url(), rows=25)  # and follows the "25 empty rows" link on it
    data = form_data(page)
    data.update({
        "details-slug": SLUG, "details-title": "Agreement on Strategic Partnership (23 articles)",
        "details-kind": "agreement", "details-work_date": "2010-08-16", "details-place": "Istanbul",
        "parties-0-party": "TUR", "parties-1-party": "AZE",
        "lifecycle-0-action": "signature", "lifecycle-0-date": "2010-08-16",
        "_continue": "1",
    })
    for i in range(ARTICLES):
        data.update({
            f"newclauses-{i}-number": str(i + 1),
            f"newclauses-{i}-heading": f"Heading of article {i + 1}",
            f"newclauses-{i}-text": f"Text of article {i + 1}: " + "the parties undertake to cooperate. " * 8,
            f"newclauses-{i}-text_kind": "summary",
        })
    response = loads.post(add_url(), data)  # one save; the browser follows the redirect to the change page

    record = AgreementRecord.objects.get(slug=SLUG)
    assert response.status_code == 200 and response.context["record"] == record
    assert len(agreement_at(SLUG, include_unpublished=True).clauses) == ARTICLES
    assert loads.count == 4
    out = Path(settings.BASE_DIR) / "test-artifacts" / "admin"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"entry-23-articles-{connection.vendor}.txt").write_text(
        f"{ARTICLES} articles, 2 parties, 1 lifecycle fact: {loads.count} page loads "
        f"(add page, 25-row add page, save, change page); the save ({record.version} events) took "
        f"{loads.post_seconds:.2f} s on {connection.vendor} in the test server.\n"
    )
