"""Query counts per page do not grow with the size of an agreement or the length of a clause's history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import services
from agreements.domain.commands import parse_command

pytestmark = pytest.mark.django_db


def clauses(n):
    return [{"eid": f"art_{i}", "number": str(i), "heading": f"Heading {i}", "text": f"Text of article {i}."}
            for i in range(1, n + 1)]


def extras(n):
    """A cross-reference and a citation on every clause, so that nothing is loaded per clause unseen."""
    commands = []
    for i in range(1, n + 1):
        commands.append(("AddReference", {"eid": f"art_{i}", "target": "un-charter-1945", "target_eid": "art_51"}))
        commands.append(
            ("AttachCitation", {"source": "usc-dornsife-2023", "locator": f"para. {i}", "supports": f"art_{i}"})
        )
    return commands


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_an_agreement_page_makes_as_many_queries_with_200_clauses_as_with_5(client, make_agreement):
    make_agreement("small-2012", "Small agreement", clauses(5), extra=extras(5))
    make_agreement("large-2012", "Large agreement", clauses(200), extra=extras(200))
    small = count_queries(client, "/akn/int/treaty/2012/small-2012/")
    large = count_queries(client, "/akn/int/treaty/2012/large-2012/")
    assert small == large
    assert large <= 20
    html = client.get("/akn/int/treaty/2012/large-2012/").content.decode()
    assert html.count('class="clause-heading"') == 200


def test_a_dated_agreement_page_is_bounded_too(client, make_agreement):
    make_agreement("small-dated-2012", "Small agreement", clauses(5))
    make_agreement("large-dated-2012", "Large agreement", clauses(200))
    assert count_queries(client, "/akn/int/treaty/2012/small-dated-2012/@2013-01-01/") == count_queries(
        client, "/akn/int/treaty/2012/large-dated-2012/@2013-01-01/")


def test_a_clause_page_makes_as_many_queries_with_30_versions_as_with_1(client, make_agreement):
    make_agreement("versions-2012", "Versioned agreement", clauses(2))
    for year in range(2013, 2043):
        services.handle(parse_command("AmendClause", {"eid": "art_2", "text": f"Text as of {year}.",
                                                      "effective": f"{year}-01-01"}), slug="versions-2012")
    one = count_queries(client, "/akn/int/treaty/2012/versions-2012/art_1/")
    many = count_queries(client, "/akn/int/treaty/2012/versions-2012/art_2/")
    assert one == many


def test_listing_pages_do_not_grow_with_the_number_of_agreements(client, make_agreement, settings, eager):
    from django.core.cache import cache

    # Both counts from an empty cache, the corpus summary counted by the reader (no broker) each time: the first
    # finds no kept copy, the second an out-of-date one.
    settings.PACTA_SUMMARY_MAX_AGE = 0
    before = {url: count_queries(client, url) for url in ["/", "/timeline/", "/parties/TUR/", "/search/?q=assistance"]}
    for i in range(5):
        make_agreement(f"more-{i}-2012", f"More agreement {i}", clauses(2))
    cache.clear()
    after = {url: count_queries(client, url) for url in before}
    assert before == after
