"""Pages read only their own rows: a column that asks "does a row exist?" looks up each row of the page
through an index (agreements.queries.per_row) instead of a pass over the whole corpus."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sources.models import Party
from agreements.projections.models import AgreementParty
from agreements.queries.events import event_feed
from agreements.queries.parties import party_choices

pytestmark = pytest.mark.django_db


def plan_of(run, table):
    """The plan of the query on `table` that `run()` makes."""
    with CaptureQueriesContext(connection) as queries:
        run()
    [sql] = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pacta_agreement")
        cursor.execute("SET LOCAL enable_seqscan = off")  # the seeds are few: make a scan the last resort
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
def test_postgresql_the_public_feed_looks_up_each_events_agreement_by_its_stream():
    plan = plan_of(lambda: event_feed(after=0, limit=20), "pacta_event")
    assert "Index Cond: ((stream_id)::text = (pacta_event.stream_id)::text)" in plan


def test_the_admins_party_choices_are_the_parties_to_any_agreement_drafts_too():
    codes = set(AgreementParty.objects.filter(known_to__isnull=True).values_list("party_code", flat=True))
    assert [code for code, _ in party_choices()] == sorted(codes)


def test_a_party_choice_names_the_party_and_its_code():
    # with its years of existence, from its dated names over time
    assert dict(party_choices())["TUR"] == f"{Party.objects.get(code='TUR').name} (TUR, 1923–)"
