"""No lost edits: two archivists edit the same agreement; the second save is refused with who, when and what,
their input intact, and nothing of the first is overwritten."""

from django.test import Client

from agreements.queries.clauses import clause_at
from agreements.models import AgreementRecord
from registry.eventstore.models import StoredEvent

from .conftest import change_url
from .formdata import clause_prefix, form_data

SLUG = "tr-az-strategic-partnership-2010"


def event_count():
    return StoredEvent.objects.filter(stream_id=f"agreement:{SLUG}").count()


def two_archivists(staff_archivist, staff_archivist2):
    first, second = Client(), Client()
    first.force_login(staff_archivist)
    second.force_login(staff_archivist2)
    return first, second


def test_second_save_on_a_stale_version_gets_the_conflict_message_with_its_input_intact(
    staff_archivist, staff_archivist2
):
    ada, bo = two_archivists(staff_archivist, staff_archivist2)
    record = AgreementRecord.objects.get(slug=SLUG)
    before = event_count()
    ada_form = form_data(ada.get(change_url(record)))
    bo_form = form_data(bo.get(change_url(record)))  # both opened the page at the same version

    a2 = clause_prefix(ada_form, "art_2")
    ada_form.update({f"{a2}-text": "Ada's amended Article 2.", f"{a2}-effective": "2015-01-01", "_continue": "1"})
    assert ada.post(change_url(record), ada_form).status_code == 302

    b9 = clause_prefix(bo_form, "art_9")
    bo_form.update({f"{b9}-text": "Bo's amended Article 9.", f"{b9}-effective": "2016-01-01",
                    "details-place": "Baku", "_continue": "1"})
    response = bo.post(change_url(record), bo_form)

    assert response.status_code == 200
    html = response.content.decode()
    assert "someone else changed this agreement" in html
    assert "ada-archivist" in html and "Amended clause art_2 with effect from 2015-01-01" in html  # who and what
    conflict = html[html.index('id="conflict"'):html.index('id="agreementrecord_form"')]
    assert '<ins class="pacta-ins">Ada&#x27;s amended' in conflict  # the word diff of what they changed
    assert "Bo&#x27;s amended Article 9." in html  # Bo's own input is still in the form
    assert 'value="Baku"' in html
    assert event_count() == before + 1  # only the first edit was stored
    assert clause_at(SLUG, "art_2").current.text == "Ada's amended Article 2."
    assert clause_at(SLUG, "art_9").current.text != "Bo's amended Article 9."


def test_saving_again_after_the_conflict_applies_only_the_second_archivists_changes(
    staff_archivist, staff_archivist2
):
    ada, bo = two_archivists(staff_archivist, staff_archivist2)
    record = AgreementRecord.objects.get(slug=SLUG)
    ada_form = form_data(ada.get(change_url(record)))
    bo_form = form_data(bo.get(change_url(record)))
    a2 = clause_prefix(ada_form, "art_2")
    ada_form.update({f"{a2}-text": "Ada's amended Article 2.", f"{a2}-effective": "2015-01-01", "_continue": "1"})
    ada.post(change_url(record), ada_form)
    b9 = clause_prefix(bo_form, "art_9")
    bo_form.update({f"{b9}-text": "Bo's amended Article 9.", f"{b9}-effective": "2016-01-01", "_continue": "1"})
    conflict_page = bo.post(change_url(record), bo_form)

    again = form_data(conflict_page)  # Bo saves the re-rendered form as it stands
    again["_continue"] = "1"
    assert bo.post(change_url(record), again).status_code == 302
    # Bo's form still showed the old Article 2; saving it did not undo Ada's amendment.
    assert clause_at(SLUG, "art_2").current.text == "Ada's amended Article 2."
    assert clause_at(SLUG, "art_9").current.text == "Bo's amended Article 9."
    actors = list(StoredEvent.objects.filter(stream_id=f"agreement:{SLUG}").order_by("-stream_version")
                  .values_list("actor", "type")[:2])
    assert actors == [("bo-archivist", "ClauseAmended"), ("ada-archivist", "ClauseAmended")]


def test_publishing_a_version_that_changed_meanwhile_is_refused(staff_archivist, staff_reviewer):
    from agreements import services
    from agreements.domain.commands import Unpublish

    services.handle(Unpublish(note="to draft"), slug=SLUG)
    record = AgreementRecord.objects.get(slug=SLUG)
    reviewer = Client()
    reviewer.force_login(staff_reviewer)
    shown_version = record.version
    archivist = Client()
    archivist.force_login(staff_archivist)
    data = form_data(archivist.get(change_url(record)))
    data.update({"details-place": "Ankara", "_continue": "1"})
    archivist.post(change_url(record), data)
    url = change_url(record).replace("/change/", "/publication/")
    response = reviewer.post(url, {"transition": "publish", "version": shown_version}, follow=True)
    assert "changed after you opened it" in response.content.decode()
    assert AgreementRecord.objects.get(pk=record.pk).publication == "draft"
