"""What the admin says after a POST (django.contrib.messages) is in the staff's language: publishing, importing,
pasting a text, saving the editor, recording participation. The operations app's messages: tests/ops."""

import pytest
from django.urls import reverse

from agreements.models import AgreementRecord

from .conftest import change_url
from .formdata import clause_prefix, form_data
from .test_importing import IMPORT_URL, TEXT, draft as paste_draft, paste_url, upload
from .test_participation import SLUG as GRID, agreement as grid_agreement  # noqa: F401 (the grid's agreement)
from .test_publishing import CHANGELIST, draft, publication_url  # noqa: F401 (draft: a fixture)

pytestmark = pytest.mark.django_db


def said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("language, message", [("tr", "1 anlaşma incelemeye gönderildi."),
                                               ("az", "1 saziş nəzərdən keçirilməyə göndərildi."),
                                               ("ru", "1 соглашение отправлено на проверку."),
                                               ("en", "1 agreement submitted for review.")])
def test_a_changelist_action_counts_the_agreements_it_moved_in_the_staffs_language(archivist_client, draft,
                                                                                   language, message):
    response = archivist_client.post(CHANGELIST, {"action": "submit_for_review", "_selected_action": [draft.pk]},
                                     follow=True, HTTP_ACCEPT_LANGUAGE=language)
    assert said(response) == [message]


@pytest.mark.parametrize("language, message", [("tr", "“A Draft” yayımlandı."), ("az", "“A Draft” dərc edildi."),
                                               ("ru", "«A Draft» опубликовано.")])
def test_a_publication_button_names_the_agreement_in_the_staffs_language(reviewer_client, draft, language, message):
    response = reviewer_client.post(publication_url(draft), {"transition": "publish", "version": draft.version,
                                                             "uncited_reason": "Test."},
                                    follow=True, HTTP_ACCEPT_LANGUAGE=language)
    assert message in said(response)


@pytest.mark.parametrize("language, words", [("tr", ["yeni bir anlaşma olarak içe aktarıldı.", "olay kaydedildi."]),
                                             ("az", ["yeni saziş kimi idxal edildi.", "hadisə qeydə alındı."]),
                                             ("ru", ["импортировано как новое соглашение", "Записано"])])
def test_an_upload_says_what_it_imported_in_the_staffs_language(archivist_client, language, words):
    response = archivist_client.post(IMPORT_URL, {"files": upload("act-2009.xml")}, follow=True,
                                     HTTP_ACCEPT_LANGUAGE=language)
    [message] = said(response)
    assert all(word in message for word in words) and "Imported" not in message


@pytest.mark.parametrize("language, message", [("tr", "3 madde resmî metin olarak eklendi."),
                                               ("az", "3 maddə rəsmi mətn kimi əlavə edildi."),
                                               ("ru", "Добавлены 3 статьи как официальный текст.")])
def test_a_pasted_text_counts_its_clauses_in_the_staffs_language(archivist_client, language, message):
    slug = paste_draft(archivist_client)
    response = archivist_client.post(paste_url(slug), {"text": TEXT, "language": "en", "effective": "2020-01-01",
                                                       "confirm": "1"}, follow=True, HTTP_ACCEPT_LANGUAGE=language)
    [said_now] = said(response)
    assert said_now.startswith(message + " ")


@pytest.mark.parametrize("language, words", [("tr", ["kaydedildi: 1 değişiklik kaydedildi", "akış sürümü"]),
                                             ("az", ["yadda saxlanıldı: 1 dəyişiklik qeydə alındı", "axın versiyası"]),
                                             ("ru", ["сохранено: записано 1 изменение", "версия потока"])])
def test_a_save_in_the_editor_is_counted_in_the_staffs_language(archivist_client, language, words):
    record = AgreementRecord.objects.get(slug="tr-az-strategic-partnership-2010")
    data = form_data(archivist_client.get(change_url(record)))
    prefix = clause_prefix(data, "art_9")
    data.update({f"{prefix}-text": "Defence cooperation covers exercises only.", f"{prefix}-effective": "2015-01-01",
                 "_continue": "1"})
    [message] = said(archivist_client.post(change_url(record), data, follow=True, HTTP_ACCEPT_LANGUAGE=language))
    assert all(word in message for word in words), message


@pytest.mark.parametrize("language, action, statement", [
    ("tr", "Katılım işlemi kaydedildi.", "Beyan kaydedildi."),
    ("az", "İştirak əməliyyatı qeydə alındı.", "Bəyanat qeydə alındı."),
    ("ru", "Действие участника записано.", "Заявление записано."),
])
def test_the_participation_grid_confirms_a_record_in_the_staffs_language(archivist_client, language, action,
                                                                         statement):
    grid = reverse("admin:agreements_agreementrecord_participation", args=[AgreementRecord.objects.get(slug=GRID).pk])
    version = AgreementRecord.objects.get(slug=GRID).version
    response = archivist_client.post(grid, {"form": "statement", "version": version, "statement-party": "AZE",
                                            "statement-kind": "declaration", "statement-text": "Declared.",
                                            "statement-date": "2010-12-21", "statement-language": "en"},
                                     follow=True, HTTP_ACCEPT_LANGUAGE=language)
    assert said(response) == [statement]
    response = archivist_client.post(grid, {"form": "action", "version": version + 1, "action-action": "signature",
                                            "action-party": "TUR", "action-date": "2010-08-16"},
                                     follow=True, HTTP_ACCEPT_LANGUAGE=language)
    assert said(response) == [action]
