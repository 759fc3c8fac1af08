"""Choosing, not typing: parties and agreements by autocomplete, vocabulary shown by its labels, readable
finding subjects, and saves listed in the admin's "Recent actions"."""


from django.contrib.admin.models import LogEntry
from django.urls import reverse

from agreements.models import AgreementRecord

from .conftest import add_url, change_url

PARTIES = reverse("admin:pacta_autocomplete_parties")
AGREEMENTS = reverse("admin:pacta_autocomplete_agreements")


def test_party_codes_are_found_by_part_of_a_name(archivist_client):
    results = archivist_client.get(PARTIES, {"term": "azerb"}).json()["results"]
    assert {"AZE", "ADR"} <= {r["id"] for r in results}
    assert all(" — " in r["text"] for r in results)


def test_target_agreements_are_found_by_part_of_the_title(archivist_client):
    results = archivist_client.get(AGREEMENTS, {"term": "Strategic Partnership"}).json()["results"]
    assert [r["id"] for r in results] == ["tr-az-strategic-partnership-2010"]


def test_autocomplete_is_for_staff_only(client):
    assert client.get(PARTIES, {"term": "TUR"}).status_code in (302, 403)


def test_party_and_target_fields_use_the_autocomplete_widget(archivist_client):
    html = archivist_client.get(add_url()).content.decode()
    for name in ("parties-0-party", "lifecycle-0-party", "relations-0-target", "references-0-target"):
        start = html.index(f'name="{name}"')
        tag = html[html.rindex("<select", 0, start):html.index(">", start)]
        assert "admin-autocomplete" in tag, name
    assert f'data-ajax--url="{PARTIES}"' in html and f'data-ajax--url="{AGREEMENTS}"' in html


def test_a_chosen_party_is_saved_by_its_code(archivist_client):
    from .formdata import form_data

    record = AgreementRecord.objects.get(slug="tr-az-military-education-1992")
    data = form_data(archivist_client.get(change_url(record)))
    data["parties-0-party"] = "UN"
    response = archivist_client.post(change_url(record), {**data, "_continue": "1"})
    assert response.status_code == 302
    assert record.party_rows.filter(party_code="UN", known_to__isnull=True).exists()


def test_vocabulary_values_show_their_labels(archivist_client):
    html = archivist_client.get(add_url()).content.decode()
    assert ">Organisation founding</option>" in html and ">Entry into force</option>" in html


def test_the_changelist_shows_publication_and_kind_by_label(archivist_client):
    response = archivist_client.get(reverse("admin:agreements_agreementrecord_changelist"))
    html = response.content.decode()
    assert ">Published<" in html and ">In review<" in html and ">Organisation founding<" in html
    assert ">in_review<" not in html and ">organisation_founding<" not in html and ">published<" not in html


def test_saves_appear_in_recent_actions(archivist_client, staff_archivist):
    from .formdata import form_data

    record = AgreementRecord.objects.get(slug="tr-az-military-education-1992")
    data = form_data(archivist_client.get(change_url(record)))
    data["details-place"] = "Ankara"
    archivist_client.post(change_url(record), {**data, "_continue": "1"})
    entry = LogEntry.objects.get(object_id=str(record.pk), user=staff_archivist)
    assert "place" in entry.get_change_message()
    assert record.title in archivist_client.get(reverse("admin:index")).content.decode()


def _finding(subject, subject_type="citation"):
    from django.utils import timezone

    from agreements.findings.models import Finding

    now = timezone.now()
    return Finding.objects.create(
        key=f"t:{subject}", code="quote_not_found", severity="warning", subject_type=subject_type, subject=subject,
        agreement=AgreementRecord.objects.get(slug="tr-az-strategic-partnership-2010"), message="A test finding.",
        first_seen=now, last_seen=now)


def test_finding_subjects_read_as_words(archivist_client):
    from agreements.models import Citation

    citation = Citation.objects.filter(agreement__slug="tr-az-strategic-partnership-2010", supports="art_2").first()
    _finding(f"citation:{citation.citation_id}")
    _finding("art_2__para_1", "clause")
    _finding("lifecycle:signature:TUR", "lifecycle")
    html = archivist_client.get(reverse("admin:agreements_finding_changelist")).content.decode()
    assert f"citation:{citation.citation_id}" not in html
    assert "Citation of usc-dornsife-2023, para. 18 (supports Article 2)" in html
    assert "Article 2, paragraph 1" in html and "Signature (TUR)" in html
