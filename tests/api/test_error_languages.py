"""The API's error messages follow Accept-Language; the fields, codes and structure do not."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language, detail", [("en", "Invalid input."), ("tr", "Geçersiz girdi."),
                                              ("az", "Yanlış məlumat daxil edilib."),
                                              ("ru", "Неверные входные данные.")])
def test_a_bad_request_says_so_in_the_callers_language(language, detail):
    response = APIClient().get("/api/v1/agreements/", {"in_force_on": "not a date"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == detail and "in_force_on" in body["errors"]
