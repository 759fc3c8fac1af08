"""`manage.py create_local_admin`: the demo's superuser, with a password printed once and renewed on each run."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def create(*args) -> str:
    out = io.StringIO()
    call_command("create_local_admin", *args, stdout=out)
    return re.search(r"password: (\S+)", out.getvalue()).group(1)


def test_the_printed_password_logs_the_superuser_into_the_admin():
    password = create()
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert Client().login(username="admin", password=password)


def test_running_it_again_gives_a_new_password_and_the_old_one_stops_working():
    first, second = create(), create()
    assert first != second
    assert not Client().login(username="admin", password=first)
    assert Client().login(username="admin", password=second)
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_a_username_the_user_table_cannot_hold_is_refused_naming_it():
    with pytest.raises(CommandError, match="USERNAME: NUL"):
        create("--username", "bad\x00name")
    assert not get_user_model().objects.exists()
