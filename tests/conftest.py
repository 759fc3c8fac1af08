"""Shared fixtures. Tests run against whatever DATABASE_URL names (PostgreSQL in CI) or SQLite."""

import os
import tempfile
from pathlib import Path

import pytest
from django.db import connection
from django.test import TransactionTestCase

os.environ.setdefault("PACTA_TESTING", "1")
# The transparency log's signing key for this test session: generated on first use, outside the repository
# (in the environment for the instances tests start, in the settings for this one, already configured).
os.environ.setdefault("PACTA_LOG_DEFAULT_KEY_FILE", str(Path(tempfile.mkdtemp(prefix="pacta-test-")) / "log.key"))


def pytest_configure(config):
    from django.conf import settings

    settings.PACTA_LOG_DEFAULT_KEY_FILE = Path(os.environ["PACTA_LOG_DEFAULT_KEY_FILE"])
    settings.PACTA_LOG_GENERATE_KEY = True


def _flush_around_triggers(original):
    """Django flushes with DELETE (SQLite) or TRUNCATE (PostgreSQL), which the append-only triggers refuse:
    lift them for the flush only, and put them back at once."""

    def teardown(self):
        from registry.eventstore import triggers

        triggers.remove(connection)
        try:
            original(self)
        finally:
            triggers.install(connection)
        # The flush also took the seeds and the roles: put them back for the tests that follow.
        load_reference_state()

    return teardown


FIXTURE_TEXTS = Path(__file__).resolve().parent / "fixtures" / "sources"


def load_reference_state():
    from django.conf import settings
    from django.core.management import call_command

    from agreements.roles import ensure_roles

    # Tests bring their own source texts (tests/fixtures/sources), never a folder beside the checkout.
    settings.PACTA_SOURCE_TEXTS = FIXTURE_TEXTS

    ensure_roles()
    with open(os.devnull, "w") as devnull:
        call_command("load_seeds", stdout=devnull, stderr=devnull)


TransactionTestCase._fixture_teardown = _flush_around_triggers(TransactionTestCase._fixture_teardown)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With PACTA_NO_SKIPS=1 (CI on PostgreSQL + Redis) a skipped test is a failed test."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("PACTA_NO_SKIPS") == "1" and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped where nothing may be skipped: {report.longrepr}"


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are skipped on SQLite, and must never be skipped when DATABASE_URL is PostgreSQL."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seeds once per test session; every test then sees them (rolled back per test)."""
    with django_db_blocker.unblock():
        load_reference_state()
    yield


@pytest.fixture
def eager():
    """Celery runs tasks in-process, as without a broker (the embedded default), also where the tests have one."""
    from registry.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (cached sitemaps and summaries never leak between tests)."""
    from django.core.cache import cache

    from registry import revalidation

    cache.clear()
    revalidation.forget()  # the validators and read generation each process keeps beside the cache
    yield


@pytest.fixture
def archivist(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("archie", password="pw-archivist-1")
    user.groups.add(*Group.objects.filter(name="archivist"))
    return user


@pytest.fixture
def remote():
    """A remote registry for `manage.py follow`: tests/remote.py's server, its routes the test's."""
    from tests.remote import FakeRemote

    server = FakeRemote()
    yield server
    server.close()


@pytest.fixture
def elsewhere():
    """A second remote, on another origin (where a redirect or a `next` link must not lead)."""
    from tests.remote import FakeRemote

    server = FakeRemote()
    yield server
    server.close()
