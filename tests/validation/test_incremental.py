"""Incremental validation: a change re-checks the changed clauses and the clauses referring to them only.

These tests commit for real (each command its own transaction, as in production), so that every write
gets its own outbox job, run eagerly in-process after its commit (the embedded default).
"""

import pytest

from agreements import services
from agreements.domain.commands import parse_command
from agreements.projections.models import ClauseVersion
from agreements.findings.models import ValidationRun
from agreements.validation.tasks import VALIDATE_CHANGES
from registry.outbox.models import OutboxJob

from .helpers import do, draft

pytestmark = pytest.mark.django_db(transaction=True)
TARGET, A, B = "inc-target-2000", "inc-a-2010", "inc-b-2012"


def add_many(slug, commands):
    services.handle_many([parse_command(type_, data) for type_, data in commands], slug=slug)


@pytest.fixture
def corpus():
    """Three agreements of 100 clauses each; inc-a's art_N refers to the target's art_N, and inc-b's
    art_5 and art_6 refer to the target's art_7, its art_8 to the target as a whole."""
    for slug, year in ((TARGET, "2000"), (A, "2010"), (B, "2012")):
        draft(slug, work_date=f"{year}-01-01")
        add_many(slug, [("AddClause", {"eid": f"art_{n}", "text": f"Article {n} of {slug}.", "text_kind": "summary",
                                       "effective": f"{year}-01-01"}) for n in range(1, 101)])
    add_many(A, [("AddReference", {"eid": f"art_{n}", "target": TARGET, "target_eid": f"art_{n}"})
                 for n in range(1, 101)])
    add_many(B, [("AddReference", {"eid": "art_5", "target": TARGET, "target_eid": "art_7"}),
                 ("AddReference", {"eid": "art_6", "target": TARGET, "target_eid": "art_7"}),
                 ("AddReference", {"eid": "art_8", "target": TARGET})])
    clauses = ClauseVersion.objects.filter(agreement__slug__in=[TARGET, A, B]).values("clause_id").distinct()
    assert clauses.count() == 300


def checked_by_last_job():
    job = OutboxJob.objects.filter(task=VALIDATE_CHANGES).latest("created_at")
    return set(ValidationRun.objects.get(job_id=job.job_id).summary["checked_clauses"])


def test_amending_one_clause_checks_it_and_exactly_the_clauses_that_refer_to_it(corpus):
    do("AmendClause", TARGET, eid="art_7", text="Article 7, amended.", effective="2005-01-01")
    assert checked_by_last_job() == {f"{TARGET}#art_7", f"{A}#art_7", f"{B}#art_5", f"{B}#art_6"}


def test_amending_a_clause_nobody_refers_to_checks_that_clause_alone(corpus):
    do("AmendClause", A, eid="art_50", text="Article 50, amended.", effective="2011-01-01")
    assert checked_by_last_job() == {f"{A}#art_50"}


def test_renumbering_a_clause_rechecks_the_clauses_that_used_its_old_eid(corpus):
    do("RenumberClause", TARGET, eid="art_9", new_eid="art_9a", effective="2005-01-01")
    assert checked_by_last_job() == {f"{TARGET}#art_9a", f"{A}#art_9"}


def test_a_new_date_for_an_agreement_rechecks_every_clause_that_refers_to_it(corpus):
    do("RecordLifecycle", TARGET, action="signature", date="2000-01-01")
    checked = checked_by_last_job()
    assert checked == {f"{A}#art_{n}" for n in range(1, 101)} | {f"{B}#art_5", f"{B}#art_6", f"{B}#art_8"}


def test_the_commands_of_one_transaction_share_one_job():
    draft("batch-2015")
    before = OutboxJob.objects.count()
    add_many("batch-2015", [("AddClause", {"eid": f"art_{n}", "text": "T.", "text_kind": "summary"})
                            for n in (1, 2, 3)])
    assert OutboxJob.objects.count() == before + 1
    assert len(checked_by_last_job()) == 3
