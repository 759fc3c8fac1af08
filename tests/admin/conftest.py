"""Fixtures of the admin tests: staff users in the archivist and reviewer groups, logged-in clients."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

PASSWORD = "pw-admin-tests-1"


def make_staff(django_user_model, username, *groups):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def staff_archivist(db, django_user_model):
    return make_staff(django_user_model, "ada-archivist", "archivist")


@pytest.fixture
def staff_archivist2(db, django_user_model):
    return make_staff(django_user_model, "bo-archivist", "archivist")


@pytest.fixture
def staff_reviewer(db, django_user_model):
    return make_staff(django_user_model, "rex-reviewer", "reviewer")


@pytest.fixture
def archivist_client(client, staff_archivist):
    client.force_login(staff_archivist)
    return client


@pytest.fixture
def reviewer_client(db, staff_reviewer):
    from django.test import Client

    c = Client()
    c.force_login(staff_reviewer)
    return c


def change_url(record):
    return reverse("admin:agreements_agreementrecord_change", args=[record.pk])


def add_url():
    return reverse("admin:agreements_agreementrecord_add")


def history_url(record):
    return reverse("admin:agreements_agreementrecord_history", args=[record.pk])
