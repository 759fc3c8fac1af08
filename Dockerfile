# Pacta's production image: `docker build -t pacta .`; docker-compose.yml runs it as web, worker, beat and migrate.
# The entry commands (docker/entrypoint.sh) run as the unprivileged user `pacta`, from a venv, with a healthcheck
# each (registry/ops/probe.py). Settings come from the environment (README, docs/operations.md).

# ---- build: the venv, from requirements.txt alone (pinned)
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt

# ---- run
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=registry.settings \
    PACTA_LOG_FORMAT=json \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus \
    GUNICORN_BIND=0.0.0.0:8000
RUN groupadd --system --gid 10001 pacta \
 && useradd --system --uid 10001 --gid pacta --home-dir /app --no-create-home --shell /usr/sbin/nologin pacta
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# The code belongs to root and is read-only for `pacta`: the process cannot rewrite what it runs.
COPY . .
# Static files collected at build (WhiteNoise serves them); a throwaway key, only for this step.
RUN DJANGO_SECRET_KEY=collectstatic-at-build-only python manage.py collectstatic --noinput --verbosity 0 \
 && python -m compileall -q registry agreements sources \
 && mkdir -p /tmp/prometheus && chown pacta:pacta /tmp/prometheus
USER pacta:pacta
EXPOSE 8000
# The web's readiness; docker-compose.yml gives worker and beat their own probe.
HEALTHCHECK --interval=15s --timeout=10s --start-period=30s --retries=3 CMD ["python", "-m", "registry.ops.probe", "web"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
