"""Relation checks: an instrument is not older than what it amends/implements/supplements; no cycles."""

import pytest

from agreements.validation import relations
from agreements.findings.models import Finding

from .helpers import do, draft

pytestmark = pytest.mark.django_db
DEFENCE_2017 = "tr-az-defence-industry-2017"  # work date 2017-10-31


def open_codes(slug):
    return set(Finding.objects.filter(agreement__slug=slug, resolved_at__isnull=True).values_list("code", flat=True))


def relate(after_commit, slug, relation, target):
    with after_commit():
        do("AddRelation", slug, relation=relation, target=target)


def test_an_amending_instrument_older_than_its_target_is_flagged(after_commit):
    draft("amender-2005", work_date="2005-01-01")
    relate(after_commit, "amender-2005", "amends", DEFENCE_2017)
    finding = Finding.objects.get(agreement__slug="amender-2005", code="relation_predates_target")
    assert finding.severity == "error" and finding.resolved_at is None
    assert "tr-az-defence-industry-2017" in finding.message


def test_an_instrument_of_the_same_year_as_its_target_gets_the_benefit_of_the_doubt(after_commit):
    draft("implementer-2017", work_date="2017")
    relate(after_commit, "implementer-2017", "implements", DEFENCE_2017)
    assert open_codes("implementer-2017") == set()


def test_referring_to_an_older_or_younger_agreement_is_never_flagged(after_commit):
    draft("mention-2005", work_date="2005-01-01")
    relate(after_commit, "mention-2005", "refers_to", DEFENCE_2017)
    assert open_codes("mention-2005") == set()


def test_correcting_the_target_date_rechecks_the_relations_into_it(after_commit):
    draft("base-2005", work_date="2005-01-01")
    draft("follow-2010", work_date="2010-01-01")
    relate(after_commit, "follow-2010", "implements", "base-2005")
    assert open_codes("follow-2010") == set()
    drafted = do("EditDetails", "base-2005", title="Base")  # any later event; the correction targets the draft
    first = drafted.events[0].stream_version
    from registry.eventstore.models import StoredEvent

    event_id = StoredEvent.objects.get(stream_id="agreement:base-2005", stream_version=first - 1).event_id
    with after_commit():
        do("CorrectEvent", "base-2005", event_id=str(event_id), reason="It dates from 2012",
           corrections={"work_date": "2012-01-01"})
    assert open_codes("follow-2010") == {"relation_predates_target"}


def test_a_cycle_is_flagged_on_every_agreement_in_it_and_resolved_when_broken(after_commit):
    for slug in ("ring-a-2015", "ring-b-2015", "ring-c-2015"):
        draft(slug)
    relate(after_commit, "ring-a-2015", "supplements", "ring-b-2015")
    relate(after_commit, "ring-b-2015", "supplements", "ring-c-2015")
    assert not Finding.objects.filter(code="relation_cycle").exists()
    relate(after_commit, "ring-c-2015", "based_on", "ring-a-2015")
    cycle = Finding.objects.filter(code="relation_cycle", resolved_at__isnull=True)
    assert set(cycle.values_list("agreement__slug", flat=True)) == {"ring-a-2015", "ring-b-2015", "ring-c-2015"}
    with after_commit():
        do("RemoveRelation", "ring-c-2015", relation="based_on", target="ring-a-2015")
    assert not Finding.objects.filter(code="relation_cycle", resolved_at__isnull=True).exists()


def test_agreements_that_refer_to_each_other_are_not_a_cycle(after_commit):
    draft("talk-a-2015")
    draft("talk-b-2015")
    relate(after_commit, "talk-a-2015", "refers_to", "talk-b-2015")
    relate(after_commit, "talk-b-2015", "refers_to", "talk-a-2015")
    assert not Finding.objects.filter(code="relation_cycle").exists()


def test_cycles_finds_each_strongly_connected_group_once():
    edges = [("a", "b"), ("b", "a"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "c"), ("f", "a")]
    assert relations.cycles(edges) == [["a", "b"], ["c", "d", "e"]]
    assert relations.cycles([("a", "b"), ("b", "c")]) == []


def test_the_seed_relations_are_sound():
    scopes, problems = relations.check_agreements(["az-mod-tur-tgs-financial-assistance-2001",
                                                   "tr-az-military-financial-cooperation-2020"])
    assert problems == []
    assert relations.check_cycles()[1] == []
