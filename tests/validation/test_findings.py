"""Findings are recorded idempotently by key and resolved when their problem is gone."""

import pytest

from agreements.validation.findings import Problem, record
from agreements.findings.models import Finding

pytestmark = pytest.mark.django_db


def mine():
    return Finding.objects.filter(code="test_problem")


def problem(identity="one", scope="test:a", message="Something is wrong.", severity="error"):
    return Problem("test_problem", severity, scope, "agreement", identity, message)


def test_recording_the_same_problem_twice_keeps_one_row_and_updates_it():
    first = record({"test:a"}, [problem()])
    second = record({"test:a"}, [problem(message="Still wrong.", severity="warning")])
    finding = mine().get()
    assert (first.opened, second.opened, second.seen) == (1, 0, 1)
    assert finding.message == "Still wrong." and finding.severity == "warning"
    assert finding.last_seen > finding.first_seen and finding.resolved_at is None


def test_a_problem_no_longer_found_in_its_scope_is_resolved():
    record({"test:a"}, [problem()])
    outcome = record({"test:a"}, [])
    assert outcome.resolved == 1
    assert mine().get().resolved_at is not None


def test_a_problem_that_comes_back_reopens_its_row_and_keeps_its_first_seen():
    record({"test:a"}, [problem()])
    first_seen = mine().get().first_seen
    record({"test:a"}, [])
    outcome = record({"test:a"}, [problem()])
    finding = mine().get()
    assert outcome.opened == 1 and finding.resolved_at is None and finding.first_seen == first_seen


def test_a_run_resolves_only_within_the_scopes_it_covered():
    record({"test:a", "test:b"}, [problem("one", "test:a"), problem("two", "test:b")])
    record({"test:a"}, [])
    assert set(mine().filter(resolved_at__isnull=True).values_list("scope", flat=True)) == {"test:b"}


def test_a_very_long_subject_still_makes_one_stable_key():
    long = problem(identity="x" * 2000)
    record({"test:a"}, [long])
    record({"test:a"}, [long])
    assert mine().count() == 1 and len(long.key) <= 500
