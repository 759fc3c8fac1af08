"""Lifecycle order per party: entry into force, ratification, approval not before signature."""

import datetime as dt

import pytest

from agreements.queries.lifecycle import LifecycleRow
from agreements.queries.time import bounds
from agreements.validation.lifecycle import order_problems
from agreements.findings.models import Finding

from .helpers import do, draft

pytestmark = pytest.mark.django_db


def fact(action, date, party=None):
    lower, upper = bounds(date)
    return LifecycleRow(f"{action}-{party}-{date}", "x", 1, action, party, date, lower, upper)


def test_a_ratification_before_the_same_partys_signature_is_flagged():
    facts = [fact("signature", "2015-03-01", "TUR"), fact("ratification", "2014-12-01", "TUR")]
    [(flagged, signature)] = order_problems(facts)
    assert flagged.action == "ratification" and signature.date == "2015-03-01"


def test_facts_in_order_or_uncertain_enough_are_not_flagged():
    facts = [fact("signature", "2015-06-01", "TUR"), fact("entry_into_force", "2015", "TUR"),
             fact("approval", "2016-01-01", "TUR"), fact("ratification", "2015-06-01", "TUR")]
    assert order_problems(facts) == []


def test_a_party_without_its_own_signature_is_held_to_the_agreement_wide_one():
    facts = [fact("signature", "2015-03-01"), fact("entry_into_force", "2015-01-01", "AZE")]
    assert [f.party for f, _ in order_problems(facts)] == ["AZE"]


def test_a_partys_entry_into_force_before_the_agreement_was_signed_is_found_and_resolved_by_a_correction(
    after_commit
):
    draft("order-2015")
    do("AddParty", "order-2015", party="TUR")
    do("RecordLifecycle", "order-2015", action="signature", date="2015-03-01")
    with after_commit():  # the aggregate compares facts of one party only: this one is accepted on write
        result = do("RecordLifecycle", "order-2015", action="entry_into_force", date="2014-01-01", party="TUR")
    finding = Finding.objects.get(agreement__slug="order-2015", resolved_at__isnull=True)
    assert finding.code == "lifecycle_entry_into_force_before_signature" and finding.severity == "error"
    assert finding.subject == "lifecycle:entry_into_force:TUR"
    with after_commit():
        do("CorrectEvent", "order-2015", event_id=str(result.events[0].event_id), reason="It was 2016",
           corrections={"date": "2016-01-01"})
    finding.refresh_from_db()
    assert finding.resolved_at is not None
    assert dt.date(2000, 1, 1) < finding.first_seen.date()
