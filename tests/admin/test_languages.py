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


ADMIN_LANGUAGES = ["tr", "az", "ru"]
STRATEGIC = "tr-az-strategic-partnership-2010"


def quoted(text: str) -> bool:
    """Whether `text` is what the admin quotes of the agreement (its English title and summary, the headings
    and texts of its articles, such as "Preamble"): data, in the language it was written in, not interface."""
    from agreements.projections.models import AgreementRecord, Citation, ClauseVersion
    from sources.models import Source

    record = AgreementRecord.objects.get(slug=STRATEGIC)
    clauses = ClauseVersion.objects.filter(agreement=record).values_list("heading", "text")
    quotes = Citation.objects.filter(agreement=record).values_list("quote", flat=True)
    return text in {heading for heading, _ in clauses} or any(
        text in data for data in [record.title, record.summary, *(clause for _, clause in clauses), *quotes,
                                  *Source.objects.values_list("title", flat=True)])


@pytest.fixture(scope="module")
def admin_catalogues():
    from tests.browser.test_interface_languages import english_messages

    return {language: english_messages(language) for language in ADMIN_LANGUAGES}


def admin_pages():
    from agreements.projections.models import AgreementRecord
    from sources.models import Party, Source

    record = AgreementRecord.objects.get(slug=STRATEGIC)
    source = Source.objects.get(key="usc-dornsife-2023")
    turkey = Party.objects.get(code="TUR")  # with its names over time and its predecessor
    return ["/admin/", "/admin/agreements/agreementrecord/add/", f"/admin/agreements/agreementrecord/{record.pk}/change/",
            f"/admin/agreements/agreementrecord/{record.pk}/history/", "/admin/agreements/finding/",
            "/admin/sources/source/", f"/admin/sources/source/{source.pk}/change/", "/admin/sources/source/add/",
            "/admin/sources/party/", f"/admin/sources/party/{turkey.pk}/change/", "/admin/sources/party/add/"]


@pytest.mark.parametrize("language", ADMIN_LANGUAGES)
def test_every_admin_page_an_archivist_opens_reads_fully_in_each_language(admin_catalogues, reviewer_client,
                                                                          language):
    """The editor's forms, the history of an agreement (its events told for staff), the findings, and the
    reference data (the sources and the parties, their lists, forms and choices): no message of the registry's
    catalogue is left in English."""
    from tests.browser.test_interface_languages import untranslated_on

    for path in admin_pages():
        response = reviewer_client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, path
        untranslated = {(msgid, text) for msgid, text in untranslated_on(response.content.decode(),
                                                                         admin_catalogues[language])
                        if not quoted(text)}
        assert untranslated == set(), f"{path} in {language} shows English messages: {sorted(untranslated)}"


@pytest.mark.parametrize("language, words", [("tr", ["Kaynaklar", "Bulgular"]), ("az", ["Mənbələr", "Aşkarlamalar"]),
                                             ("ru", ["Источники", "Замечания"])])
def test_the_sources_and_findings_are_named_in_the_staffs_language(reviewer_client, language, words):
    html = reviewer_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert all(word in html for word in words)
