"""A login whose `next` is unsafe (another host, another scheme) lands on the admin's index, not on a 404."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"])
def test_a_login_with_an_unsafe_next_lands_on_the_admin_index(client, django_user_model, unsafe):
    django_user_model.objects.create_user("keeper", password="a long enough password", is_staff=True)
    response = client.post("/admin/login/", {"username": "keeper", "password": "a long enough password",
                                             "next": unsafe})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_a_login_with_a_safe_next_lands_there(client, django_user_model):
    django_user_model.objects.create_user("keeper", password="a long enough password", is_staff=True)
    response = client.post("/admin/login/", {"username": "keeper", "password": "a long enough password",
                                             "next": "/admin/agreements/"})
    assert response["Location"] == "/admin/agreements/"
