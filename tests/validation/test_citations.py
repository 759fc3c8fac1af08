"""Citation checks: the quote is in the source's stored snapshot, after normalising the typography."""

from pathlib import Path

import pytest

from agreements.validation.citations import CitationCheck, normalise, quote_in
from agreements.validation.findings import record
from agreements.findings.models import Finding
from sources.models import Source

from .helpers import do

pytestmark = pytest.mark.django_db
SLUG = "tr-az-strategic-partnership-2010"
TEXTS = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
ANALYSIS = "test-partnership-analysis"


@pytest.fixture(autouse=True)
def analysis():
    """A source whose snapshot is a text written for these tests (tests/fixtures/sources)."""
    return Source.objects.create(key=ANALYSIS, title="Partners in Practice", publisher="Pacta tests", kind="analysis",
                                 snapshot_text=(TEXTS / "partnership-analysis.txt").read_text(encoding="utf-8"))


def cite(after_commit, quote, source=ANALYSIS, supports="art_1"):
    with after_commit():
        return do("AttachCitation", SLUG, source=source, locator="para. 18", quote=quote, supports=supports)


def open_citation_findings():
    """Open findings on citations of the tests' own source (the seeds' quotes have no texts in the tests)."""
    return Finding.objects.filter(agreement__slug=SLUG, subject_type="citation", resolved_at__isnull=True,
                                  source__key=ANALYSIS)


def test_normalise_unifies_quote_marks_dashes_and_whitespace():
    assert normalise("Turkey\u2019s \u201cpolicy\u201d \u2014 then\u00a0 \n now") == "Turkey's \"policy\" - then now"
    assert normalise("co\u00adoperation\u200b") == "cooperation"


def test_an_ellipsis_in_a_quote_stands_for_an_omission_in_order():
    text = normalise("The parties agree to act together and to consult each other.")
    assert quote_in("The parties agree \u2026 consult each other", text)
    assert quote_in("The parties agree ... consult", text)
    assert not quote_in("consult each other ... The parties agree", text)


def test_a_quote_the_snapshot_does_not_contain_is_an_error_shown_on_the_clause(after_commit):
    cite(after_commit, "they will never act together")
    finding = open_citation_findings().get()
    assert finding.code == "citation_quote_not_found" and finding.severity == "error"
    assert finding.subject == "art_1" and finding.source.key == ANALYSIS


def test_a_quote_typed_with_straight_quote_marks_matches_the_curly_ones_of_the_snapshot(after_commit):
    snapshot = Source.objects.get(key=ANALYSIS).snapshot_text
    assert "Turkey\u2019s changing policy" in snapshot
    cite(after_commit, "Analyzing Turkey's changing  policy")
    assert not open_citation_findings().exists()


def test_detaching_the_citation_resolves_its_finding(after_commit):
    result = cite(after_commit, "they will never act together")
    with after_commit():
        do("DetachCitation", SLUG, citation_id=result.events[0].payload["citation_id"])
    assert not open_citation_findings().exists()


def test_a_new_snapshot_of_the_source_rechecks_the_quotes_that_cite_it(after_commit):
    cite(after_commit, "they will never act together")
    source = Source.objects.get(key=ANALYSIS)
    source.snapshot_text += "\nIn this version they will never act together."
    with after_commit():
        source.save()
    assert not open_citation_findings().exists()


def test_quotes_of_a_source_without_a_snapshot_are_unverifiable_info_not_errors():
    """The UN Charter's official text has no stored snapshot: its seed quotes cannot be checked by machine."""
    record(*CitationCheck().check_agreements(["un-charter-1945"]))
    findings = Finding.objects.filter(agreement__slug="un-charter-1945", resolved_at__isnull=True)
    assert findings.exists()
    assert set(findings.values_list("code", "severity")) == {("citation_unverifiable", "info")}
    assert all("no stored snapshot" in f.message for f in findings)
