"""`python manage.py create_api_token USERNAME --role archivist|reviewer`: the user (created if needed) joins
the role's group and gets an API token, printed as the last line of the output."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from agreements.roles import ROLES, ensure_roles


def check_username(User, username: str) -> None:
    """A name the user table can hold, or a clear exit message (never a database error)."""
    field = User._meta.get_field(User.USERNAME_FIELD)
    problems = ["NUL characters are not allowed."] if "\x00" in username else []
    if not problems:
        try:
            field.run_validators(username)  # the name's characters and its maximum length
        except ValidationError as exc:
            problems = exc.messages
    if problems:
        raise CommandError(f"USERNAME: {' '.join(problems)}")


class Command(BaseCommand):
    help = "Create (or reuse) a user in the archivist or reviewer group and print its API token last."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument("--rotate", action="store_true", help="Replace an existing token with a new one.")

    def handle(self, username, role, rotate=False, **options):
        User = get_user_model()
        check_username(User, username)
        ensure_roles()
        user, created = User.objects.get_or_create(**{User.USERNAME_FIELD: username})
        if created:
            user.set_unusable_password()
            user.save()
            self.stdout.write(f"Created user {username}.")
        group = Group.objects.filter(name=role).first()
        if group is None:
            raise CommandError(f"No group '{role}'; run the migrations first.")
        user.groups.add(group)
        if rotate:
            Token.objects.filter(user=user).delete()
        token, made = Token.objects.get_or_create(user=user)
        self.stdout.write(f"{username} is in the {role} group; {'new' if made else 'existing'} API token:")
        self.stdout.write(token.key)
