"""`python manage.py create_local_admin [--username admin] [--url URL]`: a superuser for a local try-out
(`make demo` runs it), with a freshly generated password printed once; run again, it gives the same user a new
password, so a forgotten one costs nothing. A production registry makes its accounts with `createsuperuser`
and `create_api_token` instead."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from .create_api_token import check_username


class Command(BaseCommand):
    help = "Create (or reset) a local superuser with a freshly generated password, and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, username, url, **options):
        User = get_user_model()
        check_username(User, username)
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            user = User.objects.filter(**{User.USERNAME_FIELD: username}).first() or User(
                **{User.USERNAME_FIELD: username})
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
        self.stdout.write(f"Admin: {url}  user: {username}  password: {password}")
