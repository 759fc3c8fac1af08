"""Cross-reference checks, through the embedded default: a command is validated in-process after commit."""

import datetime as dt

import pytest

from agreements.queries.agreements import AgreementFacts
from agreements.queries.clauses import ClauseRow, clause_ids_of
from agreements.queries.references import ReferenceRow
from agreements.validation.findings import ERROR
from agreements.findings.models import Finding
from agreements.validation.references import ReferenceCheck
from registry.eventstore.models import StoredEvent
from registry.outbox.models import OutboxJob

from .helpers import clause, do, draft

pytestmark = pytest.mark.django_db
CHARTER = "un-charter-1945"


def open_findings(slug):
    return {(f.code, f.subject): f for f in Finding.objects.filter(agreement__slug=slug, resolved_at__isnull=True)}


def refer(after_commit, slug, eid, target, target_eid=None):
    with after_commit():
        data = {"eid": eid, "target": target}
        if target_eid:
            data["target_eid"] = target_eid
        return do("AddReference", slug, **data)


@pytest.fixture
def referrer():
    draft("referrer-2015", work_date="2015-03-01")
    clause("referrer-2015", "art_1")
    return "referrer-2015"


def test_in_the_embedded_default_a_reference_to_a_missing_article_is_found_right_after_the_write(
    after_commit, referrer
):
    refer(after_commit, referrer, "art_1", CHARTER, "art_199")
    finding = open_findings(referrer)[("reference_target_eid_missing", "art_1")]
    assert finding.severity == ERROR and finding.subject_type == "reference"
    assert "un-charter-1945#art_199" in finding.message
    assert OutboxJob.objects.latest("created_at").sent_at is not None


def test_adding_the_missing_article_resolves_the_finding(after_commit, referrer):
    refer(after_commit, referrer, "art_1", CHARTER, "art_199")
    with after_commit():
        clause(CHARTER, "art_199", effective="1945-10-24")
    assert open_findings(referrer) == {}
    assert Finding.objects.get(code="reference_target_eid_missing").resolved_at is not None


def test_removing_the_reference_resolves_its_finding(after_commit, referrer):
    refer(after_commit, referrer, "art_1", CHARTER, "art_199")
    with after_commit():
        do("RemoveReference", referrer, eid="art_1", target=CHARTER, target_eid="art_199")
    assert open_findings(referrer) == {}


def test_correcting_the_target_eid_of_a_reference_revalidates_it(after_commit, referrer):
    result = refer(after_commit, referrer, "art_1", CHARTER, "art_199")
    with after_commit():
        do("CorrectEvent", referrer, event_id=str(result.events[0].event_id), reason="Article 51 was meant",
           corrections={"target_eid": "art_51"})
    assert open_findings(referrer) == {}


def test_a_reference_to_an_agreement_that_did_not_exist_yet_is_an_anachronism(after_commit):
    draft("old-1990", work_date="1990-05-01")
    clause("old-1990", "art_1")
    refer(after_commit, "old-1990", "art_1", "tr-az-strategic-partnership-2010")
    finding = open_findings("old-1990")[("reference_anachronism", "art_1")]
    assert finding.severity == ERROR and "did not exist yet" in finding.message


def test_a_reference_to_an_article_that_took_effect_later_is_an_anachronism(after_commit):
    draft("between-1945", work_date="1945-08-01")
    clause("between-1945", "art_1", effective="1945-08-01")
    refer(after_commit, "between-1945", "art_1", CHARTER, "art_51")  # art_51 holds from 1945-10-24
    finding = open_findings("between-1945")[("reference_anachronism", "art_1")]
    assert "1945-10-24" in finding.message


def test_a_partial_date_gets_the_benefit_of_the_doubt(after_commit):
    draft("year-1945", work_date="1945")
    clause("year-1945", "art_1", effective="1945")  # some day of 1945: possibly after 24 October
    refer(after_commit, "year-1945", "art_1", CHARTER, "art_51")
    assert open_findings("year-1945") == {}


def test_a_reference_to_an_article_repealed_by_then_is_a_warning(after_commit, referrer):
    clause(CHARTER, "art_152", effective="1945-10-24")
    do("RepealClause", CHARTER, eid="art_152", effective="2000-01-01")
    refer(after_commit, referrer, "art_1", CHARTER, "art_152")
    assert open_findings(referrer)[("reference_target_repealed", "art_1")].severity == "warning"


def test_repealing_an_article_flags_the_clauses_that_refer_to_it(after_commit, referrer):
    clause(CHARTER, "art_152", effective="1945-10-24")
    refer(after_commit, referrer, "art_1", CHARTER, "art_152")
    assert open_findings(referrer) == {}
    with after_commit():
        do("RepealClause", CHARTER, eid="art_152", effective="2000-01-01")
    assert ("reference_target_repealed", "art_1") in open_findings(referrer)


def test_a_reference_by_an_eid_renumbered_away_is_a_warning_and_the_new_eid_is_sound(after_commit, referrer):
    clause(CHARTER, "art_160", effective="1945-10-24")
    do("RenumberClause", CHARTER, eid="art_160", new_eid="art_160A", effective="2000-01-01")
    clause(referrer, "art_2")
    refer(after_commit, referrer, "art_1", CHARTER, "art_160")
    refer(after_commit, referrer, "art_2", CHARTER, "art_160A")
    assert set(open_findings(referrer)) == {("reference_target_renumbered", "art_1")}


def test_the_seeded_reference_to_article_51_of_the_charter_is_sound():
    clause_ids = clause_ids_of("tr-az-strategic-partnership-2010", ["art_2"])
    scopes, problems, checked = ReferenceCheck().run(clause_ids)
    assert problems == [] and checked == [("tr-az-strategic-partnership-2010", "art_2")]


def test_a_reference_to_an_agreement_missing_from_the_registry_is_an_error():
    """Commands refuse unknown targets; an imported or corrected reference can still point nowhere."""
    ref = ReferenceRow("c1", 1, "referrer", "art_1", "no-such-agreement", "art_1")
    history = [ClauseRow("c1", 1, "referrer", "art_1", "added", False, "2015", dt.date(2015, 1, 1), None, 1)]
    facts = {"referrer": AgreementFacts(1, "referrer", dt.date(2015, 1, 1), dt.date(2015, 12, 31), "2015")}
    problem = ReferenceCheck()._check(ref, history, facts, {})
    assert problem.code == "reference_target_missing" and problem.severity == ERROR


def test_a_command_that_changes_nothing_validation_cares_about_makes_no_job(after_commit):
    draft("quiet-2015")
    before = OutboxJob.objects.count(), StoredEvent.objects.count()
    with after_commit():
        do("SubmitForReview", "quiet-2015")
    assert StoredEvent.objects.count() == before[1] + 1
    assert OutboxJob.objects.count() == before[0]
