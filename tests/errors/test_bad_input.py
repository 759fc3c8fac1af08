"""Input the database cannot hold or compare is a 4xx naming where it was, on every path: never a 500."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.fixture
def staff(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("url, field", [
    ("/parties/%00/", "path"),
    ("/search/?q=a&party=%00", "party"),
    ("/search/?q=a&kind=%00", "kind"),
    ("/?as_of=%00", "as_of"),
])
def test_a_nul_in_a_browser_address_is_a_400_page_naming_it(anonymous, url, field):
    response = anonymous.get(url)
    assert response.status_code == 400
    assert f"{field}: NUL characters are not allowed." in response.content.decode()
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.parametrize("url, field", [
    ("/api/v1/parties/%00/", "path"),
    ("/api/v1/agreements/?party=%00", "party"),
    ("/api/v1/search/?q=%00", "q"),
    ("/api/v1/findings/?code=%00", "code"),
    ("/api/v1/agreements/?k%00=1", "k\\0"),
])
def test_a_nul_in_an_api_address_is_a_json_400_naming_it(anonymous, url, field):
    response = anonymous.get(url)
    assert response.status_code == 400
    assert response.json()["errors"] == {field: ["NUL characters are not allowed."]}


def test_a_nul_in_a_header_is_a_400_naming_it(anonymous):
    response = anonymous.get("/api/v1/agreements/", HTTP_AUTHORIZATION="Token abc\x00def")
    assert response.status_code == 400 and "Authorization" in response.json()["errors"]


@pytest.mark.parametrize("url", [
    "/admin/agreements/agreementrecord/?publication__exact=%00",
    "/admin/agreements/finding/?severity__exact=%00",
    "/admin/agreements/agreementrecord/?q=%00",
])
def test_a_nul_in_an_admin_filter_is_a_400(staff, url):
    assert staff.get(url).status_code == 400


@pytest.mark.parametrize("url", [
    "/admin/sources/party/abc/history/",
    "/admin/sources/source/abc/history/",
    "/admin/sources/party/1/history/abc/",
    "/admin/sources/party/99999999999999999999/history/",
])
def test_an_admin_history_address_with_an_id_that_is_no_id_is_a_404(staff, url):
    assert staff.get(url).status_code == 404


def test_an_eid_longer_than_the_registry_holds_is_a_400_naming_it_not_a_500(archivist):
    from rest_framework.test import APIClient

    from agreements import services
    from agreements.domain.commands import parse_command

    slug = "long-eid-2020"
    services.handle(parse_command("DraftAgreement", {"slug": slug, "title": "Long eid", "kind": "pact"}), slug=slug)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(archivist)
    version = client.get(f"/api/v1/agreements/{slug}/").json()["version"]
    response = client.post(f"/api/v1/agreements/{slug}/commands/",
                           {"type": "AddClause", "eid": "art_" + "1" * 10_000, "text": "t", "text_kind": "official"},
                           format="json", HTTP_IF_MATCH=f'"{version}"')
    assert response.status_code == 400 and "eid" in response.json()["errors"]
    assert len(response.content) < 2_000


@pytest.mark.parametrize("url", ["/admin/sources/party/", "/admin/sources/source/"])
def test_an_admin_action_on_ids_that_are_no_ids_is_a_400(staff, url):
    response = staff.post(url, {"action": "delete_selected", "_selected_action": ["abc", "1"]})
    assert response.status_code == 400 and "_selected_action" in response.content.decode()
