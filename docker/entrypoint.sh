#!/bin/sh
# The image's entry commands (Dockerfile ENTRYPOINT): web | worker | beat | migrate | anything else (run as is).
# They run as whoever the container runs as (the image: the unprivileged user `pacta`), from the venv on PATH.
set -eu
cd "$(dirname "$0")/.."

clear_metrics() {
  # prometheus-client's multiprocess files of earlier runs would be added to this run's counts.
  if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    find "$PROMETHEUS_MULTIPROC_DIR" -maxdepth 1 -name '*.db' -delete
  fi
}

case "${1:-web}" in
  web)
    clear_metrics
    exec gunicorn -c python:registry.gunicorn registry.wsgi:application ;;
  worker)
    exec celery -A registry worker --loglevel "${CELERY_LOG_LEVEL:-info}" --concurrency "${CELERY_CONCURRENCY:-2}" \
      ${CELERY_WORKER_NAME:+-n "$CELERY_WORKER_NAME"} ;;
  beat)
    exec celery -A registry beat --loglevel "${CELERY_LOG_LEVEL:-info}" \
      --schedule "${CELERY_BEAT_SCHEDULE_FILE:-/tmp/celerybeat-schedule}" ;;
  migrate)
    python manage.py migrate --noinput
    if [ "${PACTA_LOAD_SEEDS:-1}" = 1 ]; then python manage.py load_seeds; fi ;;
  *)
    exec "$@" ;;
esac
