"""Every admin page of every model answers an archivist and a reviewer with 200 or the right 403."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementRecord, Finding
from sources.models import Party, Source

from .conftest import make_staff

SLUG = "tr-az-strategic-partnership-2010"


@pytest.fixture
def finding(db):
    record = AgreementRecord.objects.get(slug=SLUG)
    now = timezone.now()
    return Finding.objects.create(
        key="test:reference_target:art_2", code="reference_target_missing", severity="warning",
        subject_type="reference", agreement=record, subject="art_2", message="A test finding.",
        first_seen=now, last_seen=now,
    )


def objects(finding):
    return {
        "agreements.agreementrecord": AgreementRecord.objects.get(slug=SLUG),
        "sources.party": Party.objects.get(code="TUR"),
        "sources.source": Source.objects.order_by("pk").first(),
        "agreements.finding": finding,
    }


# What each role may do on each model's pages: changelist, add, change, history, delete.
# Agreements are never deleted (events are immutable); findings are written by the checks, read here.
EXPECTED = {
    "agreements.agreementrecord": {"changelist": 200, "add": 200, "change": 200, "history": 200, "delete": 403},
    "sources.party": {"changelist": 200, "add": 200, "change": 200, "history": 200, "delete": 403},
    "sources.source": {"changelist": 200, "add": 200, "change": 200, "history": 200, "delete": 403},
    "agreements.finding": {"changelist": 200, "add": 403, "change": 200, "history": 200, "delete": 403},
}
PAGES = [(model, page) for model in EXPECTED for page in EXPECTED[model]]


def page_url(model, page, obj):
    app_label, model_name = model.split(".")
    name = f"admin:{app_label}_{model_name}_{page}"
    return reverse(name) if page in ("changelist", "add") else reverse(name, args=[obj.pk])


@pytest.mark.parametrize("role", ["archivist", "reviewer"])
@pytest.mark.parametrize("model,page", PAGES)
def test_admin_page_answers_role_with_200_or_403(client, django_user_model, finding, role, model, page):
    client.force_login(make_staff(django_user_model, f"user-{role}", role))
    response = client.get(page_url(model, page, objects(finding)[model]))
    assert response.status_code == EXPECTED[model][page]


@pytest.mark.parametrize("role", ["archivist", "reviewer"])
def test_simple_history_pages_of_a_party_answer(client, django_user_model, role):
    party = Party.objects.get(code="TUR")
    historical = party.history.order_by("history_id").first()
    client.force_login(make_staff(django_user_model, f"user-{role}", role))
    url = reverse("admin:sources_party_simple_history", args=[party.pk, historical.history_id])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["archivist", "reviewer"])
def test_user_and_group_admin_is_closed_to_role(client, django_user_model, role):
    client.force_login(make_staff(django_user_model, f"user-{role}", role))
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_staff_without_a_group_sees_no_model_and_may_open_none(client, django_user_model, finding):
    client.force_login(make_staff(django_user_model, "plain-staff"))
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert not index.context["app_list"]
    for model, page in PAGES:
        assert client.get(page_url(model, page, objects(finding)[model])).status_code == 403, (model, page)


def test_archivist_index_lists_only_what_the_role_may_use(client, django_user_model):
    client.force_login(make_staff(django_user_model, "user-archivist", "archivist"))
    app_list = client.get(reverse("admin:index")).context["app_list"]
    models = {m["object_name"] for app in app_list for m in app["models"]}
    assert models == {"AgreementRecord", "Party", "Source", "Finding"}


def test_roles_are_groups_created_by_migration(db):
    assert set(Group.objects.filter(name__in=["archivist", "reviewer"]).values_list("name", flat=True)) == {
        "archivist", "reviewer"}
    reviewer = Group.objects.get(name="reviewer")
    archivist = Group.objects.get(name="archivist")
    assert reviewer.permissions.filter(codename="publish_agreement").exists()
    assert not archivist.permissions.filter(codename="publish_agreement").exists()
    assert archivist.permissions.filter(codename="view_finding").exists()
