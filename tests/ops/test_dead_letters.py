"""Jobs that fail for good land in the dead-letter table: shown in the admin, run again, counted, part of readiness.

A job killed by its time limit in a real worker: tests/validation/test_dead_letters_worker.py.
"""

import pytest
from celery import shared_task
from django.test import override_settings
from django.urls import reverse

from registry.ops import health, jobs
from registry.ops.models import DeadLetter
from registry.outbox import outbox
from registry.outbox.models import OutboxJob

pytestmark = pytest.mark.django_db
FAILING = "pacta.test.always_fails"
BEARER = {"HTTP_AUTHORIZATION": "Bearer t-dead-letters"}


@shared_task(name=FAILING, ignore_result=True)
def always_fails(source="x", job_id=None):
    raise ValueError(f"cannot check {source} with password=hunter2-secret")


@pytest.fixture(autouse=True)
def fresh_health(eager):
    """Jobs run in-process (the shared `eager`), and readiness is not read from an earlier test's cached answer."""
    health.forget()
    yield
    health.forget()


@pytest.fixture
def failed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = outbox.enqueue(FAILING, source="treaty-db")
    return job


def test_a_job_that_fails_lands_in_the_dead_letter_table_with_its_error(failed):
    letter = DeadLetter.objects.get(task_id=str(failed.job_id))
    assert letter.task == FAILING
    assert letter.kwargs["source"] == "treaty-db"
    assert letter.error.startswith("ValueError: cannot check treaty-db")
    assert "always_fails" in letter.traceback
    assert letter.failures == 1 and letter.requeued_at is None


def test_the_error_and_traceback_are_scrubbed_of_secrets(failed):
    letter = DeadLetter.objects.get(task_id=str(failed.job_id))
    assert "hunter2-secret" not in letter.error + letter.traceback


def test_the_same_job_dying_again_counts_another_failure_on_the_same_row(failed):
    outbox.relay()  # the embedded relay tries the unsent job again; it fails again
    assert DeadLetter.objects.filter(task=FAILING).count() == 1
    assert DeadLetter.objects.get(task_id=str(failed.job_id)).failures == 2


def test_run_again_queues_the_job_anew_and_marks_the_letter(failed, django_capture_on_commit_callbacks):
    letter = DeadLetter.objects.get(task_id=str(failed.job_id))
    before = OutboxJob.objects.filter(task=FAILING).count()
    with django_capture_on_commit_callbacks(execute=False):
        assert outbox.requeue([letter]) == 1
    letter.refresh_from_db()
    assert letter.requeued_at is not None
    job = OutboxJob.objects.filter(task=FAILING).order_by("-created_at").first()
    assert OutboxJob.objects.filter(task=FAILING).count() == before + 1
    assert job.kwargs == {"source": "treaty-db"} and job.job_id != failed.job_id
    assert jobs.open_letters().count() == 0


def test_the_admin_lists_dead_letters_with_their_error_and_runs_them_again(failed, admin_client,
                                                                          django_capture_on_commit_callbacks):
    url = reverse("admin:ops_deadletter_changelist")
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "ValueError: cannot check treaty-db" in page.content.decode()
    letter = DeadLetter.objects.get(task_id=str(failed.job_id))
    detail = admin_client.get(reverse("admin:ops_deadletter_change", args=[letter.pk]))
    assert "always_fails" in detail.content.decode()  # the traceback
    with django_capture_on_commit_callbacks(execute=True):  # the job runs again (eagerly) and fails again
        response = admin_client.post(url, {"action": "run_again", "_selected_action": [letter.pk]}, follow=True)
    assert "Queued 1 job again." in response.content.decode()
    letter.refresh_from_db()
    assert letter.requeued_at is not None
    assert DeadLetter.objects.filter(task=FAILING).count() == 2  # the new job died too: a letter of its own


def test_no_one_adds_a_dead_letter_by_hand(admin_client):
    assert admin_client.get(reverse("admin:ops_deadletter_add")).status_code == 403


@override_settings(PACTA_READY_MAX_DEAD_LETTERS=1)
def test_dead_letters_piling_up_to_the_bound_make_it_not_ready(client, failed):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["dead_letters"] == {"ok": False, "count": 1, "bound": 1}


@override_settings(PACTA_READY_MAX_DEAD_LETTERS=1)
def test_dead_letters_run_again_no_longer_count(client, failed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        outbox.requeue(list(DeadLetter.objects.all()))
    response = client.get("/readyz")
    assert response.json()["checks"]["dead_letters"]["count"] == 0


@override_settings(PACTA_METRICS_TOKEN="t-dead-letters")
def test_the_open_dead_letters_are_a_metric(client, failed):
    text = client.get("/metrics", **BEARER).content.decode()
    assert "pacta_dead_letters 1.0" in text


def test_every_task_has_a_soft_and_a_hard_time_limit():
    from registry.celery import app

    app.loader.import_default_modules()
    project = [name for name in app.tasks if name.startswith("pacta.") and name != FAILING]
    assert {"pacta.validation.validate_changes", "pacta.outbox.relay", "pacta.validation.sweep"} <= set(project)
    for name in project:
        task = app.tasks[name]
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        hard = task.time_limit or app.conf.task_time_limit
        assert soft and hard and soft < hard, name
    assert app.tasks["pacta.validation.sweep"].time_limit > app.conf.task_time_limit


@pytest.mark.parametrize("language, words, queued", [
    ("tr", ["İşletim", "Ölü mektuplar", "Yeniden çalıştır (işi yeniden kuyruğa al)", "Görev", "Başarısızlıklar"],
     "1 iş yeniden kuyruğa alındı."),
    ("az", ["Əməliyyatlar", "Ölü məktublar", "Yenidən işə sal (işi yenidən növbəyə qoy)", "Tapşırıq", "Uğursuzluqlar"],
     "1 iş yenidən növbəyə qoyuldu."),
    ("ru", ["Эксплуатация", "Неудавшиеся задания", "Запустить снова (поставить задание в очередь заново)", "Задача",
            "Сбои"], "Снова поставлено в очередь 1 задание."),
])
def test_the_dead_letters_admin_speaks_the_staffs_language(failed, admin_client, django_capture_on_commit_callbacks,
                                                           language, words, queued):
    url = reverse("admin:ops_deadletter_changelist")
    html = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert [word for word in words if word not in html] == []
    letter = DeadLetter.objects.get(task_id=str(failed.job_id))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"action": "run_again", "_selected_action": [letter.pk]}, follow=True,
                                     HTTP_ACCEPT_LANGUAGE=language)
    assert queued in [str(message) for message in response.context["messages"]]
