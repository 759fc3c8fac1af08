"""Source URL checks, against a local HTTP server: bounded by timeouts and redirects, opt-in."""

import pytest

from agreements.validation import links
from agreements.validation.findings import record
from agreements.findings.models import Finding
from agreements.validation.tasks import CHECK_SOURCE
from registry.outbox.models import OutboxJob
from sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def quick(settings):
    settings.PACTA_URL_CONNECT_TIMEOUT = 2
    settings.PACTA_URL_READ_TIMEOUT = 0.5
    settings.PACTA_URL_MAX_REDIRECTS = 3


def source(key, url):
    return Source.objects.create(key=key, title=key, publisher="Test", kind="news", url=url)


def test_a_page_that_answers_200_is_fine(http_server, quick):
    result = links.check_url(f"{http_server}/ok")
    assert result.ok and result.status == 200


def test_a_redirect_to_a_page_that_answers_is_followed(http_server, quick):
    result = links.check_url(f"{http_server}/moved")
    assert result.ok and result.redirects == 1 and result.final_url.endswith("/ok")


def test_a_404_is_not_fine(http_server, quick):
    result = links.check_url(f"{http_server}/missing")
    assert not result.ok and result.status == 404


def test_a_server_that_never_answers_times_out(http_server, quick):
    result = links.check_url(f"{http_server}/hang")
    assert not result.ok and result.status is None and result.error == "timed out"


def test_redirects_are_followed_a_bounded_number_of_times(http_server, quick):
    result = links.check_url(f"{http_server}/loop")
    assert not result.ok and result.redirects == 3 and "redirects" in result.error


def test_source_url_findings_are_recorded_and_resolved_when_the_url_is_fixed(http_server, quick):
    ok, missing, hanging = (source("s-ok", f"{http_server}/ok"), source("s-missing", f"{http_server}/missing"),
                            source("s-hang", f"{http_server}/hang"))
    record(*links.check_sources([ok.pk, missing.pk, hanging.pk]))
    found = {f.source.key: f for f in Finding.objects.filter(resolved_at__isnull=True, subject_type="source")}
    assert set(found) == {"s-missing", "s-hang"}
    assert (found["s-missing"].code, found["s-hang"].code) == ("source_url_status", "source_url_unreachable")
    assert {f.severity for f in found.values()} == {"warning"}
    missing.url = f"{http_server}/ok"
    missing.save()
    record(*links.check_sources([missing.pk]))
    assert not Finding.objects.filter(source=missing, resolved_at__isnull=True).exists()


def test_url_checks_are_off_unless_asked_for_so_the_seed_urls_are_never_fetched(settings):
    from agreements.validation import sweep

    assert settings.PACTA_CHECK_URLS is False
    report = sweep.run()
    assert report.sources == 0
    assert not Finding.objects.filter(code__startswith="source_url").exists()


def test_saving_a_source_never_checks_its_url_inside_the_request_in_the_embedded_default(
    http_server, settings, after_commit
):
    settings.PACTA_CHECK_URLS = True
    with after_commit():
        source("s-saved", f"{http_server}/hang")
    job = OutboxJob.objects.filter(task=CHECK_SOURCE).latest("created_at")
    assert job.kwargs["check_url"] is False and job.sent_at is not None
