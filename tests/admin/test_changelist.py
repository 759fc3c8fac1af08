"""The agreement list: search (title, slug, clause text), filters, findings."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementRecord, Finding

from .conftest import change_url

CHANGELIST = reverse("admin:agreements_agreementrecord_changelist")
FINDINGS = reverse("admin:agreements_finding_changelist")
SLUG = "tr-az-strategic-partnership-2010"


def slugs(response):
    return {r.slug for r in response.context["cl"].result_list}


@pytest.fixture
def finding():
    """The only open finding: whether the seeds' own (info-level) findings exist depends on whether their
    validation ran eagerly (SQLite default) or went to a broker (CI on Redis), so they are resolved here."""
    now = timezone.now()
    Finding.objects.filter(resolved_at__isnull=True).update(resolved_at=now)
    return Finding.objects.create(
        key="t:anachronism:art_2", code="anachronistic_reference", severity="warning", subject_type="reference",
        agreement=AgreementRecord.objects.get(slug=SLUG), subject="art_2", message="Reference predates its target.",
        first_seen=now, last_seen=now,
    )


def test_search_finds_agreements_by_clause_text(archivist_client):
    assert SLUG in slugs(archivist_client.get(CHANGELIST, {"q": "self-defence right"}))


def test_search_finds_by_slug_and_title(archivist_client):
    assert slugs(archivist_client.get(CHANGELIST, {"q": "un-charter-1945"})) == {"un-charter-1945"}
    assert "un-charter-1945" in slugs(archivist_client.get(CHANGELIST, {"q": "Charter of the United Nations"}))


def test_filter_by_party(archivist_client):
    found = slugs(archivist_client.get(CHANGELIST, {"party": "TUR"}))
    assert SLUG in found and "un-charter-1945" not in found


def test_filter_by_kind_and_publication(archivist_client):
    assert slugs(archivist_client.get(CHANGELIST, {"kind": "charter"})) == {"un-charter-1945"}
    assert not slugs(archivist_client.get(CHANGELIST, {"publication": "draft"}))


def test_filter_by_status_today(archivist_client):
    signed = slugs(archivist_client.get(CHANGELIST, {"status": "signed"}))
    in_force = slugs(archivist_client.get(CHANGELIST, {"status": "in_force"}))
    # The 2010 agreement is in force (both ratified, by its rule); the 2017 one signed (one ratification recorded).
    assert SLUG in in_force and SLUG not in signed
    assert "tr-az-defence-industry-2017" in signed and "tr-az-defence-industry-2017" not in in_force
    assert "un-charter-1945" in in_force


def test_has_open_findings_filter(archivist_client, finding):
    assert slugs(archivist_client.get(CHANGELIST, {"has_open_findings": "yes"})) == {SLUG}
    assert SLUG not in slugs(archivist_client.get(CHANGELIST, {"has_open_findings": "no"}))
    finding.resolved_at = timezone.now()
    finding.save()
    assert not slugs(archivist_client.get(CHANGELIST, {"has_open_findings": "yes"}))


def test_open_findings_show_on_the_change_page(archivist_client, finding):
    html = archivist_client.get(change_url(finding.agreement)).content.decode()
    assert "Open findings (1)" in html and "Reference predates its target." in html


def test_findings_changelist_lists_and_filters_open_findings(reviewer_client, finding):
    response = reviewer_client.get(FINDINGS, {"open": "yes"})
    assert [f.pk for f in response.context["cl"].result_list] == [finding.pk]
    resolved = reviewer_client.get(FINDINGS, {"open": "no"}).context["cl"].result_list
    assert finding.pk not in [f.pk for f in resolved] and all(f.resolved_at for f in resolved)


def test_open_findings_count_links_to_that_agreements_open_findings(archivist_client, finding):
    response = archivist_client.get(CHANGELIST)
    record = next(r for r in response.context["cl"].result_list if r.slug == SLUG)
    assert record.open_findings == 1
    link = FINDINGS + f"?agreement__id__exact={record.pk}&open=yes"
    assert link.replace("&", "&amp;") in response.content.decode()
    listed = archivist_client.get(link)
    assert listed.status_code == 200
    assert [f.pk for f in listed.context["cl"].result_list] == [finding.pk]


def test_status_column_and_filter_know_a_superseded_agreement(archivist_client, staff_archivist):
    from agreements import services
    from agreements.domain.commands import AddRelation, DraftAgreement

    services.handle_many([DraftAgreement(slug="tr-az-successor-2030", title="Successor", kind="agreement"),
                          AddRelation(relation="supersedes", target=SLUG)], slug="tr-az-successor-2030",
                         user=staff_archivist)
    response = archivist_client.get(CHANGELIST, {"status": "superseded"})
    assert slugs(response) == {SLUG}
    admin_ = response.context["cl"].model_admin
    assert admin_.status(response.context["cl"].result_list[0]) == "Superseded"
