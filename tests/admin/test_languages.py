"""The admin in the reader's language: Django's own texts through Django's catalogues, the agreement editor's
own texts through the registry's (agreements/locale)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language, words", [
    ("tr", ["Anlaşma taslağı oluştur", "Kaydet ve düzenlemeye devam et"]),
    ("az", ["Saziş layihəsi hazırla", "Yadda saxla və redaktəyə davam et"]),
    ("ru", ["Создать проект соглашения", "Сохранить и продолжить редактирование"]),
])
def test_the_agreement_editor_speaks_the_staffs_language(archivist_client, language, words):
    html = archivist_client.get("/admin/agreements/agreementrecord/add/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}"' in html and all(word in html for word in words)


def test_the_admins_own_words_come_from_djangos_catalogue(archivist_client):
    html = archivist_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "Oturumu kapat" in html and "Pacta kaydı" in html and "Anlaşmalar" in html  # "Log out", the site, the app
